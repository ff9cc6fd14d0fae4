"""The results part of Jalon's JSON (docs/json-format.md): each item's results with their
indicators, targets and values, and its budget lines, written with the plan, checked when
a document is read and stored again after an import (SECTION, which the whole-plan exchange
hands to the tree's reader and writer).

Amounts and values are written as decimal text ("12000.00"), so no digit is lost to
floating point. People are usernames and funders are named by acronym (else name); one
this server does not know is reported: a value needs the person who recorded it and is
left out without them, a budget line from an unknown funder is left out too."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.directory.models import Partner
from jalon.plans.document import DocumentSection, SectionValues
from jalon.plans.importers import json_checks as check
from jalon.plans.importers.base import ParsedItem, ParsedPlan
from jalon.plans.models import Item, Plan

from .models import BudgetLine, Frequency, Indicator, IndicatorValue, Measure, Result, ResultKind, Sex, Target

ItemSections = dict[int, dict[str, Any]]
INDICATOR_FIELDS = (
    "title", "title_en", "measure", "unit", "ascending", "data_source", "collection_method", "frequency",
)  # fmt: skip
VALUE_FIELDS = ("text", "comment", "evidence", "sex", "age_group", "place")


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def plan_results(plan: Plan) -> ItemSections:
    """Return each item's "results" and "budget", only those it has; a constant number of queries."""
    sections: ItemSections = defaultdict(dict)
    indicators: dict[int, list[dict[str, Any]]] = defaultdict(list)
    targets, values = _targets_and_values(plan)
    for indicator in Indicator.objects.filter(result__item__plan=plan).select_related("responsible"):
        indicators[indicator.result_id].append(_indicator(indicator, targets, values))
    for result in Result.objects.filter(item__plan=plan).order_by("position", "pk"):
        sections[result.item_id].setdefault("results", []).append(
            {
                "kind": result.kind,
                "title": result.title,
                "title_en": result.title_en,
                "description": result.description,
                "indicators": indicators[result.pk],
            }
        )
    lines = (
        BudgetLine.objects.filter(item__plan=plan).select_related("funder").order_by("year", "currency", "pk")
    )
    for line in lines:
        sections[line.item_id].setdefault("budget", []).append(
            {
                "year": line.year,
                "currency": line.currency,
                "planned": _amount(line.planned),
                "spent": _amount(line.spent),
                "funder": _funder_name(line.funder),
                "note": line.note,
            }
        )
    return dict(sections)


def _funder_name(funder: Partner | None) -> str | None:
    return (funder.acronym or funder.name) if funder else None


def _targets_and_values(plan: Plan) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    targets: dict[int, list[Any]] = defaultdict(list)
    for target in Target.objects.filter(indicator__result__item__plan=plan):
        targets[target.indicator_id].append(
            {
                "period": {"start": _date(target.period_start), "end": _date(target.period_end)},
                "value": _amount(target.value),
                "comment": target.comment,
            }
        )
    values: dict[int, list[Any]] = defaultdict(list)
    for value in IndicatorValue.objects.filter(indicator__result__item__plan=plan).select_related(
        "recorded_by"
    ):
        values[value.indicator_id].append(
            {
                "period": {"start": _date(value.period_start), "end": _date(value.period_end)},
                "value": _amount(value.value),
                **{name: getattr(value, name) for name in VALUE_FIELDS},
                "recorded_by": value.recorded_by.username,
            }
        )
    return targets, values


def _indicator(
    indicator: Indicator, targets: dict[int, list[Any]], values: dict[int, list[Any]]
) -> dict[str, Any]:
    return {
        **{name: getattr(indicator, name) for name in INDICATOR_FIELDS},
        "baseline": {
            "value": _amount(indicator.baseline_value),
            "date": _date(indicator.baseline_date),
            "comment": indicator.baseline_comment,
        },
        "responsible": indicator.responsible.username if indicator.responsible else None,
        "targets": targets[indicator.pk],
        "values": values[indicator.pk],
    }


# Import


@transaction.atomic
def results_import(*, plan: Plan, parsed: ParsedPlan) -> list[str]:
    """Store the results, indicators, targets, values and budget lines of a parsed plan.

    Called right after plan_import in the same transaction. Returns what was left out."""
    pairs = list(zip((item for _depth, item in parsed.walk()), plan.items.in_document_order(), strict=True))
    names = {
        value["recorded_by"]
        for parsed_item, _item in pairs
        for result in parsed_item.extra.get("results", [])
        for indicator in result["indicators"]
        for value in indicator["values"]
    } | {
        indicator["responsible"]
        for parsed_item, _item in pairs
        for result in parsed_item.extra.get("results", [])
        for indicator in result["indicators"]
        if indicator["responsible"]
    }
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    left_out = _results(pairs, users)
    left_out += _budget(pairs)
    return left_out


def _results(pairs: list[tuple[ParsedItem, Item]], users: dict[str, User]) -> list[str]:
    left_out = 0
    for parsed_item, item in pairs:
        for position, data in enumerate(parsed_item.extra.get("results", [])):
            fields = {key: data[key] for key in ("kind", "title", "title_en", "description")}
            result = Result.objects.create(item=item, position=position, **fields)
            for number, indicator_data in enumerate(data["indicators"]):
                left_out += _indicator_import(result, number, indicator_data, users)
    if not left_out:
        return []
    return [
        _("%(count)s indicator values were left out: the people who recorded them are not known here.")
        % {"count": left_out}
    ]


def _indicator_import(result: Result, position: int, data: dict[str, Any], users: dict[str, User]) -> int:
    baseline = data["baseline"]
    indicator = Indicator.objects.create(
        result=result,
        position=position,
        baseline_value=baseline["value"],
        baseline_date=baseline["date"],
        baseline_comment=baseline["comment"],
        responsible=users.get(data["responsible"] or ""),
        **{name: data[name] for name in INDICATOR_FIELDS},
    )
    Target.objects.bulk_create(
        Target(
            indicator=indicator,
            period_start=target["period"]["start"],
            period_end=target["period"]["end"],
            value=target["value"],
            comment=target["comment"],
        )
        for target in data["targets"]
    )
    kept = [value for value in data["values"] if value["recorded_by"] in users]
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            period_start=value["period"]["start"],
            period_end=value["period"]["end"],
            value=value["value"],
            recorded_by=users[value["recorded_by"]],
            **{name: value[name] for name in VALUE_FIELDS},
        )
        for value in kept
    )
    return len(data["values"]) - len(kept)


def _budget(pairs: list[tuple[ParsedItem, Item]]) -> list[str]:
    names = {line["funder"] for parsed_item, _item in pairs for line in parsed_item.extra.get("budget", [])}
    funders = _funders(names - {None})
    lines, unknown = [], set()
    for parsed_item, item in pairs:
        for line in parsed_item.extra.get("budget", []):
            funder = funders.get(line["funder"]) if line["funder"] else None
            if line["funder"] and funder is None:
                unknown.add(line["funder"])
                continue
            lines.append(
                BudgetLine(item=item, funder=funder, **{k: v for k, v in line.items() if k != "funder"})
            )
    BudgetLine.objects.bulk_create(lines)
    if not unknown:
        return []
    return [
        _("Budget lines from funders not known here were left out: %(names)s.")
        % {"names": ", ".join(sorted(unknown))}
    ]


def _funders(names: set[str]) -> dict[str, Partner]:
    found: dict[str, Partner] = {}
    for partner in Partner.objects.funders().filter(acronym__in=names):
        found.setdefault(partner.acronym, partner)
    for partner in Partner.objects.funders().filter(name__in=names - set(found)):
        found.setdefault(partner.name, partner)
    return found


# Reading: each item's sections checked, every refusal naming its place.

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


def read_results(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(check.list_of(value, path)):
        here = f"{path}[{index}]"
        data = check.object_of(entry, here, RESULT_KEYS)
        indicators = check.field(data, "indicators", here, list, default=[])
        found.append(
            {
                "kind": check.choice(data, "kind", here, ResultKind.values, ResultKind.OUTCOME.value),
                "title": check.text(data, "title", here),
                "title_en": check.text(data, "title_en", here, default=""),
                "description": check.text(data, "description", here, default=""),
                "indicators": [
                    _read_indicator(indicator, f"{here}.indicators[{number}]")
                    for number, indicator in enumerate(indicators)
                ],
            }
        )
    return found


def _read_indicator(value: Any, path: str) -> dict[str, Any]:
    data = check.object_of(value, path, INDICATOR_KEYS)
    baseline = check.object_of(data.get("baseline", {}), f"{path}.baseline", BASELINE_KEYS)
    return {
        "title": check.text(data, "title", path),
        "title_en": check.text(data, "title_en", path, default=""),
        "measure": check.choice(data, "measure", path, Measure.values, Measure.NUMBER.value),
        "unit": check.text(data, "unit", path, default="", limit=100),
        "ascending": check.field(data, "ascending", path, bool, default=True),
        "data_source": check.text(data, "data_source", path, default="", limit=300),
        "collection_method": check.text(data, "collection_method", path, default="", limit=300),
        "frequency": check.choice(data, "frequency", path, Frequency.values, Frequency.YEARLY.value),
        "baseline": {
            "value": check.decimal(baseline, "value", f"{path}.baseline"),
            "date": check.date(baseline, "date", f"{path}.baseline"),
            "comment": check.text(baseline, "comment", f"{path}.baseline", default=""),
        },
        "responsible": check.field(data, "responsible", path, str, default=None, nullable=True),
        "targets": [
            _read_measured(target, f"{path}.targets[{number}]", TARGET_KEYS)
            for number, target in enumerate(check.field(data, "targets", path, list, default=[]))
        ],
        "values": [
            _read_measured(entry, f"{path}.values[{number}]", VALUE_KEYS)
            for number, entry in enumerate(check.field(data, "values", path, list, default=[]))
        ],
    }


def _read_measured(value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Return a target or a value: a period, a number, and for values who recorded it and how."""
    data = check.object_of(value, path, keys)
    period = check.object_of(check.field(data, "period", path, dict), f"{path}.period", PERIOD_KEYS)
    found: dict[str, Any] = {
        "period": {key: check.date(period, key, f"{path}.period", required=True) for key in PERIOD_KEYS},
        "value": check.decimal(data, "value", path),
        "comment": check.text(data, "comment", path, default=""),
    }
    if "recorded_by" in keys:
        found |= {
            key: check.text(data, key, path, default="") for key in ("text", "evidence", "age_group", "place")
        }
        found["sex"] = check.choice(data, "sex", path, ["", *Sex.values], "")
        found["recorded_by"] = check.text(data, "recorded_by", path)
    return found


def read_budget(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(check.list_of(value, path)):
        here = f"{path}[{index}]"
        data = check.object_of(entry, here, BUDGET_KEYS)
        year = check.field(data, "year", here, int)
        if not 1900 <= year <= 2200:
            raise check.Invalid(f"{here}.year", _("%(year)s is not a year such as 2025.") % {"year": year})
        found.append(
            {
                "year": year,
                "currency": check.text(data, "currency", here, limit=3),
                "planned": check.decimal(data, "planned", here) or Decimal(0),
                "spent": check.decimal(data, "spent", here) or Decimal(0),
                "funder": check.field(data, "funder", here, str, default=None, nullable=True),
                "note": check.text(data, "note", here, default=""),
            }
        )
    return found


def _write(plan: Plan) -> SectionValues:
    return SectionValues(items=plan_results(plan))


def _store(plan: Plan, parsed: ParsedPlan, user: User | None) -> list[str]:
    return results_import(plan=plan, parsed=parsed)


SECTION = DocumentSection(
    item_keys=("results", "budget"),
    item_readers={"results": read_results, "budget": read_budget},
    write=_write,
    store=_store,
)
