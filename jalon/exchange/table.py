"""The actions table: one row per item of a plan (every level, in document order) with its
tracking, its accepted links and its budget, written as CSV or XLSX for a spreadsheet user,
and read back by table_import.py to update the tracking fields in bulk.

The "id" column is the item's key, so that a row finds its item again even where codes
repeat ("1.4.4" twice in the seed). Budgets get two number columns per currency (planned,
spent) rather than "12 000 CAD" text: a spreadsheet sums and sorts numbers, and amounts
in different currencies are never added together. They are the item's own budget lines
for the years of the plan period, not rolled up, so that a column's sum is the plan's.

The columns are declared once in `table_columns.py`, with how each value is written and
read back; `lib/spreadsheet.py` writes them: CSV in UTF-8 with a byte order mark (so that
Excel shows accents right), semicolons in French and commas otherwise (as Excel in that
language expects; the import reads both), dates as YYYY-MM-DD; XLSX with real dates and
numbers and a drop-down list of the statuses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy

from jalon.directory.models import ItemLink, PlaceKind
from jalon.lib.spreadsheet import Column, Sheet, write_csv, write_xlsx
from jalon.plans.models import Item, Plan
from jalon.results.models import BudgetLine
from jalon.tracking.models import Priority, Status, Tracking

from .table_columns import COLUMNS, VERSION, budget_columns

DEFAULT_CURRENCY = "CAD"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME = gettext_lazy("Actions")


@dataclass
class ActionsTable:
    columns: list[Column]  # budget columns come before the version, a pair per currency
    rows: list[dict[str, Any]]  # values by column key, written by each column's `write`


def actions_table(plan: Plan, language: str) -> ActionsTable:
    """Return the plan's actions table with headers in `language`. Six queries."""
    with translation.override(language):
        items = list(plan.items.in_document_order().select_related("tracking"))
        people = _people(plan)
        links = _links(plan, language)
        budget = _budget(plan)
        currencies = sorted({currency for amounts in budget.values() for currency in amounts}) or [
            DEFAULT_CURRENCY
        ]
        columns = list(COLUMNS)
        for currency in currencies:
            columns += budget_columns(currency)
        columns.append(VERSION)
        rows = [_row(plan, item, people, links, budget.get(item.pk, {}), currencies) for item in items]
        return ActionsTable(columns, rows)


def _row(
    plan: Plan,
    item: Item,
    people: dict[tuple[int, str], list[str]],
    links: dict[tuple[int, str], list[str]],
    budget: dict[str, tuple[Decimal, Decimal]],
    currencies: list[str],
) -> dict[str, Any]:
    tracking: Tracking | None = item.tracking_or_none
    item.plan = plan  # the level name comes from the plan, already at hand
    row: dict[str, Any] = {
        "id": item.pk,
        "code": item.code,
        "level": item.level_label,
        "title": item.title,
        "status": tracking.status if tracking else Status.NOT_STARTED.value,
        "progress": tracking.progress if tracking else 0,
        "leads": people.get((item.pk, "leads"), []),
        "team": people.get((item.pk, "team"), []),
        "start_date": tracking.start_date if tracking else None,
        "due_date": tracking.due_date if tracking else None,
        "priority": tracking.priority if tracking else Priority.NORMAL.value,
        "partners": links.get((item.pk, "partner"), []),
        "places": links.get((item.pk, "place"), []),
        "themes": links.get((item.pk, "theme"), []),
    }
    for currency in currencies:
        planned, spent = budget.get(currency, (None, None))
        row[f"planned:{currency}"] = planned
        row[f"spent:{currency}"] = spent
    # An item nobody tracked yet gets its first tracking row at version 1.
    row["version"] = tracking.version if tracking else 1
    return row


def _people(plan: Plan) -> dict[tuple[int, str], list[str]]:
    """Return the usernames of the leads and team of each item, by (item key, "leads"|"team")."""
    found: dict[tuple[int, str], list[str]] = {}
    for name in ("leads", "team"):
        through = getattr(Tracking, name).through
        rows = (
            through.objects.filter(tracking__item__plan=plan)
            .order_by("user__username")
            .values_list("tracking__item_id", "user__username")
        )
        for item_id, username in rows:
            found.setdefault((item_id, name), []).append(username)
    return found


def _links(plan: Plan, language: str) -> dict[tuple[int, str], list[str]]:
    """Return the accepted partners, places and themes of each item, by (item key, kind)."""
    found: dict[tuple[int, str], list[str]] = {}
    links = ItemLink.objects.of_plan(plan).accepted().select_related("partner", "place", "theme")
    for link in links:
        found.setdefault((link.item_id, link.kind), []).append(_link_name(link, language))
    return found


def _link_name(link: ItemLink, language: str) -> str:
    if link.partner:
        return str(link.partner)
    if link.place:
        name = link.place.name(language)
        is_country = link.place.kind == PlaceKind.COUNTRY and link.place.iso_code
        return f"{name} ({link.place.iso_code})" if is_country else name
    return link.theme.name(language) if link.theme else ""


def _budget(plan: Plan) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """Return each item's own planned and spent amounts by currency, for the plan's years."""
    lines = BudgetLine.objects.filter(item__plan=plan)
    if plan.period_start and plan.period_end:
        lines = lines.filter(Q(year__gte=plan.period_start.year) & Q(year__lte=plan.period_end.year))
    rows = (
        lines.order_by()
        .values("item_id", "currency")
        .annotate(planned_sum=Sum("planned"), spent_sum=Sum("spent"))
    )
    found: dict[int, dict[str, tuple[Decimal, Decimal]]] = {}
    for row in rows:
        found.setdefault(row["item_id"], {})[row["currency"]] = (row["planned_sum"], row["spent_sum"])
    return found


def file_name(plan: Plan, extension: str) -> str:
    return f"{plan.slug}-actions.{extension}"


def export_csv(plan: Plan, language: str) -> bytes:
    table = actions_table(plan, language)
    return write_csv(table.columns, table.rows, language)


def export_xlsx(plan: Plan, language: str) -> bytes:
    table = actions_table(plan, language)
    return write_xlsx([Sheet(SHEET_NAME, table.columns, table.rows)], language, title=plan.title)
