"""Jalon's own JSON: a whole plan out and back in, unchanged, and plain refusals of any
document that is not one, naming the place in the document or the line."""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.plans.exporters import json_format as json_export
from jalon.plans.importers import (
    Anomaly,
    ImportFailure,
    ParsedItem,
    ParsedPlan,
    Source,
    parse_source,
)
from jalon.plans.importers.json_format import READABLE_VERSIONS, VERSION
from jalon.plans.models import AnomalyKind, Plan, PlanStatus
from jalon.plans.services import plan_import

from .paths import REPO, SEED

# The messages checked here are the English source strings.
pytestmark = pytest.mark.usefixtures("in_english")

SCHEMA = REPO / "docs" / "jalon-plan.schema.json"
DOCS = REPO / "docs" / "json-format.md"
LEVELS = ["Axe", "Orientation", "Objectif", "Action"]


def build_sample_plan() -> ParsedPlan:
    """Return a four-level plan holding every trap a format can fall into."""
    first_action = ParsedItem(
        "1.1.1.1.",
        "Tenir l'assemblée « générale » ; voter",
        body='Un texte avec des "guillemets", des virgules; des points-virgules\net une 2e ligne.',
        title_en="Hold the general meeting",
        line_start=5,
        line_end=6,
    )
    actions = [
        first_action,
        ParsedItem("1.1.1.2", "<p>Paragraphe</p> gardé tel quel", body="<p>un</p>\n<p>deux</p>"),
        ParsedItem("", "Action sans numéro, avec une virgule", line_start=8, line_end=8),
    ]
    duplicate = ParsedItem("1.2", "Orientation au code répété", line_start=10, line_end=10)
    uncoded_objective = ParsedItem("", "Objectif sans code", label="Cible")
    uncoded_objective.children = [
        ParsedItem("1.2.1.1", "=SOMME(1;2) n'est pas une formule", body="-10 % de déchets\n+ un"),
    ]
    duplicate.children = [uncoded_objective]
    first_axis = ParsedItem(
        "1",
        "Solidarité internationale, d'ici et d'ailleurs",
        label="Axe",  # written on the item, and equal to the level's name
        title_en="International solidarity",
        line_start=1,
        line_end=1,
        children=[
            ParsedItem(
                "1.1.",
                "Soutenir nos partenaires au Québec, en Haïti et à Gaza",
                children=[
                    ParsedItem("1.1.1", "Renforcer l'autonomie des travailleuses", children=actions),
                    ParsedItem("1.1.2", "Objectif sans action"),
                ],
            ),
            ParsedItem("1.2", "Orientation au code répété", line_start=9, line_end=9),
            duplicate,
        ],
    )
    axis_without_code = ParsedItem(
        "", "Axe sans numéro", children=[ParsedItem("A.1", "Orientation sous un axe sans code")]
    )
    second_axis = ParsedItem(
        "2",
        "Vie associative",
        label="Orientation stratégique",
        children=[ParsedItem("2.1", "Élaborer la planification 2024-2027")],
    )
    return ParsedPlan(
        title="Plan d'action 2024-2025 « essai »",
        format="seed",
        items=[first_axis, axis_without_code, second_axis],
        anomalies=[
            Anomaly("markup", line=2, params={"marks": "<p>"}),
            Anomaly(
                "duplicate_code",
                line=10,
                code="1.2",
                text=duplicate.title,
                item=duplicate,
                params={"first_line": 9},
            ),  # fmt: skip
            Anomaly("no_code", line=8, text=actions[2].title, item=actions[2]),
            Anomaly("unplaced_text", line=12, text="Des mots « perdus » ; gardés"),
        ],
        levels=list(LEVELS),
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        language="fr",
        preamble="Adopté en assemblée générale.\nDeuxième ligne ; avec « guillemets ».",
        extra={"organisation": "Alternatives", "status": "adopted"},
    )


def import_parsed(parsed: ParsedPlan, name: str = "plan.txt") -> Plan:
    return plan_import(parsed=parsed, source_name=name, checksum="0" * 64)


def items_of(plan: Plan) -> list[tuple[Any, ...]]:
    """Return what a reader sees of each item, in document order, with its place in the tree."""
    return [
        (item.path, item.depth, item.code, item.level_label, item.title, item.title_en, item.body)
        for item in plan.items.select_related("plan").in_document_order()
    ]


def fields_of(plan: Plan) -> dict[str, Any]:
    names = ("title", "organisation", "period_start", "period_end", "language", "status")
    return {name: getattr(plan, name) for name in (*names, "levels", "preamble")}


def anomalies_of(plan: Plan) -> list[tuple[Any, ...]]:
    return [
        (a.position, a.kind, a.code, a.line, a.text, a.params, a.item.path if a.item else None)
        for a in plan.anomalies.select_related("item")
    ]


def round_trip(plan: Plan) -> Plan:
    parsed = parse_source(Source("plan.json", json_export.export(plan)))
    return import_parsed(parsed, "plan.json")


def document(**changes: Any) -> dict[str, Any]:
    """Return a small valid document, changed as asked."""
    base: dict[str, Any] = {
        "format": "jalon-plan",
        "version": 2,
        "title": "Plan",
        "items": [{"code": "1", "title": "Axe", "children": [{"code": "1.1", "title": "Action"}]}],
    }
    base.update(changes)
    return base


def parse_document(value: Any, name: str = "plan.json") -> ParsedPlan:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return parse_source(Source(name, data))


# The export.


@pytest.mark.django_db
def test_the_export_is_indented_utf8_with_its_keys_in_the_documented_order() -> None:
    data = json_export.export(import_parsed(build_sample_plan()))
    text = data.decode("utf-8")
    assert "Québec" in text and "\\u00e9" not in text
    assert text.startswith('{\n  "format": "jalon-plan",\n  "version": 2,\n  "title"')
    exported = json.loads(text)
    assert list(exported) == [
        "format", "version", "title", "organisation", "period", "language", "status", "levels",
        "preamble", "source", "items", "anomalies",
    ]  # fmt: skip
    assert list(exported["items"][0]) == [
        "code", "label", "label_on_item", "title", "title_en", "body", "lines", "children"
    ]  # fmt: skip
    assert list(exported["anomalies"][0]) == ["kind", "code", "line", "text", "params", "message", "item"]


@pytest.mark.django_db
def test_each_item_carries_its_level_name_and_its_lines_on_one_line() -> None:
    exported = json.loads(json_export.export(import_parsed(build_sample_plan())))
    first = exported["items"][0]
    assert (first["label"], first["label_on_item"]) == ("Axe", True)
    orientation = first["children"][0]
    assert (orientation["label"], orientation["label_on_item"]) == ("Orientation", False)
    assert first["lines"] == [1, 1] and orientation["lines"] == [None, None]
    assert '"lines": [1, 1],' in json_export.export(Plan.objects.get()).decode()


@pytest.mark.django_db
def test_exporting_a_plan_twice_gives_the_same_bytes() -> None:
    plan = import_parsed(build_sample_plan())
    assert json_export.export(plan) == json_export.export(plan)


@pytest.mark.django_db
def test_each_anomaly_names_its_item_by_position_and_carries_a_readable_message() -> None:
    exported = json.loads(json_export.export(import_parsed(build_sample_plan())))
    duplicate, no_code = exported["anomalies"][1:3]
    assert duplicate["item"] == [0, 2] and no_code["item"] == [0, 0, 0, 2]
    assert exported["anomalies"][0]["item"] is None
    assert duplicate["message"].startswith("Code 1.2 appears more than once")


@pytest.mark.django_db
def test_the_export_does_not_grow_in_queries_with_the_plan(django_assert_max_num_queries: Any) -> None:
    plan = import_parsed(build_sample_plan())
    # Items, anomalies, links, then one query per tracking and results table (tracking,
    # its leads and team, milestones, updates, results, indicators, targets, values, budget).
    with django_assert_max_num_queries(14):
        json_export.export(plan)


# Round trips.


@pytest.mark.django_db
def test_a_plan_comes_back_from_its_json_export_item_for_item() -> None:
    plan = import_parsed(build_sample_plan())
    again = round_trip(plan)
    assert items_of(again) == items_of(plan)
    assert fields_of(again) == fields_of(plan)
    assert again.source_format == "json"


@pytest.mark.django_db
def test_a_round_trip_keeps_each_items_own_label_and_lines_exactly() -> None:
    plan = import_parsed(build_sample_plan())
    again = round_trip(plan)
    exact = ["path", "label", "line_start", "line_end"]
    assert list(again.items.values_list(*exact)) == list(plan.items.values_list(*exact))
    assert list(again.items.filter(depth=0).values_list("label", flat=True)) == [
        "Axe", "", "Orientation stratégique"
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_round_trip_keeps_the_anomaly_report_and_the_items_it_names() -> None:
    plan = import_parsed(build_sample_plan())
    again = round_trip(plan)
    assert anomalies_of(again) == anomalies_of(plan)
    assert len(anomalies_of(again)) == 4


@pytest.mark.django_db
def test_a_second_round_trip_gives_the_same_document_but_for_the_source() -> None:
    plan = import_parsed(build_sample_plan())
    first = json.loads(json_export.export(round_trip(plan)))
    second = json.loads(json_export.export(round_trip(round_trip(plan))))
    assert {**first, "source": None} == {**second, "source": None}


@pytest.mark.django_db
def test_the_seed_plan_comes_back_from_its_json_export_unchanged() -> None:
    plan = import_parsed(parse_source(Source.from_path(SEED)), SEED.name)
    again = round_trip(plan)
    assert again.items.count() == 54
    assert items_of(again) == items_of(plan)
    assert fields_of(again) == fields_of(plan)
    assert anomalies_of(again) == anomalies_of(plan)
    assert list(again.items.values_list("label", flat=True)) == list(
        plan.items.values_list("label", flat=True)
    )


def test_the_original_source_is_kept_in_the_parsed_plan_for_the_record() -> None:
    source = {"name": "plan.txt", "format": "seed", "checksum": "ab" * 32}
    parsed = parse_document(document(source=source))
    assert parsed.extra["source"] == source
    assert parsed.format == "json"


# Reading documents written by hand.


def test_a_minimal_document_needs_only_format_version_title_and_items() -> None:
    parsed = parse_document(document())
    assert [(depth, item.code, item.title) for depth, item in parsed.walk()] == [
        (0, "1", "Axe"), (1, "1.1", "Action")
    ]  # fmt: skip
    assert (parsed.language, parsed.extra["status"], parsed.levels, parsed.anomalies) == (
        "fr", "draft", [], []
    )  # fmt: skip


def test_a_label_that_differs_from_the_level_name_is_kept_on_the_item() -> None:
    items = [{"title": "Axe", "label": "Chantier"}, {"title": "Axe", "label": "Axe"}]
    parsed = parse_document(document(levels=["Axe"], items=items))
    assert [item.label for item in parsed.items] == ["Chantier", ""]


def test_a_label_equal_to_the_level_name_stays_on_the_item_only_if_written_there() -> None:
    items = [
        {"title": "Axe", "label": "Axe", "label_on_item": True},
        {"title": "Axe", "label": "Axe", "label_on_item": False},
    ]
    parsed = parse_document(document(levels=["Axe"], items=items))
    assert [item.label for item in parsed.items] == ["Axe", ""]


def test_the_import_reports_only_the_anomalies_the_document_carries() -> None:
    items = [{"code": "1", "title": "Un"}, {"code": "1", "title": "Un encore"}, {"title": "Sans code"}]
    assert parse_document(document(items=items)).anomalies == []


def test_it_is_detected_by_its_content_whatever_the_file_is_called() -> None:
    data = json.dumps(document(), indent=2).encode("utf-8-sig")
    assert parse_source(Source("plan.txt", data)).format == "json"


def test_a_json_file_that_is_not_a_plan_is_refused_plainly() -> None:
    with pytest.raises(ImportFailure, match=r"^other\.json: this JSON file is not a Jalon plan"):
        parse_document({"name": "something else"}, "other.json")


# Refusals, each naming the place in the document.


def test_a_truncated_document_is_refused_with_the_line_where_it_stops() -> None:
    text = json.dumps(document(), indent=2)
    with pytest.raises(ImportFailure, match=r"^plan\.json, line \d+: this is not valid JSON"):
        parse_document(text[: len(text) // 2].encode())


def test_a_syntax_error_names_its_line() -> None:
    text = json.dumps(document(), indent=2).replace('"title": "Plan"', '"title": "Plan",,', 1)
    line = next(n for n, row in enumerate(text.split("\n"), 1) if ",," in row)
    with pytest.raises(ImportFailure, match=rf"^plan\.json, line {line}: this is not valid JSON"):
        parse_document(text.encode())


@pytest.mark.parametrize(
    "version, message",
    [
        (3, "version 3 of Jalon's JSON format, newer than this Jalon reads .version 2.; upgrade"),
        ("1", '“version” "1" is not a version of Jalon\'s JSON format'),
        (0, "“version” 0 is not a version"),
        (True, "“version” true is not a version"),
        (None, "“version” null is not a version"),
    ],
)
def test_a_version_this_jalon_does_not_read_is_refused(version: Any, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_document(document(version=version))


@pytest.mark.django_db
def test_a_version_1_document_of_the_first_releases_still_imports_with_its_tracking() -> None:
    written = json.loads(json_export.export(import_parsed(build_sample_plan())))
    written["version"] = 1
    again = json.loads(json_export.export(import_parsed(parse_document(written))))
    assert again["version"] == VERSION == 2
    assert again["items"] == written["items"]


def broken(path: str, value: Any = None, *, delete: bool = False) -> dict[str, Any]:
    """Return the sample document with the value at a dotted path replaced or deleted."""
    changed = copy.deepcopy(
        document(
            period={"start": "2024-01-01", "end": "2025-12-31"},
            anomalies=[{"kind": "no_code", "item": [0, 0]}],
        )
    )
    *parents, last = re.findall(r"[^.\[\]]+", path)
    target: Any = changed
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]
    if delete:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return changed


@pytest.mark.parametrize(
    "changed, message",
    [
        (broken("items", delete=True), "“items” is missing"),
        (document(items=[]), "no plan item could be found"),
        (broken("items", {}), "“items” should be a list, not an object"),
        (broken("items[0].children[0].title", delete=True), r"items\[0\]\.children\[0\]: “title” is missing"),
        (broken("items[0].title", 3), r"items\[0\]: “title” should be text, not a number"),
        (broken("items[0].children", "none"), r"items\[0\]: “children” should be a list, not text"),
        (broken("items[0].children[0]", "Action"), r"children\[0\]: should be an object, not text"),
        (broken("items[0].tittle", "x"), r"items\[0\]: “tittle” is not a field of this format"),
        (broken("items[0].lines", [1]), r"items\[0\]: “lines” should hold two numbers"),
        (broken("items[0].lines", [1, "2"]), r"items\[0\]\.lines\[1\]: a line number should be a whole"),
        (broken("items[0].label_on_item", "yes"), r"“label_on_item” should be true or false, not text"),
        (broken("items[0].code", "1" * 51), r"items\[0\]: “code” is longer than 50 characters"),
        (broken("title", None), "“title” should be text, not null"),
        (broken("levels", ["Axe", 2]), r"levels\[1\]: a level name should be text, not a number"),
        (broken("period.start", "2024-13-01"), r"period\.start: “2024-13-01” is not a date written"),
        (broken("period.start", "2026-01-01"), "period: the period ends before it starts"),
        (broken("period", "2024-2025"), "period: should be an object, not text"),
        (broken("status", "done"), "“done” is not a plan status; use one of draft, adopted, archived"),
        (broken("anomalies[0].kind", "typo"), r"anomalies\[0\]: “typo” is not a kind of anomaly"),
        (broken("anomalies[0].item", [0, 5]), r"anomalies\[0\]\.item: \[0, 5\] names no item"),
        (broken("anomalies[0].line", -1), r"anomalies\[0\]\.line: a line number should be a whole"),
        (broken("anomalies[0].params", []), r"anomalies\[0\]: “params” should be an object, not a list"),
        (broken("source", "plan.txt"), "source: should be an object, not text"),
    ],
)
def test_a_document_that_breaks_the_format_is_refused_naming_where(
    changed: dict[str, Any], message: str
) -> None:
    with pytest.raises(ImportFailure, match=rf"^plan\.json: .*{message}"):
        parse_document(changed)


def test_a_field_written_twice_in_one_object_is_refused_rather_than_half_lost() -> None:
    text = '{"format": "jalon-plan", "version": 1, "title": "A", "title": "B", "items": []}'
    with pytest.raises(ImportFailure, match="“title” appears twice"):
        parse_document(text.encode())


def test_a_tree_deeper_than_the_database_holds_is_refused() -> None:
    item: dict[str, Any] = {"title": "feuille"}
    for _ in range(60):
        item = {"title": "niveau", "children": [item]}
    with pytest.raises(ImportFailure, match="nested more than 51 levels deep"):
        parse_document(document(items=[item]))


# The schema and the documentation describe what the exporter writes.


@pytest.mark.django_db
def test_the_export_of_a_plan_matches_the_published_schema() -> None:
    # jsonschema is not a dependency, so the export is checked against the few keywords
    # the schema uses, by the small checker below.
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for plan in (import_parsed(build_sample_plan()), import_parsed(parse_source(Source.from_path(SEED)))):
        exported = json.loads(json_export.export(plan))
        assert list(schema_errors(exported, schema, schema)) == []


def test_the_schema_refuses_what_the_importer_refuses() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["version"] == {"enum": list(READABLE_VERSIONS)}
    assert list(schema_errors(broken("items[0].tittle", "x"), schema, schema))
    assert list(schema_errors(broken("items[0].children[0].title", delete=True), schema, schema))
    assert list(schema_errors(broken("status", "done"), schema, schema))
    assert list(schema_errors(broken("anomalies[0].kind", "typo"), schema, schema))
    assert list(schema_errors(document(), schema, schema)) == []


def test_the_schema_lists_the_statuses_and_anomaly_kinds_jalon_knows() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["status"]["enum"] == PlanStatus.values
    assert schema["$defs"]["anomaly"]["properties"]["kind"]["enum"] == AnomalyKind.values


@pytest.mark.django_db
def test_the_documentation_names_every_field_the_export_writes() -> None:
    text = DOCS.read_text(encoding="utf-8")
    exported = json.loads(json_export.export(import_parsed(build_sample_plan())))
    keys = set(exported) | set(exported["items"][0]) | set(exported["anomalies"][0])
    keys |= set(exported["period"]) | set(exported["source"])
    assert {key for key in keys if f"`{key}`" not in text} == set()


JSON_TYPES = {
    "object": dict, "array": list, "string": str, "integer": int, "boolean": bool, "null": type(None)
}  # fmt: skip


def schema_errors(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> Iterator[str]:
    """Yield where the value breaks the schema, for the keywords docs/jalon-plan.schema.json uses."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if types and not any(_has_type(value, name) for name in types):
        yield f"{path}: not {types}"
        return
    if "const" in schema and value != schema["const"]:
        yield f"{path}: not {schema['const']}"
    if "enum" in schema and value not in schema["enum"]:
        yield f"{path}: not one of {schema['enum']}"
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        yield f"{path}: does not match {schema['pattern']}"
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        yield f"{path}: too long"
    if isinstance(value, int) and value < schema.get("minimum", value):
        yield f"{path}: too small"
    if isinstance(value, dict):
        yield from _object_errors(value, schema, root, path)
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            yield f"{path}: wrong length"
        for index, element in enumerate(value):
            yield from schema_errors(element, schema.get("items", {}), root, f"{path}[{index}]")


def _object_errors(
    value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], path: str
) -> Iterator[str]:
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            yield f"{path}: {key} missing"
    for key, element in value.items():
        if key in properties:
            yield from schema_errors(element, properties[key], root, f"{path}.{key}")
        elif schema.get("additionalProperties") is False:
            yield f"{path}: {key} not allowed"
        else:
            yield from schema_errors(element, schema.get("additionalProperties", {}), root, f"{path}.{key}")


def _has_type(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return name == "boolean"
    return isinstance(value, JSON_TYPES[name])


# Whatever the document holds, the importer answers with a plan or a plain refusal.

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["title", "code", "children", "lines", "kind", "x"]), children)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["title", "items", "period", "levels", "status", "anomalies", "x"]),
        JSON_VALUES,
    )
)
def test_any_document_gives_a_plan_or_a_plain_refusal(fields: dict[str, Any]) -> None:
    try:
        parse_document({"format": "jalon-plan", "version": 1, **fields})
    except ImportFailure as failure:
        assert str(failure).startswith("plan.json: ")


@pytest.mark.django_db
def test_the_command_line_exports_a_plan_that_imports_again(tmp_path: Path) -> None:
    plan = import_parsed(build_sample_plan())
    path = tmp_path / "plan.json"
    call_command("export", plan.slug, "--format", "json", "-o", str(path), stdout=StringIO())
    call_command("import", str(path), stdout=StringIO())
    again = Plan.objects.exclude(pk=plan.pk).get()
    assert items_of(again) == items_of(plan) and again.source_name == "plan.json"
