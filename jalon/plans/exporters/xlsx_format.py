"""A plan's items as an XLSX workbook that a spreadsheet user can read, filter and edit, and
that the XLSX importer reads back: a "Plan" sheet with one row per item (the columns of the
CSV export), and an "Anomalies" sheet with the report of the plan's import.

Codes are written as text cells, so that Excel never shows "1.10" as 1.1. The plan's title
and language go into the workbook's properties, where the importer finds them again."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..importers.tabular import EXPORTED_FIELDS, headers
from ..models import AnomalyKind, Plan
from .csv_format import Cell, plan_rows

FORMAT = "xlsx"
EXTENSION = "xlsx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ITEMS_SHEET = "Plan"
ANOMALIES_SHEET = "Anomalies"
# Width in characters of each column of the items sheet, by field.
WIDTHS = {"code": 10, "depth": 11, "level": 22, "parent": 12, "title": 70, "title_en": 50, "body": 70}
TEXT_COLUMNS = {"code", "parent"}  # cells that look like numbers but are not
WRAPPED_COLUMNS = {"title", "title_en", "body"}
TOP = Alignment(vertical="top")
WRAPPED = Alignment(vertical="top", wrap_text=True)


def export(plan: Plan) -> bytes:
    workbook = Workbook()
    items_sheet = workbook.worksheets[0]
    items_sheet.title = ITEMS_SHEET
    _write_items(items_sheet, plan)
    _write_anomalies(workbook.create_sheet(ANOMALIES_SHEET), plan)
    workbook.properties.title = plan.title
    workbook.properties.language = plan.language
    workbook.properties.creator = "Jalon"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_items(sheet: Worksheet, plan: Plan) -> None:
    _write_header(sheet, headers(plan.language))
    for number, row in enumerate(plan_rows(plan), start=2):
        for column, (field, value) in enumerate(zip(EXPORTED_FIELDS, row, strict=True), start=1):
            cell = _write(sheet, number, column, value)
            cell.alignment = WRAPPED if field in WRAPPED_COLUMNS else TOP
            if field in TEXT_COLUMNS:
                cell.number_format = "@"
    for column, field in enumerate(EXPORTED_FIELDS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[field]
    sheet.auto_filter.ref = sheet.dimensions


def _write_anomalies(sheet: Worksheet, plan: Plan) -> None:
    # The report reads in the plan's language, like the headers of the items sheet.
    with translation.override(plan.language):
        _write_header(sheet, [_("Line"), _("Code"), _("Kind"), _("Message"), _("Source text")])
        for number, anomaly in enumerate(plan.anomalies.all(), start=2):
            kind = AnomalyKind(anomaly.kind).label if anomaly.kind in AnomalyKind.values else ""
            row = [anomaly.line or "", anomaly.code, str(kind), anomaly.message, anomaly.text]
            for column, value in enumerate(row, start=1):
                _write(sheet, number, column, value).alignment = WRAPPED
    for column, width in enumerate((8, 10, 30, 70, 70), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _write_header(sheet: Worksheet, names: Iterable[str]) -> None:
    for column, name in enumerate(names, start=1):
        _write(sheet, 1, column, name).font = Font(bold=True)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling


def _write(sheet: Worksheet, row: int, column: int, value: Cell) -> Any:
    if value == "":
        return sheet.cell(row=row, column=column)  # left blank, as the spreadsheet's filters expect
    if isinstance(value, str):
        # XML cannot hold control characters such as a form feed; a space keeps words apart.
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a title starting with "=" is text, never a formula
    return cell
