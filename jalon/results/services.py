"""Writes to results, indicators, targets, values and budgets, shared by the web, the
command line and the API. Each checks the same rules as the forms, so that no path can
store a percent of 140 or a period that ends before it starts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.directory.codelists import codelist
from jalon.directory.models import Partner
from jalon.plans.models import Item

from .models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Result,
    Sex,
    Target,
    validate_measured,
    validate_period,
)

INDICATOR_FIELDS = (
    "title",
    "title_en",
    "measure",
    "unit",
    "ascending",
    "baseline_value",
    "baseline_date",
    "baseline_comment",
    "data_source",
    "collection_method",
    "frequency",
    "responsible",
)


def currency_codes() -> frozenset[str]:
    """Return the ISO 4217 codes of the IATI Currency codelist shipped with Jalon."""
    return frozenset(code.code for code in codelist("Currency") if not code.withdrawn)


def validate_currency(currency: str) -> None:
    if currency not in currency_codes():
        raise ValidationError({"currency": _("Unknown currency code: %(code)s.") % {"code": currency}})


def validate_indicator(fields: dict[str, Any]) -> None:
    if not str(fields.get("title", "")).strip():
        raise ValidationError({"title": _("An indicator needs a title.")})
    baseline = fields.get("baseline_value")
    if baseline is not None:
        validate_measured(fields.get("measure", "number"), baseline, "", required=False)


def _baseline_errors(fields: dict[str, Any]) -> None:
    # The measure's rules speak of "value"; on an indicator the field is the baseline.
    try:
        validate_indicator(fields)
    except ValidationError as error:
        messages = error.message_dict
        if "value" in messages:
            messages["baseline_value"] = messages.pop("value")
        raise ValidationError(messages) from error


@transaction.atomic
def result_add(*, item: Item, kind: str, title: str, title_en: str = "", description: str = "") -> Result:
    if not title.strip():
        raise ValidationError({"title": _("A result needs a title.")})
    position = (Result.objects.filter(item=item).aggregate(last=Max("position"))["last"] or 0) + 1
    return Result.objects.create(
        item=item, kind=kind, title=title, title_en=title_en, description=description, position=position
    )


@transaction.atomic
def indicator_add(*, result: Result, **fields: Any) -> Indicator:
    """Add an indicator to a result; fields are those of INDICATOR_FIELDS."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    _baseline_errors(fields)
    position = (result.indicators.aggregate(last=Max("position"))["last"] or 0) + 1
    return Indicator.objects.create(result=result, position=position, **fields)


@transaction.atomic
def indicator_edit(*, indicator: Indicator, changes: dict[str, Any]) -> Indicator:
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    merged = {name: getattr(indicator, name) for name in INDICATOR_FIELDS} | changes
    _baseline_errors(merged)
    for name, value in changes.items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal | None,
    comment: str = "",
) -> Target:
    """Set the target of one period, replacing the one already set for the same period."""
    validate_period(period_start, period_end)
    # A qualitative target is described in its comment; a measured one needs its number.
    validate_measured(indicator.measure, value, comment, required=False)
    if value is None and indicator.measure != "qualitative":
        raise ValidationError({"value": _("Enter a number.")})
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        defaults={"value": value, "comment": comment},
    )
    return target


@transaction.atomic
def value_record(
    *,
    indicator: Indicator,
    user: User,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal | None = None,
    text: str = "",
    comment: str = "",
    evidence: str = "",
    sex: str = "",
    age_group: str = "",
    place: str = "",
) -> IndicatorValue:
    validate_period(period_start, period_end)
    validate_measured(indicator.measure, value, text)
    if sex and sex not in Sex.values:
        raise ValidationError({"sex": _("Unknown choice.")})
    if evidence:
        # Only web addresses: a javascript: link would run in our pages when clicked.
        try:
            URLValidator(schemes=["http", "https"])(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": _("Enter a web address (https://…).")}) from error
    if indicator.measure == "qualitative":
        value = None
    return IndicatorValue.objects.create(
        indicator=indicator,
        recorded_by=user,
        period_start=period_start,
        period_end=period_end,
        value=value,
        text=text,
        comment=comment,
        evidence=evidence,
        sex=sex,
        age_group=age_group.strip(),
        place=place.strip(),
    )


@transaction.atomic
def budget_line_set(
    *,
    item: Item,
    year: int,
    planned: Decimal,
    spent: Decimal,
    currency: str = "CAD",
    note: str = "",
    funder: Partner | None = None,
) -> BudgetLine:
    """Set an item's budget for one year, currency and funder, replacing what was there."""
    currency = currency.strip().upper()
    validate_currency(currency)
    if planned < 0:
        raise ValidationError({"planned": _("A budget cannot be negative.")})
    if spent < 0:
        raise ValidationError({"spent": _("A budget cannot be negative.")})
    if not 1900 <= year <= 2200:
        raise ValidationError({"year": _("Enter a year such as 2025.")})
    if funder is not None and not funder.is_funder:
        raise ValidationError({"funder": _("%(name)s is not marked as a funder.") % {"name": funder}})
    line, _created = BudgetLine.objects.update_or_create(
        item=item,
        year=year,
        currency=currency,
        funder=funder,
        defaults={"planned": planned, "spent": spent, "note": note},
    )
    return line
