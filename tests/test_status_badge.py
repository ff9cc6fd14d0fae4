"""An action's status is drawn by one partial and one helper, in one set of colours, on
every page that shows it; a plan's status keeps its own partial and classes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from jalon.accounts.models import User
from jalon.lib.badges import status_badge
from jalon.plans.models import Item, PlanStatus
from jalon.plans.services import plan_publish
from jalon.reports.charts import STATUS_COLOURS
from jalon.reports.model import build_report
from jalon.reports.render_html import render_html
from jalon.tracking.models import Status, Tracking
from jalon.tracking.services import update_post

from .factories import anonymous, make_plan
from .paths import REPO

pytestmark = pytest.mark.django_db

PARTIAL = "tracking/_action_status.html"
DELAYED = '<span class="action-status action-status--delayed">En retard</span>'


def status_css() -> str:
    path = finders.find("jalon/status.css")
    assert isinstance(path, str)
    return Path(path).read_text(encoding="utf-8")


def colours() -> dict[str, tuple[str, str]]:
    """Return each status's (text, background) colours as status.css declares them."""
    found = {}
    for name, body in re.findall(r"\.action-status--(\w+)\s*\{([^}]*)\}", status_css()):
        text = re.search(r"(?<!-)color:\s*(#[0-9a-f]{6})", body)
        background = re.search(r"background:\s*(#[0-9a-f]{6})", body)
        assert text and background, name
        found[name] = (text.group(1), background.group(1))
    return found


def contrast(one: str, other: str) -> float:
    """Return the WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


# One markup


@pytest.mark.parametrize(("value", "label"), Status.choices)
def test_the_partial_and_the_helper_write_the_same_badge_with_its_label(value: str, label: str) -> None:
    from_template = render_to_string(PARTIAL, {"status": value, "label": label})
    assert from_template == status_badge(value, label)
    assert f'class="action-status action-status--{value}"' in from_template
    assert f">{label}</span>" in from_template


def test_the_partial_and_the_helper_escape_a_label_alike() -> None:
    label = "<b>Tom & Jerry's</b>"
    assert render_to_string(PARTIAL, {"status": "done", "label": label}) == status_badge("done", label)
    assert "<b>" not in status_badge("done", label)


def test_only_the_partial_and_the_helper_write_the_badge() -> None:
    writers = {
        path.relative_to(REPO / "jalon").as_posix()
        for path in (REPO / "jalon").rglob("*")
        if path.suffix in {".html", ".py"} and "action-status--" in path.read_text(encoding="utf-8")
    }
    assert writers == {"templates/" + PARTIAL, "lib/badges.py"}


# One set of colours


def test_every_status_has_its_colours_and_no_other_is_styled() -> None:
    assert set(colours()) == set(Status.values)


@pytest.mark.parametrize("value", Status.values)
def test_each_status_text_reaches_aa_contrast_on_its_background(value: str) -> None:
    text, background = colours()[value]
    assert contrast(text, background) >= 4.5


def test_each_status_has_colours_of_its_own() -> None:
    assert len(set(colours().values())) == len(Status.values)


def test_the_report_chart_draws_each_status_in_its_badge_colour() -> None:
    assert STATUS_COLOURS == {value: text for value, (text, _background) in colours().items()}


# The same badge on every page


@pytest.fixture
def delayed(coordinator: User) -> Item:
    """A published plan whose action 1.1.1. is delayed, past its due date, without a lead, and
    whose public journal entry says so."""
    plan = make_plan(
        slug="plan", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2025, 12, 31)
    )
    plan.status = PlanStatus.ADOPTED
    plan.save(update_fields=["status"])
    plan_publish(plan=plan, user=coordinator)
    item = plan.items.get(code="1.1.1.")
    Tracking.objects.create(item=item, status=Status.DELAYED, due_date=datetime.date(2024, 6, 30))
    update_post(
        item=item,
        author=coordinator,
        text="Retard de la saison des pluies.",
        date=datetime.date(2024, 9, 1),
        status=Status.DELAYED,
        public=True,
    )
    return item


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def test_the_item_page_draws_the_delayed_action_and_its_journal_entry_alike(
    member_client: Client, delayed: Item
) -> None:
    text = page(member_client, reverse("plans:item", args=[delayed.plan.slug, delayed.pk]))
    assert DELAYED in between(text, 'id="tracking-panel"', 'id="journal-section"')
    assert DELAYED in between(text, 'id="journal-section"', "</section>")


def test_the_tree_draws_the_delayed_action_alike(member_client: Client, delayed: Item) -> None:
    text = page(member_client, reverse("plans:detail", args=[delayed.plan.slug]))
    assert DELAYED in between(text, f'id="element-{delayed.pk}"', "</li>")


def test_the_dashboard_draws_the_delayed_action_alike(member_client: Client, delayed: Item) -> None:
    text = page(member_client, reverse("overview:dashboard", args=[delayed.plan.slug]))
    assert f"{DELAYED} 1" in between(text, 'id="by-status"', "</section>")
    assert DELAYED in between(text, 'id="late"', "</section>")
    assert DELAYED in between(text, 'id="no-lead"', "</section>")


def test_the_portal_draws_the_delayed_action_and_its_news_alike(delayed: Item) -> None:
    text = page(anonymous(), reverse("portal:item", args=[delayed.plan.slug, delayed.pk]))
    assert DELAYED in between(text, 'id="avancement"', "</section>")
    assert DELAYED in between(text, 'id="nouvelles"', "</section>")
    assert DELAYED in page(anonymous(), reverse("portal:plan", args=[delayed.plan.slug]))


def test_the_report_draws_the_delayed_action_alike_and_carries_the_rules(delayed: Item) -> None:
    report = build_report(
        delayed.plan, language="fr", date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2025, 12, 31)
    )
    text = render_html(report)
    assert text.count(DELAYED) == 3  # the summary's count, the action's facts, its update
    assert ".action-status--delayed" in text  # the shared rules, written into the file


def test_the_report_links_the_shared_rules_when_it_is_served(delayed: Item) -> None:
    report = build_report(
        delayed.plan, language="fr", date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2025, 12, 31)
    )
    text = render_html(report, static_url="/static/")
    assert '<link rel="stylesheet" href="/static/jalon/status.css">' in text


def test_a_plans_status_keeps_its_own_partial_and_classes(member_client: Client, delayed: Item) -> None:
    text = page(member_client, reverse("plans:detail", args=[delayed.plan.slug]))
    assert '<span class="plan-status plan-status--adopted">' in text
    assert 'class="status' not in text
    assert "action-status--adopted" not in text
