"""An item's history as people read it: who changed what, when, from what to what.

One query per history table (item, tracking, milestones, updates), diffs computed in
Python between consecutive records, so the cost does not grow with the journal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jalon.plans.models import Item

from .models import Milestone, Tracking, Update

# How many records of each table the page reads; older ones stay in the database.
RECORDS_PER_TABLE = 100
# People are compared from prefetched snapshots (PEOPLE_FIELDS), not by diff_against,
# which would cost a query per record and field.
PEOPLE_FIELDS = ["leads", "team"]
# Bookkeeping columns nobody needs to read about.
HIDDEN_FIELDS = [
    "version",
    "updated_at",
    "created_at",
    *PEOPLE_FIELDS,
    "item",
    "plan",
    "parent",
    "position",
    "depth",
    "line_start",
    "line_end",
]


@dataclass
class Change:
    when: datetime.datetime
    who: Any
    what: str
    before: str
    after: str


def item_history(item: Item) -> list[Change]:
    """Return the changes to the item, its tracking, milestones and updates, newest first."""
    sources: list[tuple[type[models.Model], models.QuerySet[Any], str]] = [
        (Item, Item.history.filter(id=item.pk), ""),  # type: ignore[attr-defined]
        (Tracking, with_people(Tracking.history.filter(item_id=item.pk)), ""),  # type: ignore[attr-defined]
        (Milestone, Milestone.history.filter(item_id=item.pk), "id"),  # type: ignore[attr-defined]
        (Update, Update.history.filter(item_id=item.pk), "id"),  # type: ignore[attr-defined]
    ]
    changes: list[Change] = []
    for model, records, group_by in sources:
        newest = list(records.select_related("history_user").order_by("-history_date")[:RECORDS_PER_TABLE])
        changes.extend(_changes(model, newest[::-1], group_by))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def _changes(model: type[models.Model], records: list[Any], group_by: str) -> list[Change]:
    previous: dict[Any, Any] = {}
    changes: list[Change] = []
    for record in records:
        key = getattr(record, group_by) if group_by else None
        before = previous.get(key)
        if before is None and group_by:
            changes.append(_created(model, record))
        elif before is not None:
            changes.extend(_diff(model, record, before))
        previous[key] = record
    return changes


def with_people(records: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Prefetch the leads and team each tracking record saw, with their names."""
    lookups = []
    for name in PEOPLE_FIELDS:
        accessor = f"historicaltracking_{name}_set"
        snapshot = records.model._meta.get_field(f"historicaltracking_{name}").related_model
        lookups.append(Prefetch(accessor, queryset=snapshot.objects.select_related("user")))
    return records.prefetch_related(*lookups)


def _people_changes(record: Any, before: Any) -> list[Change]:
    changes = []
    for name in PEOPLE_FIELDS:
        now, then = people_of(record, name), people_of(before, name)
        if now != then:
            what = str(_field(Tracking, name).verbose_name)
            changes.append(Change(record.history_date, record.history_user, what, _names(then), _names(now)))
    return changes


def people_of(record: Any, name: str) -> dict[int, Any]:
    return {row.user_id: row.user for row in getattr(record, f"historicaltracking_{name}_set").all()}


def _names(people: dict[int, Any]) -> str:
    names = sorted(person.get_full_name() or person.username for person in people.values())
    return ", ".join(names) or "—"


def _created(model: type[models.Model], record: Any) -> Change:
    what = _("%(thing)s added") % {"thing": model._meta.verbose_name}
    # Milestones have a title, updates a date; going through record.instance would
    # cost a query per record (an update's name reads its item).
    label = getattr(record, "title", None) or str(getattr(record, "date", ""))
    return Change(record.history_date, record.history_user, what, "", label)


def _diff(model: type[models.Model], record: Any, before: Any) -> list[Change]:
    delta = record.diff_against(before, excluded_fields=HIDDEN_FIELDS)
    people = _people_changes(record, before) if model is Tracking else []
    return people + [
        Change(
            record.history_date,
            record.history_user,
            str(_field(model, change.field).verbose_name),
            _readable(model, change.field, change.old),
            _readable(model, change.field, change.new),
        )
        for change in delta.changes
    ]


def _readable(model: type[models.Model], name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    field = _field(model, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # diffs only name concrete fields
    return field
