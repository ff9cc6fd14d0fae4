"""Progress and status counts rolled up from actions to every item above them.

One aggregate query per level of the plan (group the actions by the path prefix of
their ancestor at that level), so the number of queries follows the plan's depth, never
its size. Nothing is stored: a rollup is always as fresh as the actions under it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, Sum, Value
from django.db.models.functions import Coalesce, Left

from jalon.plans.models import PATH_STEP, Item, Plan

from .models import Status


@dataclass
class Rollup:
    actions: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # actions by status
    progress_sum: int = 0  # over actions that are not cancelled

    @property
    def counted(self) -> int:
        return self.actions - self.counts[Status.CANCELLED]

    @property
    def progress(self) -> int:
        """Return the mean progress of the actions, cancelled ones left out, in percent."""
        return round(self.progress_sum / self.counted) if self.counted else 0

    @property
    def status_list(self) -> list[tuple[str, str, int]]:
        return [
            (value, str(label), self.counts[value]) for value, label in Status.choices if self.counts[value]
        ]

    def add(self, status: str, count: int, progress_sum: int) -> None:
        self.actions += count
        self.counts[status] += count
        if status != Status.CANCELLED:
            self.progress_sum += progress_sum


def _actions(plan: Plan):  # type: ignore[no-untyped-def]
    return (
        Item.objects.filter(plan=plan)
        .leaves()
        .annotate(
            effective_status=Coalesce("tracking__status", Value(Status.NOT_STARTED)),
            effective_progress=Coalesce("tracking__progress", Value(0), output_field=IntegerField()),
        )
    )


def plan_rollups(plan: Plan) -> tuple[Rollup, dict[str, Rollup]]:
    """Return the whole plan's rollup and one per item path that has actions under it."""
    actions = _actions(plan)
    depth = actions.aggregate(deepest=Max("depth"))["deepest"]
    total = Rollup()
    by_path: dict[str, Rollup] = {}
    if depth is None:
        return total, by_path
    for level in range(depth + 1):
        rows = (
            actions.filter(depth__gte=level)
            .annotate(ancestor=Left("path", PATH_STEP * (level + 1)))
            .values("ancestor", "effective_status")
            .annotate(count=Count("pk"), progress_sum=Sum("effective_progress"))
            .order_by()
        )
        for row in rows:
            rollup = by_path.setdefault(row["ancestor"], Rollup())
            rollup.add(row["effective_status"], row["count"], row["progress_sum"] or 0)
            if level == 0:
                total.add(row["effective_status"], row["count"], row["progress_sum"] or 0)
    return total, by_path


def item_rollup(item: Item) -> Rollup:
    """Return the rollup of one item's subtree in one query."""
    rollup = Rollup()
    rows = (
        _actions(item.plan)
        .filter(path__startswith=item.path)
        .values("effective_status")
        .annotate(count=Count("pk"), progress_sum=Sum("effective_progress"))
        .order_by()
    )
    for row in rows:
        rollup.add(row["effective_status"], row["count"], row["progress_sum"] or 0)
    return rollup


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
