"""A whole plan as Jalon's own versioned JSON (docs/json-format.md): its fields, its tree
of items and its anomaly report, which the JSON importer reads back exactly.

Keys come in a fixed order and the text is indented UTF-8, so that two exports of the same
plan are the same bytes and a diff between two versions of a plan reads line by line."""

from __future__ import annotations

import json
import re
from typing import Any

from jalon.directory.exchange import ItemLinks, plan_links
from jalon.results.exchange import plan_results
from jalon.tracking.exchange import plan_tracking

from ..importers.json_format import DOCUMENT_FORMAT, VERSION
from ..models import Anomaly, Plan
from ..tree import Node, plan_tree

FORMAT = "json"
EXTENSION = "json"
CONTENT_TYPE = "application/json"

# A list of numbers spread over lines by json.dumps; a newline inside a JSON string is
# always escaped, so a real one can only be indentation.
NUMBER_LIST = re.compile(r"\[\n\s*(?:-?\d+|null)(?:,\n\s*(?:-?\d+|null))*\n\s*\]")


def export(plan: Plan) -> bytes:
    text = json.dumps(plan_document(plan), ensure_ascii=False, indent=2)
    # "lines": [5, 7] on one line: an item's line numbers read as one fact.
    text = NUMBER_LIST.sub(lambda match: json.dumps(json.loads(match[0])), text)
    return (text + "\n").encode("utf-8")


def plan_document(plan: Plan) -> dict[str, Any]:
    """Return the plan as the JSON document's dictionary, keys in the documented order."""
    positions: dict[int, list[int]] = {}
    directory, links = plan_links(plan)
    items = [_item(node, [index], positions, links) for index, node in enumerate(plan_tree(plan))]
    _add_tracking_and_results(plan, items, positions)
    document = {
        "format": DOCUMENT_FORMAT,
        "version": VERSION,
        "title": plan.title,
        "organisation": plan.organisation,
        "period": _period(plan),
        "language": plan.language,
        "status": plan.status,
        "levels": list(plan.levels),
        "preamble": plan.preamble,
        "source": {
            "name": plan.source_name,
            "format": plan.source_format,
            "checksum": plan.source_checksum,
        },
        "items": items,
        "anomalies": [_anomaly(anomaly, positions) for anomaly in plan.anomalies.all()],
    }
    if links:
        # Only a plan with accepted links carries a directory, placed before the items it serves.
        document = _insert_before(document, "items", "directory", directory)
    return document


def _insert_before(document: dict[str, Any], before: str, key: str, value: Any) -> dict[str, Any]:
    pairs = list(document.items())
    index = [name for name, _value in pairs].index(before)
    return dict([*pairs[:index], (key, value), *pairs[index:]])


def _period(plan: Plan) -> dict[str, str | None] | None:
    if plan.period_start is None and plan.period_end is None:
        return None
    return {
        "start": plan.period_start.isoformat() if plan.period_start else None,
        "end": plan.period_end.isoformat() if plan.period_end else None,
    }


def _item(
    node: Node, position: list[int], positions: dict[int, list[int]], links: ItemLinks
) -> dict[str, Any]:
    item = node.item
    positions[item.pk] = position
    exported = {
        "code": item.code,
        "label": item.level_label,
        # Whether the label was written on the item or comes from the plan's level names:
        # "label" alone cannot tell when the two are equal, and the importer must know.
        "label_on_item": bool(item.label),
        "title": item.title,
        "title_en": item.title_en,
        "body": item.body,
        "lines": [item.line_start, item.line_end],
        "children": [
            _item(child, [*position, index], positions, links) for index, child in enumerate(node.children)
        ],
    }
    if item.pk in links:
        exported = _insert_before(exported, "children", "links", links[item.pk])
    return exported


def _anomaly(anomaly: Anomaly, positions: dict[int, list[int]]) -> dict[str, Any]:
    return {
        "kind": anomaly.kind,
        "code": anomaly.code,
        "line": anomaly.line,
        "text": anomaly.text,
        "params": anomaly.params,
        "message": anomaly.message,
        "item": positions.get(anomaly.item_id) if anomaly.item_id else None,
    }


def _add_tracking_and_results(
    plan: Plan, items: list[dict[str, Any]], positions: dict[int, list[int]]
) -> None:
    """Give each exported item its tracking, milestones, updates, results and budget (those
    it has), placed before its children; an item with none keeps the plain item's keys."""
    tracking, results = plan_tracking(plan), plan_results(plan)
    for pk in tracking.keys() | results.keys():
        position = positions[pk]
        siblings, exported = items, items[position[0]]
        for index in position:
            exported = siblings[index]
            siblings = exported["children"]
        sections = {**tracking.get(pk, {}), **results.get(pk, {})}
        children = exported.pop("children")
        exported.update(sections)
        exported["children"] = children
