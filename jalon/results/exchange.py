"""The results part of Jalon's JSON (docs/json-format.md): each item's results with their
indicators, targets and values, and its budget lines, written by the JSON exporter and
stored again after an import.

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
from jalon.plans.importers.base import ParsedItem, ParsedPlan
from jalon.plans.models import Item, Plan

from .models import BudgetLine, Indicator, IndicatorValue, Result, Target

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
