"""Budgets rolled up from the actions to the items above them and to the whole plan.

Aggregate queries grouped by currency: amounts in different currencies are never added
together (no exchange rate is right for every reader), each currency gets its own total."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Left

from jalon.directory.models import Partner
from jalon.plans.models import PATH_STEP, Item, Plan

from .models import BudgetLine


@dataclass
class Amounts:
    currency: str
    planned: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    year: int | None = None

    @property
    def percent_spent(self) -> int | None:
        """Return the share of the planned amount spent, in percent, or None with nothing planned."""
        if not self.planned:
            return None
        return round(self.spent * 100 / self.planned)


def _amounts(row: Mapping[str, Any]) -> Amounts:
    return Amounts(
        currency=row["currency"],
        planned=row["planned_sum"] or Decimal(0),
        spent=row["spent_sum"] or Decimal(0),
        year=row.get("year"),
    )


def item_budget(item: Item) -> tuple[list[Amounts], list[Amounts]]:
    """Return an item's subtree budget by year and currency, and its totals by currency."""
    lines = BudgetLine.objects.filter(item__plan_id=item.plan_id, item__path__startswith=item.path).order_by()
    by_year = lines.values("year", "currency").annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
    totals = lines.values("currency").annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
    return (
        [_amounts(row) for row in by_year.order_by("year", "currency")],
        [_amounts(row) for row in totals.order_by("currency")],
    )


def plan_budget(plan: Plan, *, depth: int = 1) -> tuple[dict[str, list[Amounts]], list[Amounts]]:
    """Return the budget of every item down to `depth` (0: axes, 1: orientations) by path,
    each a list by currency, and the plan's totals by currency. One query per level."""
    lines = BudgetLine.objects.filter(item__plan=plan).order_by()
    by_path: dict[str, list[Amounts]] = {}
    for level in range(depth + 1):
        rows = (
            lines.filter(item__depth__gte=level)
            .annotate(ancestor=Left("item__path", PATH_STEP * (level + 1)))
            .values("ancestor", "currency")
            .annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
            .order_by("ancestor", "currency")
        )
        for row in rows:
            by_path.setdefault(row["ancestor"], []).append(_amounts(row))
    totals = lines.values("currency").annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
    return by_path, [_amounts(row) for row in totals.order_by("currency")]


def plan_budget_by_year(plan: Plan) -> list[Amounts]:
    """Return the whole plan's budget by year and currency, in one query."""
    rows = (
        BudgetLine.objects.filter(item__plan=plan)
        .values("year", "currency")
        .annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
        .order_by("year", "currency")
    )
    return [_amounts(row) for row in rows]


@dataclass
class FunderAmounts(Amounts):
    funder: Any = None  # a Partner, or None for the organisation's own funds


def funder_budget(plan: Plan) -> list[FunderAmounts]:
    """Return the plan's budget by funder and currency in one query, own funds last."""
    rows = (
        BudgetLine.objects.filter(item__plan=plan)
        .values("funder", "currency")
        .annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
        .order_by()
    )
    funders = Partner.objects.in_bulk([row["funder"] for row in rows if row["funder"]])
    found = [FunderAmounts(**vars(_amounts(row)), funder=funders.get(row["funder"])) for row in rows]
    return sorted(
        found, key=lambda amounts: (amounts.funder is None, str(amounts.funder or ""), amounts.currency)
    )
