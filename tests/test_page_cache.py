"""Pages answered from the cache while nothing was written: the same reader gets the same
page without its view running, and the first write anywhere makes every page fresh."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalon.accounts.models import User
from jalon.operations import pagecache
from jalon.plans.models import Item, Plan
from jalon.tracking.models import Tracking

from .factories import anonymous, person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings) -> None:
    # The test database lives in this process's memory: its own writes are all it sees.
    settings.JALON_PAGE_CACHE_IN_MEMORY_DATABASE = True
    settings.JALON_PAGE_CACHE_SECONDS = 600
    cache.clear()


def a_reader(user: User) -> Client:
    """Return a client signed in as `user` that has opened a first page, which sets its
    CSRF cookie."""
    client = signed_in(user)
    client.get(reverse("plans:home"))
    return client


def queries_of(client: Client, path: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content


def hit_queries() -> int:
    # On PostgreSQL the data version is the next transaction id, read with one query; on
    # SQLite it is read from the database file, without a query.
    return 1 if connection.vendor == "postgresql" else 0


def without_tokens(page: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"", page)


def test_the_same_page_again_is_answered_without_a_query(plan: Plan, coordinator: User) -> None:
    client = a_reader(coordinator)
    first, page = queries_of(client, plan.get_absolute_url())
    again, same = queries_of(client, plan.get_absolute_url())
    assert first > 3 and again == hit_queries()
    assert without_tokens(same) == without_tokens(page)


def test_a_write_anywhere_makes_the_page_fresh(plan: Plan, coordinator: User) -> None:
    client = a_reader(coordinator)
    action = Item.objects.get(plan=plan, code="1.1.2")
    client.get(action.get_absolute_url())
    Tracking.objects.create(item=action, status="delayed", progress=35)
    count, page = queries_of(client, action.get_absolute_url())
    assert count > 0 and b"35" in page


def test_a_write_through_the_site_is_seen_at_once(plan: Plan, coordinator: User) -> None:
    client = a_reader(coordinator)
    action = Item.objects.get(plan=plan, code="1.1.2")
    assert "Très urgent" not in client.get(action.get_absolute_url()).content.decode()
    edit = reverse("plans:item_edit", args=[plan.slug, action.pk])
    response = client.post(
        edit, {"code": "1.1.2", "title": "Très urgent", "title_en": "", "body": "", "version": 1}
    )
    assert response.status_code in (200, 302)
    assert "Très urgent" in client.get(action.get_absolute_url()).content.decode()


def test_two_readers_never_share_a_page(plan: Plan, coordinator: User, member: User) -> None:
    coordinator, member = a_reader(coordinator), a_reader(member)
    action = Item.objects.get(plan=plan, code="1.1.2")
    mine = coordinator.get(action.get_absolute_url()).content.decode()
    theirs = member.get(action.get_absolute_url()).content.decode()
    assert "Camille" in mine and "Camille" not in theirs
    assert queries_of(member, action.get_absolute_url())[0] == hit_queries()


def test_the_forms_of_a_kept_page_carry_a_fresh_token_that_works(plan: Plan, coordinator: User) -> None:
    client = a_reader(coordinator)
    client.get(plan.get_absolute_url())
    page = client.get(plan.get_absolute_url()).content
    tokens = set(re.findall(rb'name="csrfmiddlewaretoken" value="(\w+)"', page))
    assert len(tokens) == 1
    enforcing = Client(enforce_csrf_checks=True)
    enforcing.cookies = client.cookies
    answer = enforcing.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens.pop().decode()})
    assert answer.status_code == 302


def test_a_first_visit_is_answered_from_the_cache_with_a_cookie_of_its_own() -> None:
    anonymous().get(reverse("accounts:login"))
    first, second = anonymous(), anonymous()
    one, two = first.get(reverse("accounts:login")), second.get(reverse("accounts:login"))
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value
    assert "no-store" in two["Cache-Control"]


def test_a_page_with_a_message_to_show_once_is_never_kept(plan: Plan, coordinator: User) -> None:
    client = a_reader(coordinator)
    action = Item.objects.get(plan=plan, code="1.1.2")
    delete = reverse("plans:item_delete", args=[plan.slug, action.pk])
    followed = client.post(delete, {"confirm": "1"}, follow=True)
    assert followed.status_code == 200
    messages = [str(message) for message in followed.context["messages"]]
    assert messages
    assert messages[0] not in client.get(followed.redirect_chain[-1][0]).content.decode()


def test_the_health_check_always_runs(client: Client) -> None:
    client.get(reverse("accounts:login"))
    assert queries_of(client, reverse("operations:healthz"))[0] > 0
    assert queries_of(client, reverse("operations:healthz"))[0] > 0


def test_every_kind_of_write_changes_the_data_version() -> None:
    before = pagecache.data_version()
    person("amina")
    after_insert = pagecache.data_version()
    User.objects.filter(username="amina").update(first_name="Amina")
    after_update = pagecache.data_version()
    User.objects.filter(username="amina").delete()
    assert len({before, after_insert, after_update, pagecache.data_version()}) == 4
