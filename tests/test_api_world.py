"""The directory, links, results, indicators and budgets through the API, with the same
rights as on the pages: members read, coordinators keep the directory and decide links,
the leads of an action record its indicators and budget."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.directory import services as directory_services
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind, Theme
from jalon.plans.models import Item, Plan
from jalon.results import services as results_services
from jalon.results.models import BudgetLine, Indicator, IndicatorValue
from jalon.tracking import services as tracking

from .api_client import Api, error_code
from .factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def honduras() -> Place:
    return Place.objects.create(kind=PlaceKind.COUNTRY, iso_code="HN", name_fr="Honduras", name_en="Honduras")


def action(plan: Plan) -> Item:
    return plan.items.get(code="1.1.1.")


def lead_of(item: Item) -> User:
    lead = person("lea", Role.LEAD)
    tracking.tracking_for(item).leads.add(lead)
    return lead


def test_a_coordinator_adds_a_partner_and_a_member_reads_it_but_cannot(honduras: Place) -> None:
    body = {"name": "FOTSSIEH", "acronym": "FOTSSIEH", "country": "HN", "organisation_type": "22"}
    created = Api(person("coord", Role.COORDINATOR), Scope.WRITE).send("post", "/partners", body)
    assert created.status_code == 201, created.content
    assert created.json()["country"] == "HN"
    member = Api(person("martin"), Scope.WRITE)
    assert member.get("/partners", q="fotss").json()["items"][0]["name"] == "FOTSSIEH"
    assert member.send("post", "/partners", {"name": "Autre"}).status_code == 403


def test_a_partner_with_a_bad_type_or_country_is_refused_naming_the_field(honduras: Place) -> None:
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    refused = api.send("post", "/partners", {"name": "X", "organisation_type": "99"})
    assert refused.status_code == 422 and "organisation_type" in str(refused.json()["error"]["details"])
    assert error_code(api.send("post", "/partners", {"name": "X", "country": "ZZ"})) == "invalid"
    assert not Partner.objects.exists()


def test_links_are_detected_listed_and_decided(plan: Plan, honduras: Place, coordinator_api: Api) -> None:
    detected = coordinator_api.send("post", "/plans/plan/links/detect", {})
    assert detected.status_code == 200 and detected.json()["proposed"] >= 1
    links = coordinator_api.get(f"/items/{action(plan).pk}/links", status="proposed").json()
    honduras_link = next(link for link in links if link["name"] == "Honduras")
    assert honduras_link["kind"] == "place" and "Honduras" in honduras_link["evidence"]
    decided = coordinator_api.send("patch", f"/links/{honduras_link['id']}", {"accept": True})
    assert decided.json()["status"] == "accepted"
    assert ItemLink.objects.get(pk=honduras_link["id"]).status == LinkStatus.ACCEPTED
    member = Api(person("martin"), Scope.WRITE)
    assert member.send("patch", f"/links/{honduras_link['id']}", {"accept": False}).status_code == 403


def test_the_lead_of_an_action_defines_an_indicator_and_records_a_value(plan: Plan) -> None:
    item = action(plan)
    api = Api(lead_of(item), Scope.WRITE)
    result = api.send("post", f"/items/{item.pk}/results", {"title": "Travailleuses formées"})
    assert result.status_code == 201, result.content
    indicator = api.send(
        "post",
        f"/results/{result.json()['id']}/indicators",
        {"title": "Taux de satisfaction", "measure": "percent"},
    )
    assert indicator.status_code == 201, indicator.content
    url = f"/indicators/{indicator.json()['id']}"
    period = {"period_start": "2024-01-01", "period_end": "2024-12-31"}
    assert api.send("put", f"{url}/targets", {**period, "value": "80"}).status_code == 200
    refused = api.send("post", f"{url}/values", {**period, "value": "140"})
    assert refused.status_code == 422 and "value" in str(refused.json()["error"]["details"])
    recorded = api.send("post", f"{url}/values", {**period, "value": "72.5"})
    assert recorded.status_code == 201 and IndicatorValue.objects.get().value == 72.5
    listed = api.get(f"/items/{item.pk}/results").json()
    assert listed[0]["indicators"][0]["targets"][0]["value"] == "80.00"


def test_another_lead_cannot_record_on_an_action_they_do_not_lead(plan: Plan) -> None:
    item = action(plan)
    mine = Api(lead_of(item), Scope.WRITE)
    result = mine.send("post", f"/items/{item.pk}/results", {"title": "Atelier"}).json()
    other = Api(person("autre", Role.LEAD), Scope.WRITE)
    assert other.send("post", f"/results/{result['id']}/indicators", {"title": "x"}).status_code == 403


def test_a_budget_line_is_set_with_its_funder(plan: Plan) -> None:
    item = action(plan)
    funder = Partner.objects.create(name="Affaires mondiales Canada", acronym="AMC", is_funder=True)
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    body = {"year": 2024, "planned": "45000", "spent": "43120.50", "funder": funder.pk}
    saved = api.send("put", f"/items/{item.pk}/budget", body)
    assert saved.status_code == 200, saved.content
    assert BudgetLine.objects.get().funder == funder
    assert api.send("put", f"/items/{item.pk}/budget", {**body, "currency": "XYZ"}).status_code == 422
    assert api.get(f"/items/{item.pk}/budget").json()[0]["spent"] == "43120.50"


# Places and themes


@pytest.fixture
def kivu(honduras: Place) -> Place:
    congo = Place.objects.create(
        kind=PlaceKind.COUNTRY, iso_code="CD", name_fr="RD Congo", name_en="DR Congo"
    )
    return Place.objects.create(kind=PlaceKind.SUBNATIONAL, name_fr="Sud-Kivu", parent=congo)


@pytest.fixture
def theme() -> Theme:
    return Theme.objects.create(slug="genre", name_fr="Genre", keywords=["femmes"])


def test_a_coordinator_adds_a_place_inside_a_country(coordinator_api: Api, honduras: Place) -> None:
    body = {"kind": "subnational", "name_fr": "Aquin", "other_names": ["Akin"], "parent": honduras.pk}
    created = coordinator_api.send("post", "/places", body)
    assert created.status_code == 201, created.content
    place = Place.objects.get(pk=created.json()["id"])
    assert place.parent == honduras and place.other_names == ["Akin"]
    assert coordinator_api.get(f"/places/{place.pk}").json()["parent"] == honduras.pk


def test_a_region_is_added_with_its_iati_region_code(coordinator_api: Api) -> None:
    body = {"kind": "region", "name_fr": "Amérique centrale", "iati_region": "389"}
    assert coordinator_api.send("post", "/places", body).status_code == 201
    assert Place.objects.get().iati_region == "389"


@translation.override("en")
def test_a_place_without_a_name_or_as_a_country_or_with_a_bad_region_is_refused(coordinator: User) -> None:
    api = Api(coordinator, Scope.WRITE, language="en")
    nameless = api.send("post", "/places", {"kind": "subnational"})
    assert nameless.status_code == 422 and "Give a name in French or in English." in str(nameless.json())
    assert error_code(api.send("post", "/places", {"kind": "country", "name_fr": "Narnia"})) == "invalid"
    refused = api.send("post", "/places", {"kind": "region", "name_fr": "X", "iati_region": "0"})
    assert refused.status_code == 422 and "iati_region" in str(refused.json()["error"]["details"])
    assert not Place.objects.exists()


def test_a_place_is_replaced_but_never_put_inside_itself(coordinator_api: Api, kivu: Place) -> None:
    body = {"kind": "subnational", "name_fr": "Sud-Kivu", "name_en": "South Kivu", "parent": kivu.parent_id}
    assert coordinator_api.send("put", f"/places/{kivu.pk}", body).status_code == 200
    kivu.refresh_from_db()
    assert kivu.name_en == "South Kivu"
    looped = coordinator_api.send("put", f"/places/{kivu.pk}", {**body, "parent": kivu.pk})
    assert looped.status_code == 422 and "parent" in str(looped.json()["error"]["details"])
    kivu.refresh_from_db()
    assert kivu.parent != kivu


def test_a_country_keeps_its_kind_and_code_when_its_names_change(
    coordinator_api: Api, honduras: Place
) -> None:
    body = {"kind": "region", "name_fr": "Le Honduras", "name_en": "Honduras", "iati_region": "389"}
    replaced = coordinator_api.send("put", f"/places/{honduras.pk}", body)
    assert replaced.status_code == 200, replaced.content
    honduras.refresh_from_db()
    assert (honduras.kind, honduras.iso_code, honduras.name_fr) == ("country", "HN", "Le Honduras")
    assert honduras.iati_region == ""


def test_a_coordinator_loads_the_missing_countries_once(coordinator_api: Api, honduras: Place) -> None:
    added = coordinator_api.send("post", "/places/countries", {})
    assert added.status_code == 200 and added.json()["added"] == Place.objects.count() - 1 > 200
    assert coordinator_api.send("post", "/places/countries", {}).json() == {"added": 0}
    assert Place.objects.get(iso_code="HN") == honduras


def test_a_coordinator_adds_a_theme_whose_identifier_comes_from_its_name(coordinator_api: Api) -> None:
    body = {"name_fr": "Droits des femmes", "keywords": ["féminisme", "égalité"], "iati_sector": "15170"}
    created = coordinator_api.send("post", "/themes", body)
    assert created.status_code == 201, created.content
    theme = Theme.objects.get()
    assert (theme.slug, theme.keywords, theme.iati_sector) == (
        "droits-des-femmes",
        ["féminisme", "égalité"],
        "15170",
    )
    assert coordinator_api.get(f"/themes/{theme.pk}").json()["slug"] == "droits-des-femmes"


def test_a_theme_with_a_taken_identifier_or_an_unknown_sector_is_refused(
    coordinator_api: Api, theme: Theme
) -> None:
    taken = coordinator_api.send("post", "/themes", {"name_fr": "Genre"})
    assert taken.status_code == 422 and "slug" in str(taken.json()["error"]["details"])
    sector = coordinator_api.send("put", f"/themes/{theme.pk}", {"name_fr": "Genre", "iati_sector": "1"})
    assert sector.status_code == 422 and error_code(sector) == "invalid"
    assert Theme.objects.get().iati_sector == "" and Theme.objects.count() == 1


def test_a_coordinator_replaces_a_theme(coordinator_api: Api, theme: Theme) -> None:
    body = {"name_fr": "Genre", "name_en": "Gender", "slug": "genre", "keywords": ["femmes", "women"]}
    assert coordinator_api.send("put", f"/themes/{theme.pk}", body).status_code == 200
    theme.refresh_from_db()
    assert theme.name_en == "Gender" and theme.keywords == ["femmes", "women"]


# The items of a directory entry


def accept_every_link(plan: Plan) -> None:
    directory_services.links_propose(plan=plan)
    directory_services.links_decide_all(plan=plan, user=None, accept=True)


def test_a_place_lists_its_items_and_those_of_the_places_inside_it_with_their_progress(
    plan: Plan, kivu: Place
) -> None:
    item = action(plan)
    ItemLink.objects.create(item=item, place=kivu, status=LinkStatus.ACCEPTED, evidence="Sud-Kivu")
    tracking.action_update(item=item, user=None, expected_version=1, changes={"progress": 40})
    api = Api(person("martin"))
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/places/{kivu.parent_id}/items").json()
    assert body["count"] == 1 and len(queries) <= 6
    found = body["items"][0]
    assert (found["id"], found["plan"], found["is_action"], found["evidence"]) == (
        item.pk,
        "plan",
        True,
        "Sud-Kivu",
    )
    assert found["progress"]["progress"] == 40


def test_a_partner_and_a_theme_list_their_accepted_items_only(
    plan: Plan, honduras: Place, theme: Theme
) -> None:
    partner = Partner.objects.create(name="CAIME")
    directory_services.links_propose(plan=plan)
    api = Api(person("martin"))
    assert api.get(f"/partners/{partner.pk}/items").json()["count"] == 0
    accept_every_link(plan)
    partner_items = api.get(f"/partners/{partner.pk}/items").json()["items"]
    assert [found["code"] for found in partner_items] == ["1.1.2"]
    assert api.get(f"/themes/{theme.pk}/items").json() == {"items": [], "count": 0}
    assert api.get("/themes/999999/items").status_code == 404


# Links


def test_a_coordinator_accepts_every_proposed_link_of_a_plan(plan: Plan, honduras: Place) -> None:
    directory_services.links_propose(plan=plan)
    proposed = ItemLink.objects.filter(status=LinkStatus.PROPOSED).count()
    decided = Api(person("coord", Role.COORDINATOR), Scope.WRITE).send(
        "post", "/plans/plan/links/decide-all", {"accept": True}
    )
    assert decided.status_code == 200 and decided.json() == {"decided": proposed} and proposed >= 1
    assert not ItemLink.objects.filter(status=LinkStatus.PROPOSED).exists()
    assert ItemLink.objects.accepted().first().decided_by.username == "coord"  # type: ignore[union-attr]


def test_deciding_every_link_needs_a_decision(plan: Plan, honduras: Place) -> None:
    directory_services.links_propose(plan=plan)
    refused = Api(person("coord", Role.COORDINATOR), Scope.WRITE).send(
        "post", "/plans/plan/links/decide-all", {}
    )
    assert refused.status_code == 422 and error_code(refused) == "invalid"
    assert not ItemLink.objects.exclude(status=LinkStatus.PROPOSED).exists()


# Indicators


def indicator_of(item: Item, **fields: Any) -> Indicator:
    result = results_services.result_add(item=item, kind="outcome", title="Travailleuses formées")
    return results_services.indicator_add(result=result, title="Taux de satisfaction", **fields)


def test_the_lead_of_an_action_edits_its_indicator_keeping_the_fields_left_out(plan: Plan) -> None:
    item = action(plan)
    indicator = indicator_of(item, measure="percent", unit="%", data_source="Enquête")
    lead = lead_of(item)
    body = {"title": "Satisfaction des participantes", "baseline_value": "0", "responsible": "lea"}
    edited = Api(lead, Scope.WRITE).send("patch", f"/indicators/{indicator.pk}", body)
    assert edited.status_code == 200, edited.content
    indicator.refresh_from_db()
    assert indicator.title == "Satisfaction des participantes" and indicator.baseline_value == 0
    assert (indicator.measure, indicator.data_source, indicator.responsible) == ("percent", "Enquête", lead)
    assert edited.json()["responsible"] == "lea"
    assert Api(person("martin")).get(f"/indicators/{indicator.pk}").json()["title"] == indicator.title


def test_a_null_clears_the_baseline_of_an_indicator_but_keeps_its_title(plan: Plan) -> None:
    indicator = indicator_of(action(plan), baseline_value=Decimal(12), ascending=False)
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    body = {"title": None, "ascending": None, "baseline_value": None}
    assert api.send("patch", f"/indicators/{indicator.pk}", body).status_code == 200
    indicator.refresh_from_db()
    assert (indicator.title, indicator.ascending, indicator.baseline_value) == (
        "Taux de satisfaction",
        False,
        None,
    )


@translation.override("en")
def test_an_indicator_edit_that_breaks_its_measure_is_refused_naming_the_field(plan: Plan) -> None:
    indicator = indicator_of(action(plan), measure="percent")
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE, language="en")
    refused = api.send("patch", f"/indicators/{indicator.pk}", {"baseline_value": "140"})
    assert refused.status_code == 422 and "A percent lies between 0 and 100." in str(refused.json())
    assert "baseline_value" in refused.json()["error"]["details"]
    assert error_code(api.send("patch", f"/indicators/{indicator.pk}", {"frequency": "weekly"})) == "invalid"
    assert (
        error_code(api.send("patch", f"/indicators/{indicator.pk}", {"responsible": "nobody"}))
        == "unknown_people"
    )
    assert Indicator.objects.get().baseline_value is None and Indicator.objects.get().frequency == "yearly"


def test_the_plan_indicators_say_where_each_stands(plan: Plan) -> None:
    indicator = indicator_of(action(plan), measure="percent")
    period = {"period_start": datetime.date(2024, 1, 1), "period_end": datetime.date(2024, 12, 31)}
    results_services.target_set(indicator=indicator, value=Decimal(80), **period)
    results_services.value_record(
        indicator=indicator, user=person("coord", Role.COORDINATOR), value=Decimal(72), **period
    )
    indicator_of(plan.items.get(code="1.1.2"))
    api = Api(person("martin"))
    with CaptureQueriesContext(connection) as queries:
        rows = api.get("/plans/plan/indicators").json()
    assert len(queries) <= 6
    assert [row["item_code"] for row in rows] == ["1.1.1.", "1.1.2"]
    assert rows[0]["latest"]["value"] == "72.00" and rows[0]["target"]["value"] == "80.00"
    assert rows[1]["status"] == "no_target" and rows[1]["latest"] is None


# The plan's budget


def test_the_plan_budget_keeps_each_currency_apart_by_item_year_and_funder(plan: Plan) -> None:
    funder = Partner.objects.create(name="Affaires mondiales Canada", acronym="AMC", is_funder=True)
    first, second = action(plan), plan.items.get(code="1.1.2")
    results_services.budget_line_set(
        item=first, year=2024, planned=Decimal(1000), spent=Decimal(250), funder=funder
    )
    results_services.budget_line_set(item=second, year=2025, planned=Decimal(500), spent=Decimal(0))
    results_services.budget_line_set(
        item=second, year=2025, planned=Decimal(300), spent=Decimal(0), currency="USD"
    )
    body = Api(person("martin")).get("/plans/plan/budget").json()
    assert [(t["currency"], t["planned"]) for t in body["totals"]] == [("CAD", "1500.00"), ("USD", "300.00")]
    assert [(y["year"], y["currency"]) for y in body["by_year"]] == [
        (2024, "CAD"),
        (2025, "CAD"),
        (2025, "USD"),
    ]
    assert body["by_funder"][0]["funder"] == funder.pk and body["by_funder"][0]["percent_spent"] == 25
    assert body["by_funder"][-1]["funder"] is None
    axis = body["items"][0]
    assert axis["code"] == "1" and [a["currency"] for a in axis["amounts"]] == ["CAD", "USD"]


# Who may do it


def _ids(plan: Plan, honduras: Place) -> dict[str, Any]:
    item = action(plan)
    theme = Theme.objects.create(slug="genre", name_fr="Genre")
    partner = Partner.objects.create(name="CAIME")
    return {
        "place": honduras.pk,
        "theme": theme.pk,
        "partner": partner.pk,
        "indicator": indicator_of(item).pk,
    }


WRITES = [
    ("post", "/places", {"kind": "region", "name_fr": "Caraïbes"}),
    ("put", "/places/{place}", {"name_fr": "Le Honduras"}),
    ("post", "/places/countries", {}),
    ("post", "/themes", {"name_fr": "Climat"}),
    ("put", "/themes/{theme}", {"name_fr": "Égalité"}),
    ("post", "/plans/plan/links/decide-all", {"accept": True}),
    ("patch", "/indicators/{indicator}", {"title": "Autre"}),
]

READS = [
    "/places/{place}",
    "/themes/{theme}",
    "/partners/{partner}/items",
    "/places/{place}/items",
    "/themes/{theme}/items",
    "/indicators/{indicator}",
    "/plans/plan/indicators",
    "/plans/plan/budget",
]


def _snapshot() -> list[Any]:
    return [
        sorted(Place.objects.values_list("pk", "name_fr")),
        sorted(Theme.objects.values_list("pk", "name_fr")),
        sorted(ItemLink.objects.values_list("pk", "status")),
        list(Indicator.objects.values_list("title", flat=True)),
    ]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_read_only_token_never_writes(
    plan: Plan, honduras: Place, method: str, path: str, body: dict[str, Any]
) -> None:
    ids = _ids(plan, honduras)
    before = _snapshot()
    refused = Api(person("coord", Role.COORDINATOR), Scope.READ).send(method, path.format(**ids), body)
    assert refused.status_code == 403 and error_code(refused) == "read_only_token"
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_member_may_not_write(
    plan: Plan, honduras: Place, method: str, path: str, body: dict[str, Any]
) -> None:
    ids = _ids(plan, honduras)
    before = _snapshot()
    refused = Api(person("martin"), Scope.WRITE).send(method, path.format(**ids), body)
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    assert _snapshot() == before


def test_the_lead_of_another_action_may_not_edit_its_indicator(plan: Plan) -> None:
    indicator = indicator_of(action(plan))
    lead_of(plan.items.get(code="1.1.2"))
    refused = Api(User.objects.get(username="lea"), Scope.WRITE).send(
        "patch", f"/indicators/{indicator.pk}", {"title": "x"}
    )
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    assert Indicator.objects.get().title == "Taux de satisfaction"


@pytest.mark.parametrize(("method", "path", "body"), WRITES + [("get", path, {}) for path in READS])
def test_without_a_token_nothing_is_read_or_written(
    plan: Plan, honduras: Place, method: str, path: str, body: dict[str, Any]
) -> None:
    ids = _ids(plan, honduras)
    before = _snapshot()
    api = Api(None)
    answer = api.get(path.format(**ids)) if method == "get" else api.send(method, path.format(**ids), body)
    assert answer.status_code == 401 and error_code(answer) == "unauthenticated"
    assert _snapshot() == before


@pytest.mark.parametrize("path", READS)
def test_a_read_only_token_of_a_member_reads(plan: Plan, honduras: Place, path: str) -> None:
    assert Api(person("martin")).get(path.format(**_ids(plan, honduras))).status_code == 200
