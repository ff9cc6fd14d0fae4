"""Tracking an action in a real browser: htmx partial updates, the same flow without
JavaScript, who sees the edit form, and axe-core on the signed-in pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from jalon.plans.models import Item, Plan
from jalon.tracking.models import Status

from .browsing import AXE, AXE_VIOLATIONS, Visit

pytestmark = pytest.mark.browser

UPDATE_TEXT = "**Fait** au Honduras"


def an_action(plan: Plan) -> Item:
    return plan.items.filter(code="1.1.1.").order_by("path").first()  # type: ignore[return-value]


@pytest.fixture
def guest(browser: Browser, live_server: object, seed_plan: Plan, accounts: None) -> Iterator[Visit]:
    """A browser context nobody has signed in to yet."""
    visit = Visit(browser, str(live_server))
    yield visit
    visit.close()


@pytest.fixture
def guest_without_js(
    browser: Browser,
    live_server: object,
    seed_plan: Plan,
    accounts: None,
) -> Iterator[Visit]:
    visit = Visit(browser, str(live_server), java_script_enabled=False)
    yield visit
    visit.close()


def in_progress_count(page: Page) -> int:
    """Read the dashboard's count of actions in progress; a status nobody has is not listed."""
    with translation.override("fr"):
        label = str(Status.IN_PROGRESS.label)
    counts = page.eval_on_selector_all(
        "#by-status ~ .status-counts > li",
        "rows => rows.map(row => [row.querySelector('.action-status').textContent.trim(),"
        " row.lastChild.textContent.trim()])",
    )
    return next((int(count) for name, count in counts if name == label), 0)


def track_an_action(visit: Visit, plan: Plan, *, with_js: bool) -> None:
    visit.sign_in("coordination")
    dashboard = reverse("overview:dashboard", args=[plan.slug])
    before = in_progress_count(visit.open(dashboard))
    page = visit.open(an_action(plan).get_absolute_url())
    if with_js:
        page.evaluate("window.jalonMarker = 'still here'")
    page.locator("#tracking-panel details.tracking__edit > summary").click()
    page.select_option("#edit_status", "in_progress")
    page.locator("#tracking-form-submit").click()
    with translation.override("fr"):
        label = str(Status.IN_PROGRESS.label)
    expect(page.locator("#tracking-panel .tracking__fields .action-status")).to_have_text(label)
    if with_js:
        expect(page.locator("#tracking-panel [role=status]")).not_to_be_empty()
        # htmx gives the focus back to the element of the same id in the new panel.
        assert page.evaluate("document.activeElement.id") == "tracking-form-submit"
        assert page.evaluate("window.jalonMarker") == "still here", "the page was reloaded"

    page.locator("#journal-section details.journal__new > summary").click()
    page.fill("#update_text", UPDATE_TEXT)
    page.locator("#update-form-submit").click()
    expect(page.locator("#journal-section .journal__text strong").first).to_have_text("Fait")
    expect(page.locator("#journal-section .journal__text").first).to_contain_text("Fait au Honduras")
    if with_js:
        expect(page.locator("#journal-section [role=status]")).not_to_be_empty()
        expect(page.locator("#update_text")).to_have_value("")
        assert page.evaluate("window.jalonMarker") == "still here", "the page was reloaded"

    page = visit.open(dashboard)
    assert in_progress_count(page) == before + 1
    # The dashboard quotes the update's text as written.
    expect(page.locator("#updates").locator("..")).to_contain_text("au Honduras")


def test_a_coordinator_tracks_an_action_with_htmx(guest: Visit, seed_plan: Plan) -> None:
    track_an_action(guest, seed_plan, with_js=True)


def test_a_coordinator_tracks_an_action_without_javascript(
    guest_without_js: Visit,
    seed_plan: Plan,
) -> None:
    track_an_action(guest_without_js, seed_plan, with_js=False)


def test_a_lead_does_not_see_the_edit_form_of_an_action_they_do_not_lead(
    guest: Visit, seed_plan: Plan
) -> None:
    guest.sign_in("responsable")
    page = guest.open(an_action(seed_plan).get_absolute_url())
    expect(page.locator("#tracking-panel")).to_be_visible()
    expect(page.locator("#tracking-form")).to_have_count(0)


def signed_in_pages(plan: Plan) -> list[str]:
    action = an_action(plan)
    return [
        plan.get_absolute_url(),
        action.get_absolute_url(),
        reverse("plans:item_edit", args=[plan.slug, action.pk]),
        reverse("overview:dashboard", args=[plan.slug]),
        reverse("overview:my_actions"),
        reverse("overview:timeline", args=[plan.slug]),
        reverse("overview:actions", args=[plan.slug]),
        reverse("overview:search") + "?q=Honduras",
        reverse("accounts:people"),
        reverse("accounts:profile"),
    ]


def violations_of(page: Page) -> list[dict[str, object]]:
    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    return page.evaluate(AXE_VIOLATIONS)  # type: ignore[no-any-return]


def described(path: str, language: str, violations: list[dict[str, object]]) -> str:
    return f"{path} ({language}):\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"  # type: ignore[attr-defined]
        for v in violations
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_signed_in_page_has_an_accessibility_violation(
    guest: Visit, seed_plan: Plan, language: str
) -> None:
    login = guest.open(reverse("accounts:login"))
    if language == "en":
        login.get_by_role("button", name="English").click()
        expect(login.locator("html")).to_have_attribute("lang", "en")
    violations = violations_of(login)
    assert not violations, described("login", language, violations)
    guest.sign_in("admin")
    for path in signed_in_pages(seed_plan):
        page = guest.open(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        if path == an_action(seed_plan).get_absolute_url():
            # The folded forms of the panel and the journal are checked too.
            for summary in page.locator("details > summary").all():
                summary.click()
        violations = violations_of(page)
        assert not violations, described(path, language, violations)
