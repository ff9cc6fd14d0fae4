"""A plan's items as a CSV table, one row per item, that the CSV importer reads back:
the columns of `plans/table_columns.py` (code, depth, level name, parent code, title,
English title and text), headed in the plan's language and written by `lib/spreadsheet.py`
(UTF-8 with a byte order mark, semicolons in French and commas otherwise, formulas guarded)."""

from __future__ import annotations

from collections.abc import Iterator

from jalon.lib.spreadsheet import Value, write_csv

from ..models import Item, Plan
from ..table_columns import COLUMNS
from ..tree import Node, plan_tree

FORMAT = "csv"
EXTENSION = "csv"
CONTENT_TYPE = "text/csv; charset=utf-8"


def export(plan: Plan) -> bytes:
    return write_csv(COLUMNS, plan_rows(plan), plan.language)


def plan_rows(plan: Plan) -> Iterator[dict[str, Value]]:
    """Yield one row per item in document order, by column key."""
    for root in plan_tree(plan):
        yield from _rows(root, parent=None)


def _rows(node: Node, parent: Item | None) -> Iterator[dict[str, Value]]:
    item = node.item
    yield {
        "code": item.code,
        "depth": item.depth + 1,  # people number levels from 1
        "level": item.level_label,
        "parent": parent.code if parent else "",
        "title": item.title,
        "title_en": item.title_en,
        "body": item.body,
    }
    for child in node.children:
        yield from _rows(child, parent=item)
