"""The actions table: one row per item of a plan (every level, in document order) with its
tracking, its accepted links and its budget, written as CSV or XLSX for a spreadsheet user,
and read back by table_import.py to update the tracking fields in bulk.

The "id" column is the item's key, so that a row finds its item again even where codes
repeat ("1.4.4" twice in the seed). Budgets get two number columns per currency (planned,
spent) rather than "12 000 CAD" text: a spreadsheet sums and sorts numbers, and amounts
in different currencies are never added together. They are the item's own budget lines
for the years of the plan period, not rolled up, so that a column's sum is the plan's.

CSV is UTF-8 with a byte order mark (so that Excel shows accents right), comma-separated
(the RFC 4180 default, which every spreadsheet program reads; the import also reads the
semicolons a French-language Excel writes), dates as YYYY-MM-DD."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jalon.directory.models import ItemLink, PlaceKind
from jalon.plans.models import Item, Plan
from jalon.results.models import BudgetLine
from jalon.tracking.models import Priority, Status, Tracking

Cell = str | int | Decimal | datetime.date | None

# The columns in their order: key, header. Budget columns come before "version", one pair
# per currency of the plan.
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("id", gettext_lazy("Id")),
    ("code", gettext_lazy("Code")),
    ("level", gettext_lazy("Level")),
    ("title", gettext_lazy("Title")),
    ("status", gettext_lazy("Status")),
    ("progress", gettext_lazy("Progress (%)")),
    ("leads", gettext_lazy("Leads")),
    ("team", gettext_lazy("Team")),
    ("start_date", gettext_lazy("Start date")),
    ("due_date", gettext_lazy("Due date")),
    ("priority", gettext_lazy("Priority")),
    ("partners", gettext_lazy("Partners")),
    ("places", gettext_lazy("Places")),
    ("themes", gettext_lazy("Themes")),
)
VERSION_COLUMN = ("version", gettext_lazy("Version"))
DEFAULT_CURRENCY = "CAD"
WIDTHS = {"id": 8, "code": 10, "level": 20, "title": 60, "status": 16, "progress": 12, "version": 9}
DATE_COLUMNS = {"start_date", "due_date"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class ActionsTable:
    columns: list[tuple[str, str]]  # (key, header in the table's language)
    rows: list[dict[str, Cell]]
    statuses: list[str]  # the status labels, for the spreadsheet's drop-down


def budget_headers(currency: str) -> list[tuple[str, str]]:
    return [
        (f"planned:{currency}", _("Budget planned (%(currency)s)") % {"currency": currency}),
        (f"spent:{currency}", _("Budget spent (%(currency)s)") % {"currency": currency}),
    ]


def actions_table(plan: Plan, language: str) -> ActionsTable:
    """Return the plan's actions table with headers and labels in `language`. Six queries."""
    with translation.override(language):
        items = list(plan.items.in_document_order().select_related("tracking"))
        people = _people(plan)
        links = _links(plan, language)
        budget = _budget(plan)
        currencies = sorted({currency for amounts in budget.values() for currency in amounts}) or [
            DEFAULT_CURRENCY
        ]
        columns = [(key, str(header)) for key, header in COLUMNS]
        for currency in currencies:
            columns += budget_headers(currency)
        columns.append((VERSION_COLUMN[0], str(VERSION_COLUMN[1])))
        rows = [_row(plan, item, people, links, budget.get(item.pk, {}), currencies) for item in items]
        return ActionsTable(columns, rows, [str(label) for label in Status.labels])


def _row(
    plan: Plan,
    item: Item,
    people: dict[tuple[int, str], list[str]],
    links: dict[tuple[int, str], list[str]],
    budget: dict[str, tuple[Decimal, Decimal]],
    currencies: list[str],
) -> dict[str, Cell]:
    tracking: Tracking | None = item.tracking_or_none
    item.plan = plan  # the level name comes from the plan, already at hand
    row: dict[str, Cell] = {
        "id": item.pk,
        "code": item.code,
        "level": item.level_label,
        "title": item.title,
        "status": str(Status(tracking.status).label if tracking else Status.NOT_STARTED.label),
        "progress": tracking.progress if tracking else 0,
        "leads": ", ".join(people.get((item.pk, "leads"), [])),
        "team": ", ".join(people.get((item.pk, "team"), [])),
        "start_date": tracking.start_date if tracking else None,
        "due_date": tracking.due_date if tracking else None,
        "priority": str(Priority(tracking.priority).label if tracking else Priority.NORMAL.label),
        "partners": "; ".join(links.get((item.pk, "partner"), [])),
        "places": "; ".join(links.get((item.pk, "place"), [])),
        "themes": "; ".join(links.get((item.pk, "theme"), [])),
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


# CSV


def export_csv(plan: Plan, language: str) -> bytes:
    table = actions_table(plan, language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _key, header in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(row[key]) for key, _header in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A title starting with "=" must not run as a formula when the file is opened;
        # the quote mark shows, and titles are not read back by the import.
        return "'" + value
    return str(value)


# XLSX


def export_xlsx(plan: Plan, language: str) -> bytes:
    table = actions_table(plan, language)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    with translation.override(language):
        sheet.title = _("Actions")
    _write_header(sheet, [header for _key, header in table.columns])
    for number, row in enumerate(table.rows, start=2):
        for column, (key, _header) in enumerate(table.columns, start=1):
            _write(sheet, number, column, key, row[key])
    _dress(sheet, table)
    workbook.properties.title = plan.title
    workbook.properties.creator = "Jalon"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_header(sheet: Worksheet, names: Iterable[str]) -> None:
    for column, name in enumerate(names, start=1):
        sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling


def _write(sheet: Worksheet, row: int, column: int, key: str, value: Cell) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        # XML cannot hold control characters such as a form feed; a space keeps words apart.
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
    cell = sheet.cell(row=row, column=column, value=value)
    cell.alignment = Alignment(vertical="top", wrap_text=key == "title")
    if isinstance(value, str):
        cell.data_type = "s"  # a title starting with "=" is text, never a formula
        if key == "code":
            cell.number_format = "@"  # "1.10" stays text, never the number 1.1
    elif key in DATE_COLUMNS:
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00"


def _dress(sheet: Worksheet, table: ActionsTable) -> None:
    """Set the column widths, the filters and the drop-down list of the status column."""
    for column, (key, _header) in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS.get(key, 18)
    last = max(len(table.rows) + 1, 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    status = get_column_letter([key for key, _header in table.columns].index("status") + 1)
    choices = DataValidation(
        type="list", formula1='"' + ",".join(table.statuses) + '"', allow_blank=False, showDropDown=False
    )
    choices.error = _("Choose a status from the list.")
    choices.add(f"{status}2:{status}{last}")
    sheet.add_data_validation(choices)
