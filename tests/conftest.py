from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"
EXAMPLES = REPO / "tests" / "files"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(autouse=True)
def quick_password_hashing(settings: Any) -> None:
    # Argon2 is slow on purpose (about 0.2 s a password here); hundreds of test accounts
    # and sign-ins do not need that strength. One test checks the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def media_of_its_own(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Uploaded and produced files go to a folder of the test's own: a file left by an
    # earlier run, or by the demo server, never meets a test's.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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
