"""Every action status in a real browser: each badge has its own colours wherever it is
drawn (the tree, the item page and its journal, the dashboard, the portal, the report),
and axe finds no violation, its colour contrast check included."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan, PlanStatus
from jalon.plans.services import plan_publish
from jalon.tracking.models import Status, Tracking
from jalon.tracking.services import update_post

from .browsing import AXE, AXE_VIOLATIONS, Visit

pytestmark = pytest.mark.browser

DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def every_status(visit: Visit, seed_plan: Plan) -> list[Item]:
    """The plan's first actions, one in each status; the first has an update in each, public."""
    coordinator = User.objects.get(username="coordination")
    seed_plan.status = PlanStatus.ADOPTED
    seed_plan.save(update_fields=["status"])
    plan_publish(plan=seed_plan, user=coordinator)
    actions = list(seed_plan.items.leaves().in_document_order()[: len(Status.values)])
    for action, status in zip(actions, Status.values, strict=True):
        Tracking.objects.create(item=action, status=status)
    for status in Status.values:
        update_post(
            item=actions[0], author=coordinator, text=f"État : {status}", date=DAY, status=status, public=True
        )
    return actions


def badge_colours(page: Page) -> dict[str, set[tuple[str, str]]]:
    """Return the (text, background) colours drawn for each status on the page."""
    found = page.eval_on_selector_all(
        ".action-status",
        "badges => badges.map(badge => [badge.className, getComputedStyle(badge).color,"
        " getComputedStyle(badge).backgroundColor])",
    )
    colours: dict[str, set[tuple[str, str]]] = {}
    for classes, text, background in found:
        status = classes.split("action-status--")[1]
        colours.setdefault(status, set()).add((text, background))
    return colours


def no_violation(page: Page, where: str) -> None:
    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    violations = page.evaluate(AXE_VIOLATIONS)
    assert not violations, f"{where}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
    )


def test_each_status_looks_the_same_everywhere_without_accessibility_violations(
    visit: Visit,
    seed_plan: Plan,
    every_status: list[Item],
) -> None:
    first = every_status[0]
    slug = seed_plan.slug
    report = (
        reverse("reports:page", args=[slug])
        + "?date_from=2025-01-01&date_to=2025-12-31&language=fr&format=html"
    )
    pages = {
        "the tree": seed_plan.get_absolute_url(),
        "an orientation": first.parent.get_absolute_url(),  # type: ignore[union-attr]
        "an action and its journal": first.get_absolute_url(),
        "the dashboard": reverse("overview:dashboard", args=[slug]),
        "the report": report,
        "the portal's tree": reverse("portal:plan", args=[slug]),
        "the portal's action": reverse("portal:item", args=[slug, first.pk]),
    }
    seen: dict[str, set[tuple[str, str]]] = {}
    for where, path in pages.items():
        page = visit.open(path)
        colours = badge_colours(page)
        assert colours, f"no status on {where}"
        for status, pairs in colours.items():
            seen.setdefault(status, set()).update(pairs)
        no_violation(page, where)
    assert set(seen) == set(Status.values)
    assert all(len(pairs) == 1 for pairs in seen.values()), seen
    assert len({pairs.pop() for pairs in seen.values()}) == len(Status.values), "two statuses share colours"
