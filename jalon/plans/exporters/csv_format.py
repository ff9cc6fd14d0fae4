"""A plan's items as a CSV table, one row per item, that the CSV importer reads back:
code, depth, level name, parent code, title, English title and text.

The headers are in French for a French plan and in English otherwise, the delimiter a
semicolon for a French plan and a comma otherwise, each as a spreadsheet in that language
expects (see `export`)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from ..importers.tabular import FORMULA_STARTS, headers
from ..models import Item, Plan
from ..tree import Node, plan_tree

FORMAT = "csv"
EXTENSION = "csv"
CONTENT_TYPE = "text/csv; charset=utf-8"

Cell = str | int


def export(plan: Plan) -> bytes:
    buffer = io.StringIO()
    # Excel in French (Québec, France) splits CSV cells on semicolons, since the comma is
    # its decimal mark; in English it splits on commas. The importer reads both.
    delimiter = ";" if is_french(plan) else ","
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers(plan.language))
    for row in plan_rows(plan):
        writer.writerow([guard(cell) for cell in row])
    # Excel reads a CSV file without a byte order mark as Windows-1252 and garbles every
    # accent; the mark makes it read UTF-8. Other programs skip it.
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def is_french(plan: Plan) -> bool:
    return plan.language.startswith("fr")


def plan_rows(plan: Plan) -> Iterator[list[Cell]]:
    """Yield one row per item in document order, in the columns of `headers`."""
    for root in plan_tree(plan):
        yield from _rows(root, parent=None)


def _rows(node: Node, parent: Item | None) -> Iterator[list[Cell]]:
    item = node.item
    yield [
        item.code,
        item.depth + 1,  # people number levels from 1
        item.level_label,
        parent.code if parent else "",
        item.title,
        item.title_en,
        item.body,
    ]
    for child in node.children:
        yield from _rows(child, parent=item)


def guard(cell: Cell) -> Cell:
    """Return the cell so that no spreadsheet runs it as a formula ("=HYPERLINK(…)").

    Imported and typed text reaches this file; a leading apostrophe makes a spreadsheet
    show the cell as text, and the CSV importer removes it again."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
