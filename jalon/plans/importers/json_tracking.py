"""The tracking and results sections of an item in Jalon's JSON, checked and kept in the
item's `extra` for the services that store them right after plan_import
(tracking.exchange.tracking_import, results.exchange.results_import).

Every section is optional. Like the rest of the format, unknown fields are refused and
every refusal names its place ("items[0].children[1].tracking: “progress” ...")."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from jalon.results.models import Frequency, Measure, ResultKind, Sex
from jalon.tracking.models import Priority, Status

from .base import ParsedItem
from .json_format import DATE, Invalid, _field, _object, _text

SECTIONS = ("tracking", "milestones", "updates", "results", "budget")
TRACKING_KEYS = ("status", "progress", "priority", "start_date", "due_date", "notes", "leads", "team")
MILESTONE_KEYS = ("title", "due_date", "done_on")
UPDATE_KEYS = ("date", "author", "text", "status", "progress", "public", "links", "attachments")
LINK_KEYS = ("url", "label")
RESULT_KEYS = ("kind", "title", "title_en", "description", "indicators")
INDICATOR_KEYS = (
    "title", "title_en", "measure", "unit", "ascending", "data_source", "collection_method",
    "frequency", "baseline", "responsible", "targets", "values",
)  # fmt: skip
BASELINE_KEYS = ("value", "date", "comment")
TARGET_KEYS = ("period", "value", "comment")
VALUE_KEYS = (
    "period", "value", "text", "comment", "evidence", "sex", "age_group", "place", "recorded_by",
)  # fmt: skip
PERIOD_KEYS = ("start", "end")
BUDGET_KEYS = ("year", "currency", "planned", "spent", "funder", "note")


def attach(values: list[Any], items: list[ParsedItem], path: str) -> None:
    """Check each item's tracking and results sections and keep them in its extra fields."""
    for index, (value, item) in enumerate(zip(values, items, strict=True)):
        here = f"{path}[{index}]"
        for section in SECTIONS:
            if section in value:
                item.extra[section] = READERS[section](value[section], f"{here}.{section}")
        attach(value.get("children", []), item.children, f"{here}.children")


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(path, _("should be a list."))
    return value


def _date(data: dict[str, Any], key: str, path: str, *, required: bool = False) -> datetime.date | None:
    value = _field(data, key, path, str, default=None, nullable=not required)
    if value is None:
        if required:
            raise Invalid(path, _("“%(key)s” is missing.") % {"key": key})
        return None
    try:
        if DATE.match(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid(f"{path}.{key}", _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value})


def _choice(data: dict[str, Any], key: str, path: str, choices: list[str], default: str) -> str:
    value = _text(data, key, path, default=default)
    if value not in choices:
        raise Invalid(
            f"{path}.{key}",
            _("“%(value)s” is not one of %(choices)s.") % {"value": value, "choices": ", ".join(choices)},
        )
    return value


def _percent(data: dict[str, Any], key: str, path: str, *, nullable: bool) -> int | None:
    value = _field(data, key, path, int, default=None if nullable else 0, nullable=nullable)
    if value is not None and not 0 <= value <= 100:
        raise Invalid(
            f"{path}.{key}", _("a percent lies between 0 and 100, not %(value)s.") % {"value": value}
        )
    return value


def _names(data: dict[str, Any], key: str, path: str) -> list[str]:
    values = _field(data, key, path, list, default=[])
    if not all(isinstance(value, str) for value in values):
        raise Invalid(f"{path}.{key}", _("should be a list of text."))
    return list(values)


def _decimal(data: dict[str, Any], key: str, path: str) -> Decimal | None:
    value = _field(data, key, path, str, default=None, nullable=True)
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise Invalid(
            f"{path}.{key}",
            _('%(value)s is not a number written as text ("12000.50").')
            % {"value": json.dumps(value, ensure_ascii=False)},
        )
    return number


def _tracking(value: Any, path: str) -> dict[str, Any]:
    data = _object(value, path, TRACKING_KEYS)
    return {
        "status": _choice(data, "status", path, Status.values, Status.NOT_STARTED.value),
        "progress": _percent(data, "progress", path, nullable=False),
        "priority": _choice(data, "priority", path, Priority.values, Priority.NORMAL.value),
        "start_date": _date(data, "start_date", path),
        "due_date": _date(data, "due_date", path),
        "notes": _text(data, "notes", path, default=""),
        "leads": _names(data, "leads", path),
        "team": _names(data, "team", path),
    }


def _milestones(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(_list(value, path)):
        here = f"{path}[{index}]"
        data = _object(entry, here, MILESTONE_KEYS)
        found.append(
            {
                "title": _text(data, "title", here, limit=300),
                "due_date": _date(data, "due_date", here),
                "done_on": _date(data, "done_on", here),
            }
        )
    return found


def _updates(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(_list(value, path)):
        here = f"{path}[{index}]"
        data = _object(entry, here, UPDATE_KEYS)
        found.append(
            {
                "date": _date(data, "date", here, required=True),
                "author": _text(data, "author", here),
                "text": _text(data, "text", here),
                "status": _choice(data, "status", here, ["", *Status.values], ""),
                "progress": _percent(data, "progress", here, nullable=True),
                "public": _field(data, "public", here, bool, default=False),
                "links": [
                    _link(link, f"{here}.links[{number}]")
                    for number, link in enumerate(_field(data, "links", here, list, default=[]))
                ],
                "attachments": _names(data, "attachments", here),
            }
        )
    return found


def _link(value: Any, path: str) -> dict[str, str]:
    data = _object(value, path, LINK_KEYS)
    url = _text(data, "url", path, limit=1000)
    if not url.lower().startswith(("https://", "http://")):
        raise Invalid(path, _("“%(url)s” is not a web address.") % {"url": url})
    return {"url": url, "label": _text(data, "label", path, default="", limit=300)}


def _results(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(_list(value, path)):
        here = f"{path}[{index}]"
        data = _object(entry, here, RESULT_KEYS)
        found.append(
            {
                "kind": _choice(data, "kind", here, ResultKind.values, ResultKind.OUTCOME.value),
                "title": _text(data, "title", here),
                "title_en": _text(data, "title_en", here, default=""),
                "description": _text(data, "description", here, default=""),
                "indicators": [
                    _indicator(indicator, f"{here}.indicators[{number}]")
                    for number, indicator in enumerate(_field(data, "indicators", here, list, default=[]))
                ],
            }
        )
    return found


def _indicator(value: Any, path: str) -> dict[str, Any]:
    data = _object(value, path, INDICATOR_KEYS)
    baseline = _object(data.get("baseline", {}), f"{path}.baseline", BASELINE_KEYS)
    return {
        "title": _text(data, "title", path),
        "title_en": _text(data, "title_en", path, default=""),
        "measure": _choice(data, "measure", path, Measure.values, Measure.NUMBER.value),
        "unit": _text(data, "unit", path, default="", limit=100),
        "ascending": _field(data, "ascending", path, bool, default=True),
        "data_source": _text(data, "data_source", path, default="", limit=300),
        "collection_method": _text(data, "collection_method", path, default="", limit=300),
        "frequency": _choice(data, "frequency", path, Frequency.values, Frequency.YEARLY.value),
        "baseline": {
            "value": _decimal(baseline, "value", f"{path}.baseline"),
            "date": _date(baseline, "date", f"{path}.baseline"),
            "comment": _text(baseline, "comment", f"{path}.baseline", default=""),
        },
        "responsible": _field(data, "responsible", path, str, default=None, nullable=True),
        "targets": [
            _measured(target, f"{path}.targets[{number}]", TARGET_KEYS)
            for number, target in enumerate(_field(data, "targets", path, list, default=[]))
        ],
        "values": [
            _measured(entry, f"{path}.values[{number}]", VALUE_KEYS)
            for number, entry in enumerate(_field(data, "values", path, list, default=[]))
        ],
    }


def _measured(value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Return a target or a value: a period, a number, and for values who recorded it and how."""
    data = _object(value, path, keys)
    period = _object(_field(data, "period", path, dict), f"{path}.period", PERIOD_KEYS)
    found: dict[str, Any] = {
        "period": {key: _date(period, key, f"{path}.period", required=True) for key in PERIOD_KEYS},
        "value": _decimal(data, "value", path),
        "comment": _text(data, "comment", path, default=""),
    }
    if "recorded_by" in keys:
        found |= {
            key: _text(data, key, path, default="") for key in ("text", "evidence", "age_group", "place")
        }
        found["sex"] = _choice(data, "sex", path, ["", *Sex.values], "")
        found["recorded_by"] = _text(data, "recorded_by", path)
    return found


def _budget(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(_list(value, path)):
        here = f"{path}[{index}]"
        data = _object(entry, here, BUDGET_KEYS)
        year = _field(data, "year", here, int)
        if not 1900 <= year <= 2200:
            raise Invalid(f"{here}.year", _("%(year)s is not a year such as 2025.") % {"year": year})
        found.append(
            {
                "year": year,
                "currency": _text(data, "currency", here, limit=3),
                "planned": _decimal(data, "planned", here) or Decimal(0),
                "spent": _decimal(data, "spent", here) or Decimal(0),
                "funder": _field(data, "funder", here, str, default=None, nullable=True),
                "note": _text(data, "note", here, default=""),
            }
        )
    return found


READERS = {
    "tracking": _tracking,
    "milestones": _milestones,
    "updates": _updates,
    "results": _results,
    "budget": _budget,
}
