"""The plan pages in a real browser (the browser and the visit are in browsing.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from jalon.plans.models import Item, Plan

from .browsing import AXE, AXE_VIOLATIONS, PHONE, Visit

pytestmark = pytest.mark.browser


def fold_toggle(page: Page, item: Item) -> Locator:
    return page.locator(f"#element-{item.pk} > .tree__node > details > summary")


def test_a_reader_goes_from_the_list_to_a_plan_an_item_and_the_report(visit: Visit, seed_plan: Plan) -> None:
    page = visit.open("/")
    expect(page.locator("h1")).to_have_text("Plans d'action")
    page.get_by_role("link", name=seed_plan.title).click()
    expect(page.locator("h1")).to_have_text(seed_plan.title)
    expect(page.locator("#plan-tree")).to_contain_text("1.1.1.")

    action = page.locator("#plan-tree a", has_text="En collaboration avec la FOTSSIEH")
    orientation = fold_toggle(page, seed_plan.items.get(code="1.1"))
    expect(action).to_be_visible()
    expect(orientation).to_have_accessible_name("6 sous-éléments")
    orientation.click()
    expect(action).to_be_hidden()
    orientation.click()
    expect(action).to_be_visible()

    page.get_by_role("button", name="Tout replier").click()
    expect(action).to_be_hidden()
    assert page.eval_on_selector_all("#plan-tree details", "all => all.every(d => !d.open)")
    expect(page.locator("#plan-tree a", has_text="Consolider notre action solidaire")).to_be_visible()
    page.get_by_role("button", name="Tout déplier").click()
    expect(action).to_be_visible()

    action.click()
    expect(page.locator("h1")).to_contain_text("En collaboration avec la FOTSSIEH")
    breadcrumbs = page.get_by_role("navigation", name="Fil d'Ariane")
    expect(breadcrumbs.locator("[aria-current=page]")).to_have_text("1.1.1.")
    expect(page.get_by_text("Ligne 7 de plan-action-2024-2025.txt")).to_be_visible()

    breadcrumbs.get_by_role("link", name=seed_plan.title).click()
    page.get_by_role("link", name=re.compile("Rapport d'importation")).click()
    expect(page.locator("h1")).to_have_text("Rapport d'importation")
    expect(page.locator("table.report tbody tr")).to_have_count(seed_plan.anomalies.count())
    page.locator("table.report").get_by_role("link", name=re.compile(r"^1\.3 ")).click()
    expect(page.locator("h1")).to_contain_text("Consolider nos alliances stratégiques")


def test_the_interface_switches_to_english_and_back_and_remembers_it(visit: Visit, seed_plan: Plan) -> None:
    page = visit.open(seed_plan.get_absolute_url())
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(visit.base_url + seed_plan.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Plan tree")).to_be_visible()
    expect(page.get_by_role("button", name="Collapse all")).to_be_visible()
    # The plan's own words stay as written.
    expect(page.locator("#plan-tree")).to_contain_text("Consolider notre action solidaire")

    page.get_by_role("link", name="Action plans").first.click()
    expect(page.locator("h1")).to_have_text("Action plans")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Plans d'action")


def every_page(plan: Plan) -> list[str]:
    item = plan.items.get(code="1.3")  # an orientation with actions under it and an anomaly
    return [
        "/",
        plan.get_absolute_url(),
        item.get_absolute_url(),
        reverse("plans:anomalies", args=[plan.slug]),
    ]


def test_a_phone_shows_every_page_without_horizontal_scrolling(phone: Visit, seed_plan: Plan) -> None:
    for path in every_page(seed_plan):
        page = phone.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
    page = phone.open(seed_plan.get_absolute_url())
    titles = page.locator("#plan-tree .tree__title")
    expect(titles).to_have_count(seed_plan.items.count())
    right_edges = page.eval_on_selector_all(
        "#plan-tree .tree__row > *", "parts => parts.map(part => part.getBoundingClientRect().right)"
    )
    assert max(right_edges) <= PHONE["width"], "a row of the tree runs off the screen"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_page_has_an_accessibility_violation(visit: Visit, seed_plan: Plan, language: str) -> None:
    if language == "en":
        visit.open("/").get_by_role("button", name="English").click()
    for path in every_page(seed_plan):
        page = visit.open(path)
        page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
        violations = page.evaluate(AXE_VIOLATIONS)
        assert not violations, f"{path} ({language}):\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
            for v in violations
        )


def test_nothing_is_loaded_from_another_host(visit: Visit, seed_plan: Plan) -> None:
    loaded: list[str] = []
    visit.page.on("request", lambda request: loaded.append(request.url))
    visit.open(seed_plan.get_absolute_url())
    assert loaded and all(url.startswith(visit.base_url) for url in loaded), loaded
    assert any(url.endswith("/static/jalon/jalon.css") for url in loaded)
    assert any(url.endswith("/static/jalon/tree.js") for url in loaded)
