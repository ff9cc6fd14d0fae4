"""The links review in a real browser: a coordinator accepts a proposed link and finds it
on the item's page; the review page passes axe's accessibility checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jalon.accounts.models import Role
from jalon.directory.demo import directory_create
from jalon.directory.models import ItemLink, LinkStatus
from jalon.directory.services import links_propose
from jalon.plans.models import Plan

from .browsing import AXE, AXE_VIOLATIONS, PASSWORD, Visit
from .factories import person

pytestmark = pytest.mark.browser


def test_a_coordinator_accepts_a_proposed_link_and_sees_it_on_the_item_page(
    visit: Visit,
    seed_plan: Plan,
) -> None:
    directory_create()
    links_propose(plan=seed_plan)
    link = ItemLink.objects.of_plan(seed_plan).get(item__code="1.1.1.", partner__acronym="FOTSSIEH")
    person("coord", Role.COORDINATOR, password=PASSWORD)
    visit.sign_in("coord")
    page = visit.open(seed_plan.get_absolute_url())
    page.locator("nav.tabs a[href$='/liens/']").click()

    proposal = page.locator(f"#link-{link.pk}")
    expect(proposal.locator("mark")).to_have_text("FOTSSIEH")
    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    assert page.evaluate(AXE_VIOLATIONS) == []

    proposal.locator("form:has(input[value=accept]) button").click()
    expect(page.locator(".messages")).to_contain_text("FOTSSIEH")
    expect(page.locator(f"#link-{link.pk}")).to_have_count(0)
    link.refresh_from_db()
    assert link.status == LinkStatus.ACCEPTED

    page = visit.open(link.item.get_absolute_url())
    links = page.locator(".directory-item-links")
    expect(links.get_by_role("link", name="FOTSSIEH")).to_be_visible()
