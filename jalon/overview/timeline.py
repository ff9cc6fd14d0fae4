"""The plan's timeline: its actions by due date and its milestones, quarter by quarter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from jalon.plans.models import Item, Plan
from jalon.tracking.models import Milestone


@dataclass
class Quarter:
    year: int
    number: int
    entries: list[Any] = field(default_factory=list)

    @property
    def label(self) -> str:
        return gettext("Q%(quarter)s %(year)s") % {"quarter": self.number, "year": self.year}


def quarter_of(date: datetime.date) -> tuple[int, int]:
    return date.year, (date.month - 1) // 3 + 1


def plan_timeline(plan: Plan) -> tuple[list[Quarter], list[Any]]:
    """Return the quarters of the plan period with their dated actions and milestones,
    and the entries without a date."""
    return by_quarter(plan, timeline_entries(plan))


def timeline_entries(plan: Plan) -> list[Entry]:
    """Return the plan's actions (by due date) and milestones, dated first, in date order."""
    return _dated_entries(plan)


def by_quarter(
    plan: Plan, entries: list[Entry], *, whole_period: bool = True
) -> tuple[list[Quarter], list[Any]]:
    """Return the entries grouped by quarter, with every quarter of the plan's period when
    whole_period (a page of a long timeline shows only the quarters it holds), and the
    entries without a date."""
    quarters: dict[tuple[int, int], Quarter] = {}
    if whole_period and plan.period_start and plan.period_end:
        year, number = quarter_of(plan.period_start)
        while (year, number) <= quarter_of(plan.period_end):
            quarters[(year, number)] = Quarter(year, number)
            year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    undated: list[Any] = []
    for entry in entries:
        if entry.date is None:
            undated.append(entry)
            continue
        key = quarter_of(entry.date)
        quarters.setdefault(key, Quarter(*key)).entries.append(entry)
    return [quarters[key] for key in sorted(quarters)], undated


@dataclass
class Entry:
    """An action (by its due date) or a milestone on the timeline."""

    item: Item
    date: datetime.date | None
    milestone: Milestone | None = None


def _dated_entries(plan: Plan) -> list[Entry]:
    items = Item.objects.filter(plan=plan).leaves().select_related("tracking").in_document_order()
    milestones = Milestone.objects.filter(item__plan=plan).select_related("item")
    entries = [Entry(item, item.tracking.due_date if item.tracking_or_none else None) for item in items]
    entries += [Entry(milestone.item, milestone.due_date, milestone) for milestone in milestones]
    return sorted(entries, key=lambda entry: (entry.date is None, entry.date or datetime.date.min))
