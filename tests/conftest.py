"""The one set of fixtures every test file shares, and the settings every test runs with.

People of each role, each a new account in the test's database: `administrator` (alex,
Alex), `coordinator` (coord, Camille), `lead` (lea, Léa) and `member` (martin, Martin).
`member_client` and `coordinator_client` are them signed in, `editor` the coordinator
reading English, `coordinator_api` a program calling the API with the coordinator's
read-write token. `plan` is the small plan most tests read and change. Anyone else is
made with factories.person() and signed in with factories.signed_in(); the API is called
with api_client.Api."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.plans.models import Plan

from .api_client import Api
from .factories import make_plan, person, signed_in
from .paths import SEED

# The browser tests' fixtures (browser, seed_plan, visit, phone, accounts) live beside
# their Visit class.
pytest_plugins = ["tests.browsing"]


# Settings, files and language


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(autouse=True)
def quick_password_hashing(settings: Any) -> None:
    # Argon2 is slow on purpose (about 0.2 s a password here); hundreds of test accounts
    # and sign-ins do not need that strength. One test checks the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder where the test's uploaded and produced files go."""
    # A folder of the test's own: a file left by an earlier run, or by the demo server,
    # never meets a test's.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def french_at_the_start() -> None:
    # A request in English leaves English active in the thread; every test starts in
    # French, the language of the project, whatever ran before it.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    # Pages and sessions kept by one test never answer another's requests.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def in_english() -> Iterator[None]:
    # For a test file that checks messages as their English source strings: it names this
    # fixture in its pytestmark.
    from django.utils import translation

    with translation.override("en"):
        yield


# Which tests the PostgreSQL pass runs


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def uses_the_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db")) or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The PostgreSQL pass (make test-postgres) runs what the database can change: a test
    # that never touches it (pure importers, parsers, spreadsheets) gave its answer on
    # SQLite already, where touching the database without saying so fails.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or os.environ.get(
        "JALON_TEST_EVERYTHING"
    ):
        return
    kept = [item for item in items if uses_the_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not uses_the_database(item)])
    items[:] = kept


# People of each role


@pytest.fixture
def administrator(db: None) -> User:
    return person("alex", Role.ADMIN, first_name="Alex")


@pytest.fixture
def coordinator(db: None) -> User:
    return person("coord", Role.COORDINATOR, first_name="Camille")


@pytest.fixture
def lead(db: None) -> User:
    return person("lea", Role.LEAD, first_name="Léa")


@pytest.fixture
def member(db: None) -> User:
    return person("martin", Role.MEMBER, first_name="Martin")


@pytest.fixture
def member_client(member: User) -> Client:
    return signed_in(member)


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return signed_in(coordinator)


@pytest.fixture
def editor(coordinator: User) -> Client:
    # The coordinator reading English, for tests that check English words whatever the
    # state of the French catalogue.
    return signed_in(coordinator, language="en")


@pytest.fixture
def coordinator_api(coordinator: User) -> Api:
    return Api(coordinator, Scope.WRITE)


# What tests read and change


@pytest.fixture
def plan(db: None) -> Plan:
    """Alternatives' small plan (factories.small_tree), at /plans/plan/."""
    return make_plan(slug="plan")


@pytest.fixture
def reports_at_once(settings: Any) -> None:
    # The test's queue runs each task at once (tests/settings.py): the report is ready
    # when the request that asks for it answers.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
