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
from collections.abc import Callable
from typing import Any

from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import PATH_STEP, AnomalyKind, Item, Plan, PlanStatus
from ..models import Anomaly as AnomalyModel
from .base import Anomaly, ParsedItem, ParsedPlan
from .source import Source

FORMAT = "json"
DOCUMENT_FORMAT = "jalon-plan"
VERSION = 2
# Version 2 named the directory, links, tracking, journal, results and budget fields that
# version 1 documents of the first releases could already carry: both read the same.
READABLE_VERSIONS = (1, 2)
# The document carries the anomaly report made when the plan was first read; checking the
# codes again would report every anomaly twice.
RUN_CHECKS = False

PLAN_KEYS = (
    "format", "version", "title", "organisation", "period", "language", "status", "levels",
    "preamble", "source", "directory", "items", "anomalies",
)  # fmt: skip
ITEM_KEYS = (
    "code", "label", "label_on_item", "title", "title_en", "body", "lines", "links",
    "tracking", "milestones", "updates", "results", "budget", "children",
)  # fmt: skip
ANOMALY_KEYS = ("kind", "code", "line", "text", "params", "message", "item")
PERIOD_KEYS = ("start", "end")
SOURCE_KEYS = ("name", "format", "checksum")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The largest value a PositiveIntegerField holds on every database Jalon supports.
MAX_LINE = 2**31 - 1
SNIFF = re.compile(rb'^\s*\{.{0,200}?"format"\s*:\s*"jalon-plan"', re.DOTALL)


class Invalid(Exception):
    """A part of the document is not what the format says; `path` names that part."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)


def sniff(source: Source, format: str) -> bool:
    if source.extension == "json":
        return True
    head = source.data[:4000].removeprefix(b"\xef\xbb\xbf")
    return bool(SNIFF.match(head))


def parse(source: Source, format: str) -> ParsedPlan:
    document = _load(source)
    try:
        return _plan(document)
    except Invalid as error:
        raise source.fail(str(error)) from error


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
    if _is_a(version, int) and version in READABLE_VERSIONS:
        return
    if _is_a(version, int) and version > VERSION:
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


def _plan(document: dict[str, Any]) -> ParsedPlan:
    _refuse_unknown(document, "", PLAN_KEYS)
    levels = _levels(document)
    period_start, period_end = _period(document.get("period"))
    items = [
        _item(value, f"items[{index}]", 0, levels)
        for index, value in enumerate(_field(document, "items", "", list))
    ]
    directory = _directory(document.get("directory"))
    _attach_links(document["items"], items, "items", _refs(directory))
    # Imported here: json_tracking reads its sections with this module's checks.
    from .json_tracking import attach as attach_tracking

    attach_tracking(document["items"], items, "items")
    return ParsedPlan(
        title=_text(document, "title", "", limit=_limit(Plan, "title")),
        format=FORMAT,
        items=items,
        anomalies=_anomalies(document, items),
        levels=levels,
        period_start=period_start,
        period_end=period_end,
        language=_text(document, "language", "", default="fr", limit=_limit(Plan, "language")),
        preamble=_text(document, "preamble", "", default=""),
        extra={
            "organisation": _text(
                document, "organisation", "", default="", limit=_limit(Plan, "organisation")
            ),
            "status": _status(document),
            "source": _source(document.get("source")),
            "directory": directory,
        },
    )


def _levels(document: dict[str, Any]) -> list[str]:
    levels = _field(document, "levels", "", list, default=[])
    for index, name in enumerate(levels):
        if not isinstance(name, str):
            raise Invalid(
                f"levels[{index}]",
                _("a level name should be text, not %(actual)s.") % {"actual": _kind_of(name)},
            )
    return list(levels)


def _period(period: Any) -> tuple[datetime.date | None, datetime.date | None]:
    if period is None:
        return None, None
    period = _object(period, "period", PERIOD_KEYS)
    start, end = (_date(period, key) for key in PERIOD_KEYS)
    if start and end and end < start:
        raise Invalid("period", _("the period ends before it starts."))
    return start, end


def _date(period: dict[str, Any], key: str) -> datetime.date | None:
    value = _field(period, key, "period", str, default=None, nullable=True)
    if value is None:
        return None
    try:
        if DATE.match(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid(f"period.{key}", _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value})


def _status(document: dict[str, Any]) -> str:
    status = _text(document, "status", "", default=PlanStatus.DRAFT.value)
    if status not in PlanStatus.values:
        raise Invalid(
            "status",
            _("“%(value)s” is not a plan status; use one of %(choices)s.")
            % {"value": status, "choices": ", ".join(PlanStatus.values)},
        )
    return status


def _source(value: Any) -> dict[str, str]:
    # Kept for the record only: the plan's source fields name the file being imported now.
    if value is None:
        return {}
    source = _object(value, "source", SOURCE_KEYS)
    return {key: _text(source, key, "source", default="") for key in SOURCE_KEYS}


def _item(value: Any, path: str, depth: int, levels: list[str]) -> ParsedItem:
    if depth >= MAX_DEPTH:
        raise Invalid(path, _("items are nested more than %(limit)s levels deep.") % {"limit": MAX_DEPTH})
    data = _object(value, path, ITEM_KEYS)
    line_start, line_end = _lines(data, path)
    item = ParsedItem(
        code=_text(data, "code", path, default="", limit=_limit(Item, "code")),
        title=_text(data, "title", path),
        label=_own_label(data, path, levels, depth),
        body=_text(data, "body", path, default=""),
        title_en=_text(data, "title_en", path, default=""),
        line_start=line_start,
        line_end=line_end,
    )
    children = _field(data, "children", path, list, default=[])
    item.children = [
        _item(child, f"{path}.children[{index}]", depth + 1, levels) for index, child in enumerate(children)
    ]
    return item


def _own_label(data: dict[str, Any], path: str, levels: list[str], depth: int) -> str:
    """Return the label to keep on the item itself, "" when it is just the plan's level name.

    "label" is the name the reader sees (the item's own, else the level's), so a label equal
    to the level name may or may not have been written on the item; "label_on_item" tells."""
    label = _text(data, "label", path, default="", limit=_limit(Item, "label"))
    on_item = _field(data, "label_on_item", path, bool, default=False)
    level_name = levels[depth] if depth < len(levels) else ""
    return label if on_item or label != level_name else ""


def _lines(data: dict[str, Any], path: str) -> tuple[int | None, int | None]:
    lines = _field(data, "lines", path, list, default=None, nullable=True)
    if lines is None:
        return None, None
    if len(lines) != 2:
        raise Invalid(path, _("“lines” should hold two numbers, the first line and the last."))
    start, end = (_line_number(number, f"{path}.lines[{index}]") for index, number in enumerate(lines))
    return start, end


def _line_number(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if not _is_a(value, int) or not 0 <= value <= MAX_LINE:
        raise Invalid(
            path,
            _("a line number should be a whole number from 0 to %(limit)s, not %(value)s.")
            % {"limit": MAX_LINE, "value": json.dumps(value, ensure_ascii=False)},
        )
    return int(value)


def _anomalies(document: dict[str, Any], items: list[ParsedItem]) -> list[Anomaly]:
    return [
        _anomaly(value, f"anomalies[{index}]", items)
        for index, value in enumerate(_field(document, "anomalies", "", list, default=[]))
    ]


def _anomaly(value: Any, path: str, items: list[ParsedItem]) -> Anomaly:
    data = _object(value, path, ANOMALY_KEYS)
    kind = _text(data, "kind", path)
    if kind not in AnomalyKind.values:
        raise Invalid(
            path,
            _("“%(value)s” is not a kind of anomaly; use one of %(choices)s.")
            % {"value": kind, "choices": ", ".join(AnomalyKind.values)},
        )
    _text(data, "message", path, default="")  # written for readers, made again on display
    return Anomaly(
        kind=kind,
        line=_line_number(data.get("line"), f"{path}.line"),
        code=_text(data, "code", path, default="", limit=_limit(AnomalyModel, "code")),
        text=_text(data, "text", path, default=""),
        params=_field(data, "params", path, dict, default={}),
        item=_anomaly_item(data, path, items),
    )


def _anomaly_item(data: dict[str, Any], path: str, items: list[ParsedItem]) -> ParsedItem | None:
    """Return the item an anomaly concerns, named by its position at each level ([0, 2])."""
    positions = _field(data, "item", path, list, default=None, nullable=True)
    if positions is None:
        return None
    siblings, item = items, None
    for position in positions:
        if not _is_a(position, int) or not 0 <= position < len(siblings):
            raise Invalid(
                f"{path}.item",
                _("%(positions)s names no item of this plan.")
                % {"positions": json.dumps(positions, ensure_ascii=False)},
            )
        item = siblings[position]
        siblings = item.children
    return item


# The directory entries the plan's accepted links name, and the links on each item. Both
# are optional: a plan without links has neither. Kept as checked dictionaries for the
# directory's links_import service, which runs right after plan_import.

DIRECTORY_KEYS = {
    "partners": (
        "ref", "name", "acronym", "other_names", "organisation_type", "country", "website", "is_funder",
    ),
    "places": ("ref", "kind", "iso_code", "name_fr", "name_en", "other_names", "parent"),
    "themes": ("ref", "slug", "name_fr", "name_en", "keywords"),
}  # fmt: skip
LINK_KEYS = ("ref", "name", "iso_code", "evidence")
PLACE_KINDS = ("country", "subnational", "region")
# The lengths the directory's tables hold.
DIRECTORY_LIMITS = {
    "name": 300, "acronym": 50, "organisation_type": 10, "website": 200, "kind": 20, "iso_code": 2,
    "name_fr": 200, "name_en": 200, "slug": 100,
}  # fmt: skip


def _directory(value: Any) -> dict[str, list[dict[str, Any]]]:
    if value is None:
        return {kind: [] for kind in DIRECTORY_KEYS}
    data = _object(value, "directory", tuple(DIRECTORY_KEYS))
    directory = {
        kind: [
            _directory_entry(entry, f"directory.{kind}[{index}]", keys)
            for index, entry in enumerate(_field(data, kind, "directory", list, default=[]))
        ]
        for kind, keys in DIRECTORY_KEYS.items()
    }
    _check_references(directory)
    return directory


def _directory_entry(value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    data = _object(value, path, keys)
    entry: dict[str, Any] = {"ref": _text(data, "ref", path)}
    for key in keys[1:]:
        if key in ("other_names", "keywords"):
            entry[key] = _texts(data, key, path)
        elif key in ("country", "parent"):
            entry[key] = _field(data, key, path, str, default=None, nullable=True)
        elif key == "is_funder":
            entry[key] = _field(data, key, path, bool, default=False)
        else:
            required = _REQUIRED if key in ("name", "slug", "kind") else ""
            entry[key] = _text(data, key, path, default=required, limit=DIRECTORY_LIMITS.get(key))
    if entry.get("kind", "country") not in PLACE_KINDS:
        raise Invalid(path, _("“%(value)s” is not a kind of place.") % {"value": entry["kind"]})
    if "name_fr" in entry and not (entry["name_fr"] or entry["name_en"]):
        raise Invalid(path, _("“name_fr” or “name_en” is needed."))
    return entry


def _texts(data: dict[str, Any], key: str, path: str) -> list[str]:
    values = _field(data, key, path, list, default=[])
    if not all(isinstance(value, str) for value in values):
        raise Invalid(path, _("“%(key)s” should be a list of text.") % {"key": key})
    return list(values)


def _refs(directory: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Return the kind ("partners", "places", "themes") of every ref the directory defines."""
    refs: dict[str, str] = {}
    for kind, entries in directory.items():
        for index, entry in enumerate(entries):
            if entry["ref"] in refs:
                raise Invalid(
                    f"directory.{kind}[{index}]",
                    _("the ref “%(ref)s” is used twice.") % {"ref": entry["ref"]},
                )
            refs[entry["ref"]] = kind
    return refs


def _check_references(directory: dict[str, list[dict[str, Any]]]) -> None:
    places = {entry["ref"] for entry in directory["places"]}
    for kind, key in (("partners", "country"), ("places", "parent")):
        for index, entry in enumerate(directory[kind]):
            if entry[key] is not None and entry[key] not in places:
                raise Invalid(
                    f"directory.{kind}[{index}].{key}",
                    _("“%(ref)s” names no place of the directory.") % {"ref": entry[key]},
                )


def _attach_links(values: list[Any], items: list[ParsedItem], path: str, refs: dict[str, str]) -> None:
    """Store each item's links in its extra fields, as (kind, ref, evidence)."""
    for index, (value, item) in enumerate(zip(values, items, strict=True)):
        here = f"{path}[{index}]"
        item.extra["links"] = _item_links(value.get("links"), f"{here}.links", refs)
        _attach_links(value.get("children", []), item.children, f"{here}.children", refs)


def _item_links(value: Any, path: str, refs: dict[str, str]) -> list[tuple[str, str, str]]:
    if value is None:
        return []
    data = _object(value, path, tuple(DIRECTORY_KEYS))
    links = []
    for kind in DIRECTORY_KEYS:
        for index, entry in enumerate(_field(data, kind, path, list, default=[])):
            link = _object(entry, f"{path}.{kind}[{index}]", LINK_KEYS)
            target = _text(link, "ref", f"{path}.{kind}[{index}]")
            if refs.get(target) != kind:
                raise Invalid(
                    f"{path}.{kind}[{index}]",
                    _("“%(ref)s” names no entry of the directory's %(kind)s.")
                    % {"ref": target, "kind": kind},
                )
            links.append((kind[:-1], target, _text(link, "evidence", path, default="")))
    return links


# Checking values one field at a time, each refusal naming where it is.

_REQUIRED: Any = object()


def _object(value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(path, _("should be an object, not %(actual)s.") % {"actual": _kind_of(value)})
    _refuse_unknown(value, path, allowed)
    return value


def _refuse_unknown(data: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed:
            raise Invalid(
                path,
                _("“%(key)s” is not a field of this format; the fields are %(allowed)s.")
                % {"key": key, "allowed": ", ".join(allowed)},
            )


def _field(
    data: dict[str, Any],
    key: str,
    path: str,
    expected: type,
    *,
    default: Any = _REQUIRED,
    nullable: bool = False,
) -> Any:
    if key not in data:
        if default is _REQUIRED:
            raise Invalid(path, _("“%(key)s” is missing.") % {"key": key})
        return default
    value = data[key]
    if (value is None and nullable) or _is_a(value, expected):
        return value
    raise Invalid(
        path,
        _("“%(key)s” should be %(expected)s, not %(actual)s.")
        % {"key": key, "expected": _EXPECTED[expected](), "actual": _kind_of(value)},
    )


def _text(
    data: dict[str, Any], key: str, path: str, *, default: Any = _REQUIRED, limit: int | None = None
) -> str:
    value: str = _field(data, key, path, str, default=default)
    if limit is not None and len(value) > limit:
        raise Invalid(
            path,
            _("“%(key)s” is longer than %(limit)s characters.") % {"key": key, "limit": limit},
        )
    return value


def _is_a(value: Any, expected: type) -> bool:
    # JSON's true and false are Python ints too, but never a count or a line number.
    if isinstance(value, bool):
        return expected is bool
    return isinstance(value, expected)


def _limit(model: type[Plan | Item | AnomalyModel], name: str) -> int:
    """Return the length the database holds for a text field, so it is refused here first."""
    field = model._meta.get_field(name)
    return int(field.max_length) if isinstance(field, Field) and field.max_length else 0


# Item.path holds PATH_STEP characters per level, so the tree cannot be deeper than this.
MAX_DEPTH = _limit(Item, "path") // PATH_STEP


_EXPECTED: dict[type, Callable[[], str]] = {
    str: lambda: pgettext("JSON type", "text"),
    int: lambda: pgettext("JSON type", "a whole number"),
    list: lambda: pgettext("JSON type", "a list"),
    dict: lambda: pgettext("JSON type", "an object"),
    bool: lambda: pgettext("JSON type", "true or false"),
}


def _kind_of(value: Any) -> str:
    if value is None:
        return pgettext("JSON type", "null")
    if isinstance(value, bool):
        return _EXPECTED[bool]()
    if isinstance(value, int | float):
        return pgettext("JSON type", "a number")
    for expected in (str, list, dict):
        if isinstance(value, expected):
            return _EXPECTED[expected]()
    return repr(type(value))
