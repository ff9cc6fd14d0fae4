"""A plan's dashboard, timeline, filtered actions and map, and the actions of the token's
owner, through the API: members read them as on the web, with the same figures, and the
number of queries does not follow the size of the plan."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.directory.models import ItemLink, LinkStatus, Place, PlaceKind
from jalon.plans.models import Item, Plan
from jalon.tracking import services as tracking
from jalon.tracking.models import Milestone, Status

from .api_client import Api, error_code
from .factories import make_plan, person, wide_tree

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate() - datetime.timedelta(days=365)


def actions_of(plan: Plan) -> list[Item]:
    return list(plan.items.leaves().in_document_order())  # type: ignore[attr-defined]


def led_late_and_reported(item: Item, lead: User) -> None:
    """Give the action a lead, a due date a year ago and an update, as a lead would."""
    row = tracking.tracking_for(item)
    row.status, row.progress, row.due_date = Status.IN_PROGRESS, 40, LAST_YEAR
    row.save()
    row.leads.add(lead)
    tracking.update_post(item=item, author=lead, text="Atelier tenu à Tegucigalpa.")


# Dashboard


def test_the_dashboard_shows_progress_late_actions_lonely_actions_and_updates(plan: Plan) -> None:
    first, *others = actions_of(plan)
    led_late_and_reported(first, person("lea", Role.LEAD))
    body = Api(person("martin")).get("/plans/plan/dashboard").json()
    assert body["plan"] == "plan" and body["progress"]["actions"] == 4
    assert body["progress"]["by_status"] == {"in_progress": 1, "not_started": 3}
    assert body["progress"]["progress"] == 10
    assert [axis["code"] for axis in body["axes"]] == ["1"]
    assert body["late"]["count"] == 1 and body["late"]["items"][0]["leads"] == ["lea"]
    assert body["late"]["items"][0]["due_date"] == LAST_YEAR.isoformat()
    assert body["without_lead"]["count"] == 3
    assert {row["id"] for row in body["without_lead"]["items"]} == {item.pk for item in others}
    assert body["stale"]["count"] == 3
    assert body["recent_updates"][0]["item"] == first.pk
    assert body["recent_updates"][0]["author"] == "lea"


def test_the_dashboard_takes_as_many_queries_for_500_items_as_for_7(plan: Plan) -> None:
    big = make_plan(slug="grand", items=wide_tree(500))
    lead = person("lea", Role.LEAD)
    for each in (plan, big):
        for item in actions_of(each)[:3]:
            led_late_and_reported(item, lead)
    api = Api(person("martin"))
    api.queries("/plans/plan/dashboard")
    assert api.queries("/plans/grand/dashboard") == api.queries("/plans/plan/dashboard")


def test_the_dashboard_needs_a_token_and_a_known_plan(plan: Plan) -> None:
    response = Api(None).get("/plans/plan/dashboard")
    assert response.status_code == 401 and error_code(response) == "unauthenticated"
    assert error_code(Api(person("martin")).get("/plans/nothing/dashboard")) == "not_found"


def test_the_token_of_a_deactivated_member_reads_no_overview(plan: Plan) -> None:
    gone = person("martin")
    api = Api(gone)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    for path in ("/plans/plan/dashboard", "/plans/plan/timeline", "/plans/plan/map", "/me/actions"):
        assert api.get(path).status_code == 401, path


# Timeline


def test_the_timeline_puts_actions_and_milestones_in_the_quarters_of_the_plan(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(
        period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31)
    )
    first, second, *_rest = actions_of(plan)
    row = tracking.tracking_for(first)
    row.due_date = datetime.date(2024, 5, 15)
    row.save()
    Milestone.objects.create(item=second, title="Rapport", due_date=datetime.date(2024, 11, 2))
    body = Api(person("martin")).get("/plans/plan/timeline").json()
    assert [quarter["label"] for quarter in body["quarters"]] == ["T1 2024", "T2 2024", "T3 2024", "T4 2024"]
    second_quarter, fourth = body["quarters"][1], body["quarters"][3]
    assert second_quarter["entries"] == [
        {"date": "2024-05-15", "item": first.pk, "code": first.code, "title": first.title, "milestone": None}
    ]
    assert fourth["entries"][0]["milestone"]["title"] == "Rapport"
    assert len(body["undated"]) == 3


def test_the_timeline_needs_a_token(plan: Plan) -> None:
    assert Api(None).get("/plans/plan/timeline").status_code == 401


# The actions list


def test_actions_filter_by_axis_status_lead_and_lateness_as_on_the_page() -> None:
    plan = make_plan(slug="grand", items=wide_tree(150))
    second_axis = plan.items.get(code="2")
    late_one = plan.items.get(code="2.1.1")
    led_late_and_reported(late_one, person("lea", Role.LEAD))
    api = Api(person("martin"))
    in_axis = api.get("/plans/grand/actions", axis=second_axis.pk).json()
    assert in_axis["count"] == 34 and all(row["code"].startswith("2.") for row in in_axis["items"])
    assert in_axis["items"][0]["tracking"]["leads"] == ["lea"]
    for filters in ({"lead": "lea"}, {"late": "true"}, {"status": "in_progress"}):
        found = api.get("/plans/grand/actions", **filters).json()
        assert [row["id"] for row in found["items"]] == [late_one.pk], filters
    assert api.get("/plans/grand/actions", q="Action 1.3.2").json()["items"][0]["code"] == "1.3.2"


def test_actions_refuse_an_unknown_axis_lead_or_status_naming_the_field(plan: Plan) -> None:
    api = Api(person("martin"))
    for field, value in (("axis", 999999), ("lead", "personne"), ("status", "somewhere")):
        refused = api.get("/plans/plan/actions", **{field: value})
        assert refused.status_code == 422 and error_code(refused) == "invalid"
        assert field in refused.json()["error"]["details"]


def test_actions_take_as_many_queries_for_500_items_as_for_7(plan: Plan) -> None:
    make_plan(slug="grand", items=wide_tree(500))
    api = Api(person("martin"))
    api.queries("/plans/plan/actions")
    assert api.queries("/plans/grand/actions") == api.queries("/plans/plan/actions")


def test_actions_need_a_token(plan: Plan) -> None:
    assert Api(None).get("/plans/plan/actions").status_code == 401


# My actions


def test_my_actions_are_those_i_lead_or_work_on_with_their_lateness(plan: Plan) -> None:
    first, second, third, _fourth = actions_of(plan)
    me = person("lea", Role.LEAD)
    led_late_and_reported(first, me)
    tracking.tracking_for(second).team.add(me)
    tracking.tracking_for(third).leads.add(person("autre", Role.LEAD))
    body = Api(me).get("/me/actions").json()
    assert [row["id"] for row in body] == [first.pk, second.pk]
    assert [row["late"] for row in body] == [True, False]
    assert body[0]["plan"] == "plan" and body[0]["progress"] == 40


def test_my_actions_take_as_many_queries_for_many_actions_as_for_one() -> None:
    plan = make_plan(slug="grand", items=wide_tree(200))
    me = person("lea", Role.LEAD)
    api = Api(me)
    items = actions_of(plan)
    tracking.tracking_for(items[0]).leads.add(me)
    api.queries("/me/actions")
    one = api.queries("/me/actions")
    for item in items[1:100]:
        tracking.tracking_for(item).team.add(me)
    assert api.queries("/me/actions") == one


def test_my_actions_need_a_token() -> None:
    assert Api(None).get("/me/actions").status_code == 401


# The map


def test_the_map_counts_distinct_actions_by_country_and_by_place(plan: Plan) -> None:
    congo = Place.objects.create(
        kind=PlaceKind.COUNTRY, iso_code="CD", name_fr="RD Congo", name_en="DR Congo"
    )
    kivu = Place.objects.create(
        kind=PlaceKind.SUBNATIONAL, name_fr="Sud-Kivu", name_en="South Kivu", parent=congo
    )
    first, second, *_rest = actions_of(plan)
    for item, place in ((first, congo), (first, kivu), (second, kivu)):
        ItemLink.objects.create(item=item, place=place, status=LinkStatus.ACCEPTED)
    body = Api(person("martin")).get("/plans/plan/map").json()
    assert body["countries"] == [{"code": "CD", "name": "RD Congo", "count": 2}]
    assert [(row["name"], row["count"]) for row in body["places"]] == [("Sud-Kivu", 2), ("RD Congo", 1)]


def test_the_map_leaves_out_proposed_links(plan: Plan) -> None:
    congo = Place.objects.create(
        kind=PlaceKind.COUNTRY, iso_code="CD", name_fr="RD Congo", name_en="DR Congo"
    )
    ItemLink.objects.create(item=actions_of(plan)[0], place=congo, status=LinkStatus.PROPOSED)
    body = Api(person("martin")).get("/plans/plan/map").json()
    assert body["countries"] == [] and body["places"] == []


def test_the_map_is_also_a_downloadable_svg(plan: Plan) -> None:
    response = Api(person("martin")).get("/plans/plan/map.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="plan-map.svg"'
    assert b"<svg" in response.content


def test_the_map_needs_a_token(plan: Plan) -> None:
    assert Api(None).get("/plans/plan/map").status_code == 401
    assert Api(None).get("/plans/plan/map.svg").status_code == 401


def test_a_read_only_token_reads_every_overview(plan: Plan) -> None:
    api = Api(person("martin"), Scope.READ)
    for path in ("dashboard", "timeline", "actions", "map", "map.svg"):
        assert api.get(f"/plans/plan/{path}").status_code == 200, path
    assert api.get("/me/actions").status_code == 200
