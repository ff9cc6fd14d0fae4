"""The public portal in a real browser, as an anonymous visitor: the published seed plan,
an action with its public news and without the internal ones, the switch to English,
axe's accessibility checks in both languages and a phone without horizontal scrolling."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jalon.accounts.models import Role
from jalon.directory.demo import directory_create
from jalon.directory.models import Partner
from jalon.directory.services import links_decide_all, links_propose
from jalon.plans.models import Plan, PlanStatus
from jalon.plans.services import plan_publish
from jalon.tracking.models import Tracking
from jalon.tracking.services import update_post

from .browsing import AXE, AXE_VIOLATIONS, PASSWORD, PHONE, Visit
from .factories import person

pytestmark = pytest.mark.browser

ACTION = "1.1.1."
PUBLIC_NEWS = "Atelier tenu avec les travailleuses du Honduras."
INTERNAL_NEWS = "Tension avec le bailleur : à régler en coordination."


@pytest.fixture
def published(seed_plan: Plan) -> Plan:
    coordinator = person(
        "coord", Role.COORDINATOR, password=PASSWORD, first_name="Camille", last_name="Publiante"
    )
    seed_plan.status = PlanStatus.ADOPTED
    seed_plan.save(update_fields=["status"])
    plan_publish(plan=seed_plan, user=coordinator)
    action = seed_plan.items.get(code=ACTION)
    Tracking.objects.create(item=action, status="in_progress", progress=60)
    update_post(item=action, author=coordinator, text=PUBLIC_NEWS, public=True)
    update_post(item=action, author=coordinator, text=INTERNAL_NEWS)
    directory_create()
    links_propose(plan=seed_plan)
    links_decide_all(plan=seed_plan, user=coordinator, accept=True)
    Partner.objects.filter(acronym__in=["FOTSSIEH", "AQOCI"]).update(public=True)
    return seed_plan


def portal_pages(plan: Plan) -> list[str]:
    action = plan.items.get(code=ACTION)
    return [
        reverse("portal:home"),
        reverse("portal:plan", args=[plan.slug]),
        reverse("portal:item", args=[plan.slug, action.pk]),
        reverse("portal:map", args=[plan.slug]),
        reverse("portal:partners", args=[plan.slug]),
    ]


def test_a_visitor_reads_the_published_plan_and_an_action_s_public_news(
    visit: Visit,
    published: Plan,
) -> None:
    visit.context.clear_cookies()  # `visit` signs in; the portal is read anonymously
    page = visit.open(reverse("portal:home"))
    expect(page.locator("h1")).to_have_text("Plans d'action")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.locator(".site-nav")).to_have_count(0)
    page.get_by_role("link", name=published.title).click()
    expect(page.locator("h1")).to_have_text(published.title)

    page.locator("#plan-tree a", has_text="En collaboration avec la FOTSSIEH").click()
    expect(page.locator("h1")).to_contain_text("En collaboration avec la FOTSSIEH")
    news = page.locator(".journal__list")
    expect(news).to_contain_text(PUBLIC_NEWS)
    expect(news).not_to_contain_text(INTERNAL_NEWS)
    expect(page.locator("body")).not_to_contain_text("Publiante")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="News")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_portal_page_has_an_accessibility_violation(
    visit: Visit,
    published: Plan,
    language: str,
) -> None:
    if language == "en":
        visit.open(reverse("portal:home")).get_by_role("button", name="English").click()
    for path in portal_pages(published):
        page = visit.open(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
        violations = page.evaluate(AXE_VIOLATIONS)
        assert not violations, f"{path} ({language}):\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
            for v in violations
        )


def test_a_phone_shows_every_portal_page_without_horizontal_scrolling(
    phone: Visit,
    published: Plan,
) -> None:
    for path in portal_pages(published):
        page = phone.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"


def test_a_coordinator_publishes_a_journal_entry_from_the_action_page(
    visit: Visit,
    published: Plan,
) -> None:
    page = visit.sign_in("coord")
    action = published.items.get(code=ACTION)
    page = visit.open(action.get_absolute_url())
    page.locator(".journal__new summary").click()
    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    assert page.evaluate(AXE_VIOLATIONS) == []
    page.locator("#update_text").fill("Deuxième atelier, ouvert au public.")
    page.locator("#update_public").check()
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator(".journal__new button[type=submit]").click()
    expect(page.locator(".journal__entry", has_text="Deuxième atelier")).to_be_visible()
    internal = page.locator(".journal__entry", has_text=INTERNAL_NEWS)
    with page.expect_response(lambda response: response.request.method == "POST"):
        internal.locator(".portal-publish-update button").click()
    page = visit.open(reverse("portal:item", args=[published.slug, action.pk]))
    news = page.locator(".journal__list")
    expect(news).to_contain_text("Deuxième atelier, ouvert au public.")
    expect(news).to_contain_text(INTERNAL_NEWS)
