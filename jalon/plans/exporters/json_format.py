"""A whole plan as Jalon's own versioned JSON (docs/json-format.md): its fields, its tree
of items and its anomaly report, which the JSON importer reads back exactly.

Keys come in a fixed order and the text is indented UTF-8, so that two exports of the same
plan are the same bytes and a diff between two versions of a plan reads line by line."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..document import DocumentSection, SectionValues
from ..importers.json_format import DOCUMENT_FORMAT, VERSION
from ..models import Anomaly, Plan
from ..tree import Node, plan_tree

FORMAT = "json"
EXTENSION = "json"
CONTENT_TYPE = "application/json"

# A list of numbers spread over lines by json.dumps; a newline inside a JSON string is
# always escaped, so a real one can only be indentation.
NUMBER_LIST = re.compile(r"\[\n\s*(?:-?\d+|null)(?:,\n\s*(?:-?\d+|null))*\n\s*\]")


def export(plan: Plan, sections: Sequence[DocumentSection] = ()) -> bytes:
    """Return the document: the plan's tree, with what each section writes of it."""
    text = json.dumps(plan_document(plan, sections), ensure_ascii=False, indent=2)
    # "lines": [5, 7] on one line: an item's line numbers read as one fact.
    text = NUMBER_LIST.sub(lambda match: json.dumps(json.loads(match[0])), text)
    return (text + "\n").encode("utf-8")


def plan_document(plan: Plan, sections: Sequence[DocumentSection] = ()) -> dict[str, Any]:
    """Return the plan as the JSON document's dictionary, keys in the documented order."""
    positions: dict[int, list[int]] = {}
    items = [_item(node, [index], positions) for index, node in enumerate(plan_tree(plan))]
    written = [section.write(plan) for section in sections]
    _add_item_sections(items, positions, written)
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
    for values in written:
        for key, value in values.plan.items():
            # Placed before the items they serve: a plan's directory, for instance.
            document = _insert_before(document, "items", key, value)
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


def _item(node: Node, position: list[int], positions: dict[int, list[int]]) -> dict[str, Any]:
    item = node.item
    positions[item.pk] = position
    return {
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
            _item(child, [*position, index], positions) for index, child in enumerate(node.children)
        ],
    }


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


def _add_item_sections(
    items: list[dict[str, Any]], positions: dict[int, list[int]], written: list[SectionValues]
) -> None:
    """Give each exported item the keys the sections wrote for it (those it has), in the
    sections' order and before its children; an item with none keeps the tree's keys."""
    for pk in set().union(*(values.items.keys() for values in written)):
        siblings, exported = items, items[positions[pk][0]]
        for index in positions[pk]:
            exported = siblings[index]
            siblings = exported["children"]
        children = exported.pop("children")
        for values in written:
            exported.update(values.items.get(pk, {}))
        exported["children"] = children
