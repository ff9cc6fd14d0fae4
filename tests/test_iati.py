"""IATI 2.03 activity XML: valid against the official schema and codelists, one activity
per action or per orientation, and refused, with the reason, when it would not be."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from lxml import etree

from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind
from jalon.iati.export import IatiError, ReportingOrg, activities_xml, iati_document
from jalon.iati.validation import problems
from jalon.plans.models import Item, Plan
from jalon.results.models import BudgetLine, Indicator, Measure, Result, ResultKind

from .factories import demo_seed, person

pytestmark = pytest.mark.django_db

ALTERNATIVES = ReportingOrg(ref="CA-CRA_ACC-123456789", name="Alternatives", type="21")


@pytest.fixture
def plan() -> Plan:
    return demo_seed()


def action(plan: Plan, code: str) -> Item:
    return plan.items.filter(code=code).order_by("path").first()


def parsed(document: bytes) -> etree._Element:
    return etree.fromstring(document)


def country(code: str, name: str) -> Place:
    return Place.objects.create(kind=PlaceKind.COUNTRY, iso_code=code, name_fr=name, name_en=name)


def link(item: Item, **target: object) -> None:
    ItemLink.objects.create(item=item, status=LinkStatus.ACCEPTED, **target)


@pytest.mark.parametrize(("level", "count"), [("action", 41), ("orientation", 10)])
def test_the_seed_with_its_demo_data_is_valid_iati(plan: Plan, level: str, count: int) -> None:
    document = iati_document(plan, level=level, reporting_org=ALTERNATIVES)  # type: ignore[arg-type]
    assert problems(document) == []
    activities = parsed(document).findall("iati-activity")
    assert len(activities) == count


def test_each_action_has_its_own_stable_identifier_even_when_codes_repeat(plan: Plan) -> None:
    root = parsed(activities_xml(plan, level="action", reporting_org=ALTERNATIVES))
    identifiers = [element.text for element in root.iter("iati-identifier")]
    assert len(set(identifiers)) == len(identifiers) == 41
    repeated = plan.items.filter(code="1.4.4").order_by("path")
    assert {f"CA-CRA_ACC-123456789-{plan.slug}-{item.pk}" for item in repeated} <= set(identifiers)
    again = parsed(activities_xml(plan, level="action", reporting_org=ALTERNATIVES))
    assert [element.text for element in again.iter("iati-identifier")] == identifiers


def test_countries_share_the_activity_and_partners_take_their_role(plan: Plan) -> None:
    honduras, canada = country("HN", "Honduras"), country("CA", "Canada")
    tegucigalpa = Place.objects.create(kind=PlaceKind.SUBNATIONAL, name_fr="Tegucigalpa", parent=honduras)
    item = action(plan, "1.1.1.")
    link(item, place=tegucigalpa)
    link(item, place=canada)
    link(item, partner=Partner.objects.create(name="FOTSSIEH", organisation_type="22"))
    link(
        item,
        partner=Partner.objects.create(
            name="Affaires mondiales Canada", organisation_type="10", is_funder=True
        ),
    )
    document = iati_document(plan, level="action", reporting_org=ALTERNATIVES)
    activity = next(a for a in parsed(document) if a.find("title/narrative").text.startswith("1.1.1."))
    shares = {c.get("code"): c.get("percentage") for c in activity.findall("recipient-country")}
    assert shares == {"CA": "50.00", "HN": "50.00"}
    roles = {org.find("narrative").text: org.get("role") for org in activity.findall("participating-org")}
    assert roles == {"Alternatives": "2", "FOTSSIEH": "4", "Affaires mondiales Canada": "1"}


def test_three_countries_add_up_to_exactly_one_hundred_percent(plan: Plan) -> None:
    item = action(plan, "1.1.2")
    for code, name in [("HN", "Honduras"), ("GT", "Guatemala"), ("SV", "El Salvador")]:
        link(item, place=country(code, name))
    root = parsed(iati_document(plan, level="action", reporting_org=ALTERNATIVES))
    activity = next(a for a in root if a.find("title/narrative").text.startswith("1.1.2"))
    assert sum(Decimal(c.get("percentage")) for c in activity.findall("recipient-country")) == 100


def test_an_orientation_carries_the_budgets_of_its_actions_by_year_and_currency(plan: Plan) -> None:
    BudgetLine.objects.all().delete()
    for code, year, amount in [("1.1.1.", 2024, 1000), ("1.1.2", 2024, 500), ("1.1.2", 2025, 700)]:
        BudgetLine.objects.create(item=action(plan, code), year=year, planned=Decimal(amount), currency="CAD")
    root = parsed(iati_document(plan, level="orientation", reporting_org=ALTERNATIVES))
    orientation = next(a for a in root if a.find("title/narrative").text.startswith("1.1 "))
    budgets = [
        (b.find("period-start").get("iso-date"), b.find("value").text) for b in orientation.iter("budget")
    ]
    assert budgets == [("2024-01-01", "1500"), ("2025-01-01", "700")]


def test_a_qualitative_indicator_carries_no_value(plan: Plan) -> None:
    result = Result.objects.create(
        item=action(plan, "2.1.1"), kind=ResultKind.OUTCOME, title="Membres consultés"
    )
    indicator = Indicator.objects.create(result=result, title="Avis des membres", measure=Measure.QUALITATIVE)
    indicator.values.create(
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        text="Très positif",
        recorded_by=person("lea"),
    )
    document = iati_document(plan, level="action", reporting_org=ALTERNATIVES)
    qualitative = [i for i in parsed(document).iter("indicator") if i.get("measure") == "5"]
    assert qualitative and all(
        actual.get("value") is None for i in qualitative for actual in i.iter("actual")
    )


def test_a_result_without_indicator_is_refused_by_name(plan: Plan) -> None:
    Result.objects.create(item=action(plan, "2.1.1"), kind=ResultKind.OUTPUT, title="Sondage réalisé")
    with pytest.raises(IatiError, match="Sondage réalisé"):
        iati_document(plan, level="action", reporting_org=ALTERNATIVES)


def test_the_validator_names_the_line_of_a_schema_error_and_of_an_unknown_code(plan: Plan) -> None:
    root = parsed(activities_xml(plan, level="action", reporting_org=ALTERNATIVES))
    first = root.find("iati-activity")
    first.remove(first.find("iati-identifier"))
    first.find("activity-status").set("code", "9")
    found = problems(etree.tostring(root, pretty_print=True))
    messages = " ".join(problem.message for problem in found)
    assert "iati-identifier" in messages and "“9” is not in the ActivityStatus codelist" in messages
    assert all(problem.line > 0 for problem in found)


def test_the_command_writes_a_valid_file(plan: Plan, tmp_path: Path) -> None:
    output = tmp_path / "iati.xml"
    call_command(
        "export", plan.slug, "--format", "iati", "--reporting-org-ref", "CA-CRA_ACC-123", "-o", str(output)
    )
    assert problems(output.read_bytes()) == []


def test_the_command_refuses_without_a_publisher_and_writes_nothing(
    plan: Plan, tmp_path: Path, settings
) -> None:
    settings.JALON_IATI_ORGANISATION_REF = ""
    output = tmp_path / "iati.xml"
    with pytest.raises(CommandError, match="JALON_IATI_ORGANISATION_REF"):
        call_command("export", plan.slug, "--format", "iati", "-o", str(output))
    assert not output.exists()


def test_the_command_refuses_a_code_outside_the_codelists_and_says_which(plan: Plan, tmp_path: Path) -> None:
    output = tmp_path / "iati.xml"
    with pytest.raises(CommandError, match="OrganisationType"):
        call_command(
            "export",
            plan.slug,
            "--format",
            "iati",
            "--reporting-org-ref",
            "X-1",
            "--reporting-org-type",
            "99",
            "-o",
            str(output),
        )
    assert not output.exists()


def test_a_member_downloads_the_iati_file_from_the_plan_page(
    plan: Plan, member_client: Client, settings: Any
) -> None:
    settings.JALON_IATI_ORGANISATION_REF = "CA-CRA_ACC-123"
    page = member_client.get(plan.get_absolute_url()).content.decode()
    assert f"/plans/{plan.slug}/iati.xml?activite=orientation" in page
    response = member_client.get(f"/plans/{plan.slug}/iati.xml", {"activite": "orientation"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert problems(response.content) == [] and len(parsed(response.content).findall("iati-activity")) == 10


def test_without_a_publisher_the_page_says_what_to_set(
    plan: Plan, member_client: Client, settings: Any
) -> None:
    settings.JALON_IATI_ORGANISATION_REF = ""
    response = member_client.get(f"/plans/{plan.slug}/iati.xml")
    assert response.status_code == 409 and "JALON_IATI_ORGANISATION_REF" in response.content.decode()
