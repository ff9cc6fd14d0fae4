"""The overview pages: plan tree progress, dashboard, my actions, timeline, actions list, search."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan
from jalon.tracking.models import Milestone, Status, Tracking, Update

from .factories import item, item_coded, make_plan, signed_in, small_tree, wide_tree

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=200)


def track(target: Item, *, leads: list[User] = (), team: list[User] = (), **fields) -> Tracking:  # type: ignore[assignment]
    tracking = Tracking.objects.create(item=target, **fields)
    tracking.leads.set(leads)
    tracking.team.set(team)
    return tracking


@pytest.fixture
def plan(lead: User) -> Plan:
    """Honduras late with a lead, CAIME done and recently updated, the two 1.4.4 without a lead."""
    plan = make_plan(
        slug="plan", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2025, 12, 31)
    )
    track(
        item_coded(plan, "1.1.1."),
        leads=[lead],
        status=Status.IN_PROGRESS,
        progress=40,
        due_date=datetime.date(2024, 5, 31),
    )
    caime = track(
        item_coded(plan, "1.1.2"),
        leads=[lead],
        status=Status.DONE,
        progress=100,
        due_date=datetime.date(2025, 11, 30),
    )
    Update.objects.create(
        item=caime.item, author=lead, date=TODAY, text="Le CAIME est pérennisé, bravo à tous"
    )
    Update.objects.create(
        item=item_coded(plan, "1.1.1."), author=lead, date=LONG_AGO, text="Atelier au Honduras"
    )
    return plan


def page(name: str, plan: Plan | None = None) -> str:
    return reverse(f"overview:{name}", args=[plan.slug] if plan else [])


def html(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def section(text: str, anchor: str) -> str:
    """Return the dashboard section that starts at the heading with this id."""
    start = text.index(f'id="{anchor}"')
    end = text.find("<section", start)
    return text[start : end if end != -1 else None]


PLAN_PAGES = ["dashboard", "timeline", "actions"]
ALL_PAGES = [(name, True) for name in PLAN_PAGES] + [("my_actions", False), ("search", False)]


# Access


@pytest.mark.parametrize(("name", "of_plan"), ALL_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, plan: Plan, name: str, of_plan: bool
) -> None:
    url = page(name, plan if of_plan else None)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize(("name", "of_plan"), ALL_PAGES)
def test_members_read_every_page_with_one_h1(
    member_client: Client, plan: Plan, name: str, of_plan: bool
) -> None:
    text = html(member_client, page(name, plan if of_plan else None))
    assert text.count("<h1") == 1


def test_the_plan_tabs_link_the_overview_pages_for_members(member_client: Client, plan: Plan) -> None:
    text = html(member_client, reverse("plans:detail", args=[plan.slug]))
    for name in PLAN_PAGES:
        assert f'href="{page(name, plan)}"' in text


# Plan tree


def test_the_tree_shows_rolled_up_progress_and_each_actions_status(member_client: Client, plan: Plan) -> None:
    text = html(member_client, reverse("plans:detail", args=[plan.slug]))
    assert "70 %" in text  # orientation 1.1: (40 + 100) / 2
    assert "35 %" in text  # axis 1: (40 + 100 + 0 + 0) / 4
    assert "En cours" in text and "Terminée" in text
    assert '<progress max="100" value="70"' in text


# Dashboard


def test_the_dashboard_lists_late_actions_with_their_due_date_and_lead(
    member_client: Client, plan: Plan
) -> None:
    late = section(html(member_client, page("dashboard", plan)), "late")
    assert "1.1.1." in late and "Léa" in late and "2024-05-31" in late
    assert "1.1.2" not in late


def test_the_dashboard_lists_actions_without_a_lead(member_client: Client, plan: Plan) -> None:
    no_lead = section(html(member_client, page("dashboard", plan)), "no-lead")
    assert no_lead.count("1.4.4") == 2 and "1.1.1." not in no_lead


def test_the_dashboard_lists_open_actions_without_a_recent_update(member_client: Client, plan: Plan) -> None:
    stale = section(html(member_client, page("dashboard", plan)), "stale")
    assert "1.1.1." in stale  # its only update is 200 days old
    assert stale.count("1.4.4") == 2  # never updated, never tracked
    assert "1.1.2" not in stale  # done


def test_the_dashboard_shows_recent_updates_and_counts_by_status(member_client: Client, plan: Plan) -> None:
    text = html(member_client, page("dashboard", plan))
    updates = section(text, "updates")
    assert "Le CAIME est pérennisé" in updates and "Léa" in updates
    assert updates.index("CAIME") < updates.index("Honduras")
    assert '<span class="action-status action-status--not_started">Non commencée</span> 2' in section(
        text, "by-status"
    )
    assert page("search") in text


def test_the_dashboard_shows_an_updates_words_without_its_markdown_marks(
    member_client: Client, plan: Plan, lead: User
) -> None:
    text = "**Atelier** tenu à [Monastir](https://exemple.org) & <script>x</script>"
    Update.objects.create(item=item_coded(plan, "1.1.2"), author=lead, text=text)
    updates = section(html(member_client, page("dashboard", plan)), "updates")
    assert "Atelier tenu à Monastir &amp; &lt;script&gt;x&lt;/script&gt;" in updates
    assert "**" not in updates and "](" not in updates


def test_the_dashboard_reads_the_demo(member_client: Client) -> None:
    call_command("demo", verbosity=0)
    plan = Plan.objects.get()
    text = html(member_client, page("dashboard", plan))
    assert text.count("<h1") == 1 and "%" in section(text, "by-axis")


def test_the_dashboard_takes_as_many_queries_for_a_large_plan_as_for_a_small_one(
    member_client: Client, lead: User
) -> None:
    small, large = make_plan(slug="petit", items=wide_tree(12)), make_plan(slug="grand", items=wide_tree(300))
    for plan in (small, large):
        for number, leaf in enumerate(plan.items.leaves()):
            tracking = track(
                leaf, leads=[lead] if number % 2 else [], due_date=LONG_AGO, status=Status.IN_PROGRESS
            )
            Update.objects.create(item=tracking.item, author=lead, date=LONG_AGO, text="Suivi")
    counts = []
    for plan in (small, small, large):
        with CaptureQueriesContext(connection) as queries:
            html(member_client, page("dashboard", plan))
        counts.append(len(queries))
    assert counts[1] == counts[2]


def test_the_dashboard_shows_the_first_50_of_a_long_list_and_links_to_the_rest(
    member_client: Client, lead: User
) -> None:
    plan = make_plan(slug="grand", items=wide_tree(80))
    for leaf in plan.items.leaves():
        track(leaf, due_date=LONG_AGO, status=Status.IN_PROGRESS)
    late = section(html(member_client, page("dashboard", plan)), "late")
    assert late.count("<tr>") == 50 + 1  # the header row, then fifty actions
    assert f"{page('actions', plan)}?late=on" in late


# My actions


def test_my_actions_lists_what_i_lead_or_work_on_across_plans(plan: Plan, lead: User) -> None:
    other = make_plan(
        slug="autre", title="Autre plan", items=[item("9", "Axe", item("9.1", "Action d'équipe"))]
    )
    track(item_coded(other, "9.1"), team=[lead], status=Status.DELAYED, progress=10)
    text = html(signed_in(lead), page("my_actions"))
    assert "1.1.1." in text and "1.1.2" in text and "9.1" in text and "1.4.4" not in text
    assert text.count('class="late"') == 1  # 1.1.1., due in 2024 and still open


def test_my_actions_is_empty_for_someone_without_actions(member_client: Client, plan: Plan) -> None:
    assert "1.1.1." not in html(member_client, page("my_actions"))


# Timeline


def test_the_timeline_groups_actions_and_milestones_by_quarter_in_french(
    member_client: Client, plan: Plan
) -> None:
    Milestone.objects.create(
        item=item_coded(plan, "1.1.2"), title="Assemblée des partenaires", due_date=datetime.date(2024, 8, 15)
    )
    text = html(member_client, page("timeline", plan))
    assert text.count("<h2") == 9  # eight quarters of 2024-2025, then those without a date
    q2, q3 = text.index(">T2 2024<"), text.index(">T3 2024<")
    assert q2 < text.index("1.1.1.") < q3 < text.index("Assemblée des partenaires") < text.index(">T4 2024<")
    assert text.index("Sans date") < text.rindex("1.4.4")


def test_the_timeline_names_quarters_in_english(member_client: Client, plan: Plan) -> None:
    member_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = html(member_client, page("timeline", plan))
    assert ">Q1 2024<" in text and ">Q4 2025<" in text and "T1 2024" not in text


# Actions list and search


def codes_listed(client: Client, plan: Plan, **params: str) -> set[str]:
    text = html(client, page("actions", plan), **params)
    body = text[text.index('id="results"') :]
    return {code for code in ("1.1.1.", "1.1.2", "1.4.4") if f'<span class="code">{code}</span>' in body}


def test_the_actions_list_labels_its_filters(member_client: Client, plan: Plan) -> None:
    text = html(member_client, page("actions", plan))
    for name in ("q", "axis", "status", "lead", "late"):
        assert f'for="id_{name}"' in text and f'id="id_{name}"' in text


def test_the_actions_list_filters_and_the_filters_combine(
    member_client: Client, plan: Plan, lead: User
) -> None:
    axis = plan.items.roots().get()
    assert codes_listed(member_client, plan) == {"1.1.1.", "1.1.2", "1.4.4"}
    assert codes_listed(member_client, plan, status=Status.NOT_STARTED) == {"1.4.4"}
    assert codes_listed(member_client, plan, lead=str(lead.pk)) == {"1.1.1.", "1.1.2"}
    assert codes_listed(member_client, plan, lead=str(lead.pk), late="on") == {"1.1.1."}
    assert codes_listed(member_client, plan, axis=str(axis.pk), status=Status.DONE) == {"1.1.2"}
    assert codes_listed(member_client, plan, q="honduras", late="on") == {"1.1.1."}
    assert codes_listed(member_client, plan, q="caime", late="on") == set()


@pytest.mark.parametrize("query", ["quebec", "QUÉBEC", "Québec"])
def test_the_actions_list_search_ignores_accents_and_case(member_client: Client, query: str) -> None:
    plan = make_plan(
        slug="qc", items=[item("1", "Axe", item("1.1", "Mobiliser au Québec"), item("1.2", "Soutenir Haïti"))]
    )
    text = html(member_client, page("actions", plan), q=query)
    assert "Mobiliser au Québec" in text and "Soutenir Haïti" not in text


@pytest.mark.parametrize(
    ("query", "found"),
    [("HAITI", "Haïti"), ("haïti", "Haïti"), ("quebec", "Québec"), ("honduras", "Honduras")],
)
def test_the_search_finds_items_of_every_plan_whatever_the_accents_and_case(
    member_client: Client, query: str, found: str
) -> None:
    make_plan(slug="un", items=small_tree())
    make_plan(slug="deux", title="Autre", items=[item("1", "Concertation pour Haïti")])
    text = html(member_client, page("search"), q=query)
    results = text[text.index('id="results"') :]
    assert found in results


def test_the_search_says_when_nothing_matches(member_client: Client) -> None:
    make_plan(slug="un")
    assert "Aucun élément" in html(member_client, page("search"), q="introuvable")
