"""A federation's plan: a thousand items and more. Every page stays under 200 kB (a long
tree folds, a long list pages) and reads the same number of queries whatever the size."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.api.services import token_create
from jalon.plans.models import Item, Plan, PlanStatus
from jalon.plans.services import plan_publish
from jalon.tracking.models import Status, Tracking, Update

from .factories import anonymous, make_plan, person, signed_in, wide_tree

pytestmark = pytest.mark.django_db

LARGEST_PAGE = 200_000


def tracked_plan(slug: str, size: int, lead: User) -> Plan:
    """Return a plan of `size` items whose actions are tracked, led and updated."""
    plan = make_plan(slug=slug, items=wide_tree(size))
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ADOPTED)
    plan.refresh_from_db()
    actions = list(Item.objects.filter(plan=plan).leaves())
    statuses = [Status.IN_PROGRESS, Status.DONE, Status.DELAYED, Status.NOT_STARTED]
    soon = timezone.localdate() + datetime.timedelta(days=30)
    trackings = Tracking.objects.bulk_create(
        Tracking(item=item, status=statuses[index % 4], progress=index % 100, due_date=soon)
        for index, item in enumerate(actions)
    )
    Tracking.leads.through.objects.bulk_create(
        Tracking.leads.through(tracking_id=tracking.pk, user_id=lead.pk) for tracking in trackings
    )
    Update.objects.bulk_create(
        Update(item=item, author=lead, date=timezone.localdate(), text=f"Avancement de {item.code}")
        for item in actions
        for _ in range(2)
    )
    return plan


@dataclass
class Plans:
    small: Plan
    large: Plan
    lead: User
    secret: str


@pytest.fixture(scope="module")
def plans(django_db_setup: None, django_db_blocker: Any) -> Iterator[Plans]:
    # Made once for the whole module (1,620 items, 3,240 updates): each test then runs in
    # its own transaction on top of them, and rolls back what it changes.
    with django_db_blocker.unblock():
        lead = person("amina", Role.LEAD)
        made = Plans(tracked_plan("petit", 120, lead), tracked_plan("grand", 1500, lead), lead, "")
        _token, made.secret = token_create(user=lead, name="bench", scope=Scope.READ)
    yield made
    with django_db_blocker.unblock():
        Plan.objects.filter(pk__in=[made.small.pk, made.large.pk]).delete()
        User.objects.filter(pk=lead.pk).delete()


@pytest.fixture
def small(plans: Plans) -> Plan:
    # A fresh copy each test: what a test changed on its copy was rolled back in the database.
    return Plan.objects.get(pk=plans.small.pk)


@pytest.fixture
def large(plans: Plans) -> Plan:
    return Plan.objects.get(pk=plans.large.pk)


@pytest.fixture
def lead(plans: Plans) -> User:
    return plans.lead


def an_action(plan: Plan) -> Item:
    return Item.objects.filter(plan=plan).leaves().in_document_order()[3]


def an_orientation(plan: Plan) -> Item:
    return Item.objects.get(plan=plan, depth=1, position=0, parent__position=0)


def an_axis(plan: Plan) -> Item:
    return Item.objects.filter(plan=plan, depth=0).in_document_order().first()  # type: ignore[return-value]


# Each page as a function of a plan; the API's pages through a token.
PAGES: dict[str, Callable[[Plan], str]] = {
    "home": lambda plan: reverse("plans:home"),
    "tree": lambda plan: reverse("plans:detail", args=[plan.slug]),
    "branch": lambda plan: reverse("plans:branch", args=[plan.slug, an_axis(plan).pk]),
    "axis": lambda plan: an_axis(plan).get_absolute_url(),
    "action": lambda plan: an_action(plan).get_absolute_url(),
    "anomalies": lambda plan: reverse("plans:anomalies", args=[plan.slug]),
    "dashboard": lambda plan: reverse("overview:dashboard", args=[plan.slug]),
    "actions": lambda plan: reverse("overview:actions", args=[plan.slug]),
    "actions, second page": lambda plan: reverse("overview:actions", args=[plan.slug]) + "?page=2",
    "timeline": lambda plan: reverse("overview:timeline", args=[plan.slug]),
    "my actions": lambda plan: reverse("overview:my_actions"),
    "search": lambda plan: reverse("overview:search") + "?q=action",
    "map": lambda plan: reverse("directory:plan_map", args=[plan.slug]),
    "links": lambda plan: reverse("directory:links_review", args=[plan.slug]),
    "indicators": lambda plan: reverse("results:plan_indicators", args=[plan.slug]),
    "budget": lambda plan: reverse("results:plan_budget", args=[plan.slug]),
    "report page": lambda plan: reverse("reports:page", args=[plan.slug]),
    "actions table": lambda plan: reverse("table:page", args=[plan.slug]),
    "portal plan": lambda plan: reverse("portal:plan", args=[plan.slug]),
    "portal branch": lambda plan: reverse("portal:branch", args=[plan.slug, an_axis(plan).pk]),
    "portal action": lambda plan: reverse("portal:item", args=[plan.slug, an_action(plan).pk]),
    "portal map": lambda plan: reverse("portal:map", args=[plan.slug]),
    "API plan": lambda plan: f"/api/v1/plans/{plan.slug}",
    "API items": lambda plan: f"/api/v1/plans/{plan.slug}/items",
    "API item": lambda plan: f"/api/v1/items/{an_action(plan).pk}",
    "API updates": lambda plan: f"/api/v1/items/{an_action(plan).pk}/updates",
    "API dashboard": lambda plan: f"/api/v1/plans/{plan.slug}/dashboard",
    "API actions": lambda plan: f"/api/v1/plans/{plan.slug}/actions",
}


def read(client: Client, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Return the queries and the bytes of a page, read once to warm up and once to count."""
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return len(captured), len(response.content)


@pytest.fixture
def readers(plans: Plans) -> Callable[[str], tuple[Client, dict[str, str]]]:
    for plan in Plan.objects.filter(pk__in=[plans.small.pk, plans.large.pk]):
        plan_publish(plan=plan, user=None)
    secret, lead = plans.secret, plans.lead
    lead_client = signed_in(lead)

    def reader(page: str) -> tuple[Client, dict[str, str]]:
        if page.startswith("API"):
            return anonymous(), {"Authorization": f"Bearer {secret}"}
        if page.startswith("portal"):
            return anonymous(), {}
        return lead_client, {}

    return reader


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_reads_as_many_queries_and_stays_light_whatever_the_plans_size(
    page: str, small: Plan, large: Plan, readers: Callable[[str], tuple[Client, dict[str, str]]]
) -> None:
    client, headers = readers(page)
    small_queries, _small_bytes = read(client, PAGES[page](small), headers)
    large_queries, large_bytes = read(client, PAGES[page](large), headers)
    assert large_queries == small_queries, f"{page}: {small_queries} queries, then {large_queries}"
    assert large_bytes < LARGEST_PAGE, f"{page}: {large_bytes:,} bytes"


def test_a_long_tree_shows_its_upper_levels_and_folds_the_branches_below(
    coordinator_client: Client, large: Plan
) -> None:
    page = coordinator_client.get(reverse("plans:detail", args=[large.slug])).content.decode()
    rows = page.count('<li id="element-')
    assert 0 < rows <= 300
    folded = re.findall(r'<details class="tree__folded" hx-get="([^"]+)"', page)
    assert folded and len(folded) == len(set(folded))
    orientation = an_orientation(large)
    branch = reverse("plans:branch", args=[large.slug, orientation.pk])
    assert branch in folded
    # Without JavaScript, the folded branch's link opens the item's page and its list.
    assert f'href="{orientation.get_absolute_url()}#sous-elements"' in page


def test_a_folded_branch_opens_with_its_items_and_their_progress(
    coordinator_client: Client, large: Plan
) -> None:
    orientation = an_orientation(large)
    branch = coordinator_client.get(reverse("plans:branch", args=[large.slug, orientation.pk]))
    assert branch.status_code == 200 and b"<html" not in branch.content
    actions = Item.objects.filter(parent=orientation).in_document_order()
    text = branch.content.decode()
    assert all(f'id="element-{action.pk}"' in text for action in actions)
    assert "meter" in text


def test_a_short_tree_is_written_whole(coordinator_client: Client, small: Plan) -> None:
    page = coordinator_client.get(reverse("plans:detail", args=[small.slug])).content.decode()
    assert "tree__folded" not in page and page.count('<li id="element-') == 120


def test_a_branch_of_another_plan_or_of_nothing_is_not_found(
    coordinator_client: Client, small: Plan, large: Plan
) -> None:
    other = an_orientation(large)
    assert coordinator_client.get(reverse("plans:branch", args=[small.slug, other.pk])).status_code == 404
    assert coordinator_client.get(reverse("plans:branch", args=[small.slug, 0])).status_code == 404


def test_the_portal_folds_a_long_tree_too_and_opens_only_published_branches(
    client: Client, large: Plan
) -> None:
    branch = reverse("portal:branch", args=[large.slug, an_orientation(large).pk])
    assert client.get(branch).status_code == 404
    plan_publish(plan=large, user=None)
    page = client.get(reverse("portal:plan", args=[large.slug])).content.decode()
    assert branch in page and len(page) < LARGEST_PAGE
    assert client.get(branch).status_code == 200


def test_an_internal_branch_asks_a_visitor_to_sign_in(client: Client, large: Plan) -> None:
    response = client.get(reverse("plans:branch", args=[large.slug, an_orientation(large).pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_actions_list_pages_a_long_list_and_keeps_its_filters(
    coordinator_client: Client, large: Plan
) -> None:
    url = reverse("overview:actions", args=[large.slug])
    first = coordinator_client.get(url, {"status": Status.DELAYED}).content.decode()
    delayed = Tracking.objects.filter(item__plan=large, status=Status.DELAYED).count()
    assert f"{delayed} actions" in first
    assert first.count("<tr>") == 100 + 1  # a page of actions, and the header row
    assert "status=delayed&amp;page=2" in first
    last = coordinator_client.get(url, {"status": Status.DELAYED, "page": 99}).content.decode()
    assert 'aria-current="page"' in last and "Page" in last
