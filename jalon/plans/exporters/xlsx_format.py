"""A plan's items as an XLSX workbook that a spreadsheet user can read, filter and edit, and
that the XLSX importer reads back: a "Plan" sheet with one row per item (the columns of the
CSV export), and an "Anomalies" sheet with the report of the plan's import, both headed in
the plan's language and written by `lib/spreadsheet.py`.

Codes are written as text cells, so that Excel never shows "1.10" as 1.1. The plan's title
and language go into the workbook's properties, where the importer finds them again."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy

from jalon.lib.spreadsheet import Column, Sheet, Value, write_xlsx

from ..models import AnomalyKind, Plan
from ..table_columns import COLUMNS
from .csv_format import plan_rows

FORMAT = "xlsx"
EXTENSION = "xlsx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ITEMS_SHEET = "Plan"
ANOMALIES_SHEET = "Anomalies"
ANOMALY_COLUMNS = (
    Column("line", gettext_lazy("Line"), width=8, wrap=True),
    Column("code", gettext_lazy("Code"), width=10, wrap=True),
    Column("kind", gettext_lazy("Kind"), width=30, wrap=True),
    Column("message", gettext_lazy("Message"), width=70, wrap=True),
    Column("text", gettext_lazy("Source text"), width=70, wrap=True),
)


def export(plan: Plan) -> bytes:
    sheets = [
        Sheet(ITEMS_SHEET, COLUMNS, plan_rows(plan)),
        Sheet(ANOMALIES_SHEET, ANOMALY_COLUMNS, _anomaly_rows(plan)),
    ]
    return write_xlsx(sheets, plan.language, title=plan.title)


def _anomaly_rows(plan: Plan) -> Iterator[dict[str, Value]]:
    # Read while the workbook is written, in the plan's language like the headers.
    for anomaly in plan.anomalies.all():
        kind = AnomalyKind(anomaly.kind).label if anomaly.kind in AnomalyKind.values else ""
        yield {
            "line": anomaly.line or "",
            "code": anomaly.code,
            "kind": str(kind),
            "message": anomaly.message,
            "text": anomaly.text,
        }
