"""Jalon's JSON carries each item's tracking, journal, results and budget, and reads them back."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.directory.services import links_import
from jalon.exchange import formats
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import PendingImport, Plan
from jalon.plans.services import plan_import
from jalon.results.exchange import results_import
from jalon.results.models import BudgetLine, IndicatorValue
from jalon.tracking.exchange import tracking_import
from jalon.tracking.models import Milestone, Status, Tracking, Update, UpdateLink
from tests.factories import demo_seed, make_plan, person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[User]:
    return [
        person("amina", Role.COORDINATOR),
        person("benoit", Role.LEAD),
        person("chloe", Role.LEAD),
    ]


def import_json(data: bytes) -> tuple[Plan, list[str]]:
    """Import a JSON document the way the web and the command do, in one transaction."""
    parsed = formats.parse(Source(name="plan.json", data=data))
    with transaction.atomic():
        plan = plan_import(parsed=parsed, source_name="plan.json")
        links_import(plan=plan, parsed=parsed)
        left_out = tracking_import(plan=plan, parsed=parsed) + results_import(plan=plan, parsed=parsed)
    return plan, left_out


def without_source(data: bytes) -> dict[str, Any]:
    document = json.loads(data)
    del document["source"]  # names the file each plan was imported from
    return document


def test_the_demo_plan_survives_a_round_trip_through_json(people: list[User]) -> None:
    plan = demo_seed()
    first = formats.export(plan, "json")
    counts = (Tracking.objects.count(), Update.objects.count(), IndicatorValue.objects.count())
    assert all(counts)
    assert b'"tracking"' in first and b'"updates"' in first and b'"indicators"' in first
    assert b'"budget"' in first
    plan.delete()
    again, left_out = import_json(first)
    assert left_out == []
    assert (Tracking.objects.count(), Update.objects.count(), IndicatorValue.objects.count()) == counts
    assert without_source(formats.export(again, "json")) == without_source(first)


def test_the_export_holds_tracking_journal_and_budget_of_an_item(people: list[User]) -> None:
    plan = make_plan()
    action = plan.items.get(code="1.1.2")
    tracking = Tracking.objects.create(item=action, status=Status.DELAYED, progress=30, notes="À revoir")
    tracking.leads.set([people[1]])
    Milestone.objects.create(item=action, title="Atelier")
    update = Update.objects.create(
        item=action, author=people[1], text="Compte rendu", progress=30, public=True
    )
    UpdateLink.objects.create(update=update, url="https://example.org/cr", label="CR")
    BudgetLine.objects.create(item=action, year=2024, planned="1500.50")
    document = formats.document(plan)
    exported = document["items"][0]["children"][0]["children"][1]
    assert exported["tracking"]["leads"] == ["benoit"] and exported["tracking"]["status"] == "delayed"
    assert exported["milestones"] == [{"title": "Atelier", "due_date": None, "done_on": None}]
    assert exported["updates"][0]["author"] == "benoit" and exported["updates"][0]["public"] is True
    assert exported["updates"][0]["links"] == [{"url": "https://example.org/cr", "label": "CR"}]
    assert exported["budget"][0]["planned"] == "1500.50"
    assert list(exported)[-1] == "children"


def test_unknown_usernames_are_left_out_and_reported(people: list[User]) -> None:
    plan = demo_seed()
    data = formats.export(plan, "json")
    plan.delete()
    User.objects.filter(username="benoit").update(username="benoit-parti")
    again, left_out = import_json(data)
    assert any("benoit" in message for message in left_out)
    assert not User.objects.filter(username="benoit").exists()  # never invented
    assert not Tracking.objects.filter(item__plan=again, leads__username="benoit").exists()
    assert not Update.objects.filter(item__plan=again, author__username="benoit").exists()
    assert Update.objects.filter(item__plan=again).exists()


@translation.override("en")
def test_a_value_recorded_by_an_unknown_person_is_left_out(people: list[User]) -> None:
    plan = demo_seed()
    data = formats.export(plan, "json")
    count = IndicatorValue.objects.filter(indicator__result__item__plan=plan).count()
    assert count
    plan.delete()
    User.objects.filter(username="amina").update(username="amina-partie")
    _again, left_out = import_json(data)
    assert any("indicator values were left out" in message for message in left_out)


@pytest.mark.parametrize(
    ("section", "value", "message"),
    [
        ("tracking", {"status": "fini"}, "items[0].tracking.status: “fini” is not one of"),
        ("tracking", {"progress": 140}, "items[0].tracking.progress: a percent lies between 0 and 100"),
        ("tracking", {"colour": "red"}, "items[0].tracking: “colour” is not a field of this format"),
        ("updates", [{"date": "2024-13-01", "author": "a", "text": "t"}], "items[0].updates[0].date"),
        ("budget", [{"year": 2024, "currency": "CAD", "planned": "beaucoup"}], "items[0].budget[0].planned"),
    ],
)
def test_a_bad_tracking_section_is_refused_with_its_place(section: str, value: Any, message: str) -> None:
    document = formats.document(make_plan())
    document["items"][0][section] = value
    data = json.dumps(document).encode()
    with translation.override("en"), pytest.raises(ImportFailure) as failure:
        formats.parse(Source(name="plan.json", data=data))
    assert message in str(failure.value)


def test_the_export_takes_a_constant_number_of_queries(
    people: list[User], django_assert_max_num_queries: Any
) -> None:
    plan = demo_seed()
    with django_assert_max_num_queries(25):
        formats.export(plan, "json")


def all_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for element in value.values() for key in all_keys(element)}
    if isinstance(value, list):
        return {key for element in value for key in all_keys(element)}
    return set()


def test_the_demo_export_follows_the_schema_and_the_documentation(people: list[User]) -> None:
    from tests.test_json_format import DOCS, SCHEMA, schema_errors

    document = json.loads(formats.export(demo_seed(), "json"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert list(schema_errors(document, schema, schema)) == []
    text = DOCS.read_text(encoding="utf-8")
    sections = ("tracking", "milestones", "updates", "results", "budget")
    keys = {
        key
        for item in items_of(document["items"])
        for section in sections
        if section in item
        for key in {section} | all_keys(item[section])
    }
    assert {key for key in keys if f"`{key}`" not in text} == set()


def items_of(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [found for item in items for found in [item, *items_of(item["children"])]]


def test_the_schema_lists_the_statuses_jalon_knows() -> None:
    from tests.test_json_format import SCHEMA

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$defs"]["status"]["enum"] == Status.values


def exported_with_a_stranger(people: list[User]) -> bytes:
    """Return the JSON of a small plan whose action is led by someone this server lacks."""
    plan = make_plan(slug="petit")
    tracking = Tracking.objects.create(item=plan.items.get(code="1.1.2"), status=Status.ONGOING, progress=40)
    tracking.leads.set([people[1]])
    stranger = person("zoe", Role.LEAD)
    tracking.team.set([stranger])
    data = formats.export(plan, "json")
    plan.delete()
    stranger.delete()
    return data


def test_the_web_import_stores_the_tracking_and_says_who_was_left_out(people: list[User]) -> None:
    data = exported_with_a_stranger(people)
    client = signed_in(people[0])
    upload = io.BytesIO(data)
    upload.name = "petit.json"
    assert client.post(reverse("exchange:import"), {"file": upload}).status_code == 302
    pending = PendingImport.objects.get()
    response = client.post(reverse("exchange:import_confirm", args=[pending.pk]), follow=True)
    tracking = Tracking.objects.get()
    assert (tracking.status, tracking.progress) == (Status.ONGOING, 40)
    assert list(tracking.leads.values_list("username", flat=True)) == ["benoit"]
    assert not tracking.team.exists()
    assert "zoe" in response.content.decode()


def test_the_import_command_stores_the_tracking_and_says_who_was_left_out(
    people: list[User], tmp_path: Any
) -> None:
    path = tmp_path / "petit.json"
    path.write_bytes(exported_with_a_stranger(people))
    errors = io.StringIO()
    call_command("import", str(path), stdout=io.StringIO(), stderr=errors)
    assert Tracking.objects.get().leads.get() == people[1]
    assert "zoe" in errors.getvalue()
