"""Writes that touch several models, shared by the web, the command line and the API."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jalon.accounts.models import User

from .importers.base import Anomaly as ParsedAnomaly
from .importers.base import ParsedItem, ParsedPlan
from .models import PATH_STEP, Anomaly, Item, Plan, PlanStatus, path_step

# Rows per INSERT: large enough to be fast, small enough for SQLite's variable limit.
BATCH_SIZE = 500


@transaction.atomic
def plan_import(
    *,
    parsed: ParsedPlan,
    source_name: str = "",
    checksum: str = "",
    slug: str | None = None,
    user: User | None = None,
) -> Plan:
    """Create a plan with all its items and anomalies in one transaction, or nothing."""
    plan = Plan.objects.create(
        slug=unique_slug(slug or parsed.title or source_name),
        title=parsed.title,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        language=parsed.language,
        levels=parsed.levels,
        preamble=parsed.preamble,
        source_name=source_name,
        source_format=parsed.format,
        source_checksum=checksum,
        created_by=user,
        **_plan_fields(parsed),
    )
    items_by_parsed = _create_items(plan, parsed.items)
    _create_anomalies(plan, parsed.anomalies, items_by_parsed)
    return plan


def _plan_fields(parsed: ParsedPlan) -> dict[str, str]:
    fields = {}
    for name in ("organisation", "status"):
        if parsed.extra.get(name):
            fields[name] = str(parsed.extra[name])
    return fields


def _create_items(plan: Plan, roots: list[ParsedItem]) -> dict[int, Item]:
    """Insert the tree level by level so that every parent has its key before its children."""
    created: dict[int, Item] = {}
    level: list[tuple[ParsedItem, Item | None, str]] = [(item, None, "") for item in roots]
    depth = 0
    while level:
        rows = []
        positions: dict[int | None, int] = {}
        for parsed_item, parent, parent_path in level:
            key = parent.pk if parent else None
            position = positions[key] = positions.get(key, -1) + 1
            rows.append(_item_row(plan, parsed_item, parent, parent_path, position, depth))
        Item.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        _fill_missing_keys(plan, rows)
        for (parsed_item, _parent, _path), row in zip(level, rows, strict=True):
            created[id(parsed_item)] = row
        level = [
            (child, row, row.path)
            for (parsed_item, _p, _pp), row in zip(level, rows, strict=True)
            for child in parsed_item.children
        ]
        depth += 1
    return created


def _item_row(
    plan: Plan, parsed: ParsedItem, parent: Item | None, parent_path: str, position: int, depth: int
) -> Item:
    item = Item(
        plan=plan,
        parent=parent,
        position=position,
        depth=depth,
        path=parent_path + path_step(position),
        code=parsed.code,
        label=parsed.label,
        title=parsed.title,
        title_en=parsed.title_en,
        body=parsed.body,
        line_start=parsed.line_start,
        line_end=parsed.line_end,
    )
    item.refresh_search_text()
    return item


def _fill_missing_keys(plan: Plan, rows: list[Item]) -> None:
    # PostgreSQL and SQLite return primary keys from bulk_create; other databases may not.
    if all(row.pk for row in rows):
        return
    keys = dict(Item.objects.filter(plan=plan, path__in=[row.path for row in rows]).values_list("path", "pk"))
    for row in rows:
        row.pk = keys[row.path]


def _create_anomalies(plan: Plan, anomalies: list[ParsedAnomaly], items_by_parsed: dict[int, Item]) -> None:
    Anomaly.objects.bulk_create(
        [
            Anomaly(
                plan=plan,
                item=items_by_parsed.get(id(anomaly.item)) if anomaly.item else None,
                position=position,
                kind=anomaly.kind,
                code=anomaly.code,
                line=anomaly.line,
                text=anomaly.text,
                params=anomaly.params,
            )
            for position, anomaly in enumerate(anomalies)
        ],
        batch_size=BATCH_SIZE,
    )


def unique_slug(text: str) -> str:
    """Return a slug for the text that no plan uses yet ("plan-2024-2025-2" if taken)."""
    # "PLAN D'ACTION" reads better as plan-d-action than as plan-daction.
    base = slugify(re.sub(r"['’]", " ", text))[:100].strip("-") or "plan"
    taken = set(Plan.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class ItemEditConflict(Exception):
    """The item changed since the form was read; nothing was written."""

    def __init__(self, current: Item) -> None:
        super().__init__(_("Someone else changed this item while you were editing it."))
        self.current = current


ITEM_TEXT_FIELDS = ("code", "label", "title", "title_en", "body")


@transaction.atomic
def item_edit(*, item: Item, user: User, expected_version: int, changes: dict[str, str]) -> Item:
    """Change an item's code or texts, or raise ItemEditConflict if it moved on meanwhile."""
    current = Item.objects.select_for_update().get(pk=item.pk)
    if current.version != expected_version:
        raise ItemEditConflict(current)
    _record_imported_state(current)
    for name, value in changes.items():
        if name not in ITEM_TEXT_FIELDS:
            raise ValueError(f"{name} is not an editable text of an item")
        setattr(current, name, value)
    current.refresh_search_text()
    current.full_clean(exclude=["plan", "parent", "path"])
    current.version += 1
    current._history_user = user  # type: ignore[attr-defined]
    current.save()
    return current


def _record_imported_state(item: Item) -> None:
    # An import writes no history, so the first edit would have nothing to compare with:
    # record the item as the import left it, dated and signed by the import.
    if not Item.history.filter(id=item.pk).exists():  # type: ignore[attr-defined]
        plan = item.plan
        Item.history.bulk_history_create(  # type: ignore[attr-defined]
            [item], default_date=plan.created_at, default_user=plan.created_by
        )


@transaction.atomic
def item_add(
    *,
    plan: Plan,
    user: User,
    parent: Item | None,
    title: str,
    code: str = "",
    label: str = "",
    body: str = "",
    title_en: str = "",
    position: int | None = None,
) -> Item:
    """Insert a new item under the parent (at the top level when None), last by default."""
    siblings = _siblings(plan, parent)
    count = siblings.count()
    position = count if position is None else max(0, min(position, count))
    _shift(plan, parent, from_position=position, by=1)
    item = Item(
        plan=plan,
        parent=parent,
        position=position,
        depth=parent.depth + 1 if parent else 0,
        path=(parent.path if parent else "") + path_step(position),
        code=code,
        label=label,
        title=title,
        title_en=title_en,
        body=body,
    )
    item.refresh_search_text()
    item.full_clean(exclude=["plan", "parent"])
    item._history_user = user  # type: ignore[attr-defined]
    item.save()
    return item


@transaction.atomic
def item_move(*, item: Item, user: User, parent: Item | None, position: int) -> Item:
    """Move an item and everything under it to another place in the same plan."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if parent is not None and (parent.plan_id != item.plan_id or parent.path.startswith(item.path)):
        raise ValueError(_("An item cannot move under itself or into another plan."))
    plan, old_parent, old_position = item.plan, item.parent, item.position
    # Park the subtree on a path no item can have, so the siblings can close the gap.
    _set_subtree_path(plan, item, f"~{item.pk}~")
    _shift(plan, old_parent, from_position=old_position + 1, by=-1)
    if parent is not None:
        parent.refresh_from_db(fields=["path", "depth"])  # the shift may have moved it
    position = max(0, min(position, _siblings(plan, parent).exclude(pk=item.pk).count()))
    _shift(plan, parent, from_position=position, by=1, exclude=item)
    item.parent = parent
    item.position = position
    item.depth = parent.depth + 1 if parent else 0
    item.version += 1
    item._history_user = user  # type: ignore[attr-defined]
    _set_subtree_path(plan, item, (parent.path if parent else "") + path_step(position))
    item.save()
    return item


def _set_subtree_path(plan: Plan, item: Item, new_path: str) -> None:
    old_path = item.path
    item.path = new_path
    Item.objects.filter(pk=item.pk).update(path=new_path)
    _repath_subtree(plan, old_path, item)


@transaction.atomic
def item_delete(*, item: Item, user: User) -> None:
    """Remove an item with everything under it; the history keeps what it was."""
    plan, parent, position = item.plan, item.parent, item.position
    for doomed in Item.objects.subtree(item).order_by("-depth"):
        doomed._history_user = user  # type: ignore[attr-defined]
        doomed.delete()
    _shift(plan, parent, from_position=position + 1, by=-1)


def _siblings(plan: Plan, parent: Item | None):  # type: ignore[no-untyped-def]
    return Item.objects.filter(plan=plan, parent=parent)


def _shift(
    plan: Plan, parent: Item | None, *, from_position: int, by: int, exclude: Item | None = None
) -> None:
    """Move the siblings at or after a position by one place, subtrees included."""
    siblings = _siblings(plan, parent).filter(position__gte=from_position)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    # Walk away from the gap so that no two siblings ever share a path mid-way.
    for sibling in siblings.order_by("-position" if by > 0 else "position"):
        old_path = sibling.path
        sibling.position += by
        sibling.path = sibling.path[:-PATH_STEP] + path_step(sibling.position)
        Item.objects.filter(pk=sibling.pk).update(position=sibling.position, path=sibling.path)
        _repath_subtree(plan, old_path, sibling)


def _repath_subtree(plan: Plan, old_path: str, item: Item) -> None:
    descendants = list(Item.objects.filter(plan=plan, path__startswith=old_path).exclude(pk=item.pk))
    for descendant in descendants:
        descendant.path = item.path + descendant.path[len(old_path) :]
        descendant.depth = item.depth + (len(descendant.path) - len(item.path)) // PATH_STEP
    Item.objects.bulk_update(descendants, ["path", "depth"], batch_size=BATCH_SIZE)


class PublishRefused(Exception):
    """The plan cannot be opened to the public portal; the message says why."""


@transaction.atomic
def plan_publish(*, plan: Plan, user: User) -> Plan:
    """Open an adopted plan to the public portal; a draft is the board's to adopt first."""
    if plan.status != PlanStatus.ADOPTED:
        raise PublishRefused(
            _("Only an adopted plan can be published: this one is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    if plan.published_at is None:
        plan.published_at = timezone.now()
        plan.published_by = user
        _save_publication(plan, user)
    return plan


@transaction.atomic
def plan_unpublish(*, plan: Plan, user: User) -> Plan:
    """Take a plan off the public portal; its updates keep their public mark for next time."""
    if plan.published_at is not None:
        plan.published_at = None
        plan.published_by = None
        _save_publication(plan, user)
    return plan


def _save_publication(plan: Plan, user: User) -> None:
    plan._history_user = user  # type: ignore[attr-defined]
    plan.save(update_fields=["published_at", "published_by"])
