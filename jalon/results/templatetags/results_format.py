"""Numbers of indicators and budgets written the way the reader's language writes them."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

from jalon.results.charts import format_measured
from jalon.results.models import Indicator

register = template.Library()


@register.filter
def measured(value: Decimal | None, indicator: Indicator) -> str:
    """{{ value.value|measured:indicator }} → "45 %", "Oui", "120 personnes"."""
    return format_measured(indicator, value)


@register.filter
def money(amount: Decimal | None) -> str:
    """Return an amount with the language's grouping, cents only when there are some."""
    if amount is None:
        return "—"
    places = 0 if amount == amount.to_integral_value() else 2
    return formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
