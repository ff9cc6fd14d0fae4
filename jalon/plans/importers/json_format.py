"""Jalon's own JSON: a whole plan (its fields, its tree and its anomaly report) as the
JSON exporter writes it, read back exactly. The document is versioned; see
docs/json-format.md for the fields and the version policy.

The document is validated before anything is built, and every refusal names the place in
the document ("items[3].children[0]: “title” is missing") or, for a syntax error, the line.
Unknown fields are refused rather than ignored: a misspelt "tittle" would otherwise be
lost without a word, and a newer Jalon that adds fields raises the version."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .base import ANOMALY_KINDS, PLAN_STATUSES, Anomaly, ParsedItem, ParsedPlan
from .json_checks import Invalid, date, field, is_a, kind_of, object_of, refuse_unknown, text
from .limits import (
    CODE_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    MAX_DEPTH,
    PLAN_LANGUAGE_MAX_LENGTH,
    PLAN_ORGANISATION_MAX_LENGTH,
    PLAN_TITLE_MAX_LENGTH,
)
from .source import Source

if TYPE_CHECKING:
    from ..document import DocumentSection

FORMAT = "json"
DOCUMENT_FORMAT = "jalon-plan"
VERSION = 2
# Version 2 named the directory, links, tracking, journal, results and budget fields that
# version 1 documents of the first releases could already carry: both read the same.
READABLE_VERSIONS = (1, 2)
# The document carries the anomaly report made when the plan was first read; checking the
# codes again would report every anomaly twice.
RUN_CHECKS = False

# The tree's own fields; the sections of the other apps add theirs before "items" (the
# plan's) and before "children" (an item's), as the writer places them.
PLAN_KEYS = (
    "format", "version", "title", "organisation", "period", "language", "status", "levels",
    "preamble", "source", "items", "anomalies",
)  # fmt: skip
ITEM_KEYS = ("code", "label", "label_on_item", "title", "title_en", "body", "lines", "children")
ANOMALY_KEYS = ("kind", "code", "line", "text", "params", "message", "item")
PERIOD_KEYS = ("start", "end")
SOURCE_KEYS = ("name", "format", "checksum")
# The largest value a PositiveIntegerField holds on every database Jalon supports.
MAX_LINE = 2**31 - 1
SNIFF = re.compile(rb'^\s*\{.{0,200}?"format"\s*:\s*"jalon-plan"', re.DOTALL)


def sniff(source: Source, format: str) -> bool:
    if source.extension == "json":
        return True
    head = source.data[:4000].removeprefix(b"\xef\xbb\xbf")
    return bool(SNIFF.match(head))


def parse(source: Source, format: str, sections: Sequence[DocumentSection] = ()) -> ParsedPlan:
    """Read the tree, and the parts of the document that the given sections own: without
    them, a document carrying tracking or links is refused for its unknown fields."""
    document = _load(source)
    try:
        return _plan(document, _Keys(sections), sections)
    except Invalid as error:
        raise source.fail(str(error)) from error


class _Keys:
    """The fields a plan and an item may hold: the tree's and the sections'."""

    def __init__(self, sections: Sequence[DocumentSection]) -> None:
        plan_keys = tuple(key for section in sections for key in section.plan_keys)
        item_keys = tuple(key for section in sections for key in section.item_keys)
        before_items = PLAN_KEYS.index("items")
        self.plan = PLAN_KEYS[:before_items] + plan_keys + PLAN_KEYS[before_items:]
        self.item = ITEM_KEYS[:-1] + item_keys + ITEM_KEYS[-1:]


def _load(source: Source) -> dict[str, Any]:
    """Return the decoded document after checking that it is a Jalon plan we can read."""
    try:
        document = json.loads(source.text, object_pairs_hook=_refuse_repeated_keys)
    except json.JSONDecodeError as error:
        raise source.fail(
            _("this is not valid JSON: %(reason)s (column %(column)s).")
            % {"reason": error.msg, "column": error.colno},
            line=error.lineno,
        ) from error
    except Invalid as error:
        raise source.fail(str(error)) from error
    except RecursionError as error:
        raise source.fail(_("the JSON is nested too deeply to be a plan.")) from error
    if not isinstance(document, dict) or document.get("format") != DOCUMENT_FORMAT:
        raise source.fail(
            _("this JSON file is not a Jalon plan: it should start with "
              "{“format”: “jalon-plan”, “version”: 2, …}.")
        )  # fmt: skip
    _check_version(source, document.get("version"))
    return document


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys and drops the first without a word.
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise Invalid("", _("the field “%(key)s” appears twice in one object.") % {"key": key})
        document[key] = value
    return document


def _check_version(source: Source, version: Any) -> None:
    if is_a(version, int) and version in READABLE_VERSIONS:
        return
    if is_a(version, int) and version > VERSION:
        raise source.fail(
            _("this plan was written in version %(version)s of Jalon's JSON format, newer than "
              "this Jalon reads (version %(supported)s); upgrade Jalon to import it.")
            % {"version": version, "supported": VERSION}
        )  # fmt: skip
    raise source.fail(
        _("“version” %(version)s is not a version of Jalon's JSON format; this Jalon reads "
          "versions 1 to %(supported)s.")
        % {"version": json.dumps(version, ensure_ascii=False), "supported": VERSION}
    )  # fmt: skip


def _plan(document: dict[str, Any], keys: _Keys, sections: Sequence[DocumentSection]) -> ParsedPlan:
    refuse_unknown(document, "", keys.plan)
    levels = _levels(document)
    period_start, period_end = _period(document.get("period"))
    items = [
        _item(value, f"items[{index}]", 0, levels, keys)
        for index, value in enumerate(field(document, "items", "", list))
    ]
    parsed = ParsedPlan(
        title=text(document, "title", "", limit=PLAN_TITLE_MAX_LENGTH),
        format=FORMAT,
        items=items,
        anomalies=_anomalies(document, items),
        levels=levels,
        period_start=period_start,
        period_end=period_end,
        language=text(document, "language", "", default="fr", limit=PLAN_LANGUAGE_MAX_LENGTH),
        preamble=text(document, "preamble", "", default=""),
        extra={
            "organisation": text(
                document, "organisation", "", default="", limit=PLAN_ORGANISATION_MAX_LENGTH
            ),
            "status": _status(document),
            "source": _source(document.get("source")),
        },
    )
    for section in sections:
        section.read_document(document, items, parsed)
    return parsed


def _levels(document: dict[str, Any]) -> list[str]:
    levels = field(document, "levels", "", list, default=[])
    for index, name in enumerate(levels):
        if not isinstance(name, str):
            raise Invalid(
                f"levels[{index}]",
                _("a level name should be text, not %(actual)s.") % {"actual": kind_of(name)},
            )
    return list(levels)


def _period(period: Any) -> tuple[datetime.date | None, datetime.date | None]:
    if period is None:
        return None, None
    period = object_of(period, "period", PERIOD_KEYS)
    start, end = (date(period, key, "period") for key in PERIOD_KEYS)
    if start and end and end < start:
        raise Invalid("period", _("the period ends before it starts."))
    return start, end


def _status(document: dict[str, Any]) -> str:
    status = text(document, "status", "", default=PLAN_STATUSES[0])
    if status not in PLAN_STATUSES:
        raise Invalid(
            "status",
            _("“%(value)s” is not a plan status; use one of %(choices)s.")
            % {"value": status, "choices": ", ".join(PLAN_STATUSES)},
        )
    return status


def _source(value: Any) -> dict[str, str]:
    # Kept for the record only: the plan's source fields name the file being imported now.
    if value is None:
        return {}
    source = object_of(value, "source", SOURCE_KEYS)
    return {key: text(source, key, "source", default="") for key in SOURCE_KEYS}


def _item(value: Any, path: str, depth: int, levels: list[str], keys: _Keys) -> ParsedItem:
    if depth >= MAX_DEPTH:
        raise Invalid(path, _("items are nested more than %(limit)s levels deep.") % {"limit": MAX_DEPTH})
    data = object_of(value, path, keys.item)
    line_start, line_end = _lines(data, path)
    item = ParsedItem(
        code=text(data, "code", path, default="", limit=CODE_MAX_LENGTH),
        title=text(data, "title", path),
        label=_own_label(data, path, levels, depth),
        body=text(data, "body", path, default=""),
        title_en=text(data, "title_en", path, default=""),
        line_start=line_start,
        line_end=line_end,
    )
    children = field(data, "children", path, list, default=[])
    item.children = [
        _item(child, f"{path}.children[{index}]", depth + 1, levels, keys)
        for index, child in enumerate(children)
    ]
    return item


def _own_label(data: dict[str, Any], path: str, levels: list[str], depth: int) -> str:
    """Return the label to keep on the item itself, "" when it is just the plan's level name.

    "label" is the name the reader sees (the item's own, else the level's), so a label equal
    to the level name may or may not have been written on the item; "label_on_item" tells."""
    label = text(data, "label", path, default="", limit=LABEL_MAX_LENGTH)
    on_item = field(data, "label_on_item", path, bool, default=False)
    level_name = levels[depth] if depth < len(levels) else ""
    return label if on_item or label != level_name else ""


def _lines(data: dict[str, Any], path: str) -> tuple[int | None, int | None]:
    lines = field(data, "lines", path, list, default=None, nullable=True)
    if lines is None:
        return None, None
    if len(lines) != 2:
        raise Invalid(path, _("“lines” should hold two numbers, the first line and the last."))
    start, end = (_line_number(number, f"{path}.lines[{index}]") for index, number in enumerate(lines))
    return start, end


def _line_number(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if not is_a(value, int) or not 0 <= value <= MAX_LINE:
        raise Invalid(
            path,
            _("a line number should be a whole number from 0 to %(limit)s, not %(value)s.")
            % {"limit": MAX_LINE, "value": json.dumps(value, ensure_ascii=False)},
        )
    return int(value)


def _anomalies(document: dict[str, Any], items: list[ParsedItem]) -> list[Anomaly]:
    return [
        _anomaly(value, f"anomalies[{index}]", items)
        for index, value in enumerate(field(document, "anomalies", "", list, default=[]))
    ]


def _anomaly(value: Any, path: str, items: list[ParsedItem]) -> Anomaly:
    data = object_of(value, path, ANOMALY_KEYS)
    kind = text(data, "kind", path)
    if kind not in ANOMALY_KINDS:
        raise Invalid(
            path,
            _("“%(value)s” is not a kind of anomaly; use one of %(choices)s.")
            % {"value": kind, "choices": ", ".join(ANOMALY_KINDS)},
        )
    text(data, "message", path, default="")  # written for readers, made again on display
    return Anomaly(
        kind=kind,
        line=_line_number(data.get("line"), f"{path}.line"),
        code=text(data, "code", path, default="", limit=CODE_MAX_LENGTH),
        text=text(data, "text", path, default=""),
        params=field(data, "params", path, dict, default={}),
        item=_anomaly_item(data, path, items),
    )


def _anomaly_item(data: dict[str, Any], path: str, items: list[ParsedItem]) -> ParsedItem | None:
    """Return the item an anomaly concerns, named by its position at each level ([0, 2])."""
    positions = field(data, "item", path, list, default=None, nullable=True)
    if positions is None:
        return None
    siblings, item = items, None
    for position in positions:
        if not is_a(position, int) or not 0 <= position < len(siblings):
            raise Invalid(
                f"{path}.item",
                _("%(positions)s names no item of this plan.")
                % {"positions": json.dumps(positions, ensure_ascii=False)},
            )
        item = siblings[position]
        siblings = item.children
    return item
