"""The directory, links, results, indicators and budgets through the API, with the same
rights as on the pages: members read, coordinators keep the directory and decide links,
the leads of an action record its indicators and budget."""

from __future__ import annotations

import pytest

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind
from jalon.plans.models import Item, Plan
from jalon.results.models import BudgetLine, IndicatorValue
from jalon.tracking import services as tracking

from .factories import make_plan
from .test_api import Api, error_code, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    return make_plan(slug="plan")


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


def test_links_are_detected_listed_and_decided(plan: Plan, honduras: Place) -> None:
    coordinator = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    detected = coordinator.send("post", "/plans/plan/links/detect", {})
    assert detected.status_code == 200 and detected.json()["proposed"] >= 1
    links = coordinator.get(f"/items/{action(plan).pk}/links", status="proposed").json()
    honduras_link = next(link for link in links if link["name"] == "Honduras")
    assert honduras_link["kind"] == "place" and "Honduras" in honduras_link["evidence"]
    decided = coordinator.send("patch", f"/links/{honduras_link['id']}", {"accept": True})
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
