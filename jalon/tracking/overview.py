"""Reads behind the overview pages: dashboard, my actions, timeline, actions list, search.

Every function returns a QuerySet or a fixed number of queries' worth of rows, so that the
pages read the same number of queries whatever the size of the plan."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from jalon.accounts.models import User
from jalon.plans.models import PATH_STEP, Item, Plan

from .models import CLOSED_STATUSES, STALE_AFTER_DAYS, Milestone, Status, Tracking, Update
from .rollups import Rollup

OPEN_STATUSES = [status for status in Status.values if status not in CLOSED_STATUSES]


def tree_rollups(plan: Plan) -> dict[str, Rollup]:
    """Return a rollup per item path in one query, for the tree that lists every item anyway.

    plan_rollups takes one query per level; the plan page keeps a budget of four queries,
    so its rollups come from the actions' rows summed up here."""
    by_path: dict[str, Rollup] = defaultdict(Rollup)
    rows = (
        Item.objects.filter(plan=plan).leaves().values_list("path", "tracking__status", "tracking__progress")
    )
    for path, status, progress in rows.order_by():
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            by_path[path[:end]].add(status or Status.NOT_STARTED, 1, progress or 0)
    return dict(by_path)


def actions(plan: Plan) -> QuerySet[Item]:
    """Return the plan's actions in document order, with their tracking and leads."""
    return (
        Item.objects.filter(plan=plan)
        .leaves()
        .select_related("tracking", "plan")
        .prefetch_related("tracking__leads")
        .in_document_order()
    )


def late(items: QuerySet[Item], today: datetime.date | None = None) -> QuerySet[Item]:
    today = today or timezone.localdate()
    return items.filter(tracking__due_date__lt=today, tracking__status__in=OPEN_STATUSES)


def not_closed(items: QuerySet[Item]) -> QuerySet[Item]:
    # An action nobody has tracked yet has no row: it is not started, hence open.
    return items.filter(Q(tracking__isnull=True) | Q(tracking__status__in=OPEN_STATUSES))


def without_lead(items: QuerySet[Item]) -> QuerySet[Item]:
    return items.filter(tracking__leads__isnull=True).exclude(tracking__status=Status.CANCELLED)


def stale(items: QuerySet[Item], today: datetime.date | None = None) -> QuerySet[Item]:
    """Return open actions without an update for STALE_AFTER_DAYS, never-updated ones included."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)
    return not_closed(items).exclude(updates__date__gte=since)


def with_status(items: QuerySet[Item], status: str) -> QuerySet[Item]:
    if status == Status.NOT_STARTED:
        return items.filter(Q(tracking__isnull=True) | Q(tracking__status=status))
    return items.filter(tracking__status=status)


def recent_updates(plan: Plan, count: int = 10) -> QuerySet[Update]:
    return Update.objects.filter(item__plan=plan).select_related("item", "author").newest_first()[:count]


def actions_of_user(user: User, today: datetime.date | None = None) -> QuerySet[Tracking]:
    """Return the tracking of the actions the user leads or works on, across plans."""
    today = today or timezone.localdate()
    is_late = Q(due_date__lt=today, status__in=OPEN_STATUSES)
    return (
        Tracking.objects.filter(pk__in=Tracking.objects.filter(Q(leads=user) | Q(team=user)).values("pk"))
        .select_related("item__plan")
        .annotate(is_late=ExpressionWrapper(is_late, output_field=BooleanField()))
        .order_by("item__plan__title", "item__plan_id", "item__path")
    )


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


def timeline(plan: Plan) -> tuple[list[Quarter], list[Any]]:
    """Return the quarters of the plan period with their dated actions and milestones,
    and the entries without a date."""
    quarters: dict[tuple[int, int], Quarter] = {}
    if plan.period_start and plan.period_end:
        year, number = quarter_of(plan.period_start)
        while (year, number) <= quarter_of(plan.period_end):
            quarters[(year, number)] = Quarter(year, number)
            year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    undated: list[Any] = []
    for entry in _dated_entries(plan):
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
