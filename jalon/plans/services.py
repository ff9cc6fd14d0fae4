"""Writes that touch several models, shared by the web, the command line and the API."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.text import slugify

from jalon.accounts.models import User

from .importers.base import Anomaly as ParsedAnomaly, ParsedItem, ParsedPlan
from .models import Anomaly, Item, Plan, path_step

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
    keys = dict(
        Item.objects.filter(plan=plan, path__in=[row.path for row in rows]).values_list("path", "pk")
    )
    for row in rows:
        row.pk = keys[row.path]


def _create_anomalies(
    plan: Plan, anomalies: list[ParsedAnomaly], items_by_parsed: dict[int, Item]
) -> None:
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
