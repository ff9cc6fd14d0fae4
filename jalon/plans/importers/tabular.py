"""A plan kept as a table, one row per item, in a CSV file or an XLSX workbook.

The columns are declared in `plans/table_columns.py`, beside the exporters that write
them, and the cells are read through `lib/spreadsheet.py`. They are found by their header,
written in French or English, in any case and with or without accents: code ("numéro",
"n°"), title ("titre", "intitulé", "action"), parent code ("code parent"), depth
("profondeur", a number), level ("niveau": a number, or a name such as "Orientation"),
level name ("libellé", "label"), English title ("titre anglais", "title (English)") and
text ("texte", "description", "body"). Only a title column is required. Rows above the
header give the plan its title (the first) and preamble (the rest).

The tree is built from, in this order of preference:
1. the parent code: the row goes under the nearest row above with that code (among the
   open items first, so a repeated code finds the right parent). A parent code that no row
   above has puts the row at the top level, reported as an anomaly: nothing is lost;
2. the depth, or a level column of numbers (from 1, or from 0 when a 0 appears), or of
   level names, ranked in the order they first appear. A row may go one level deeper than
   the row above, never more: a skipped level is refused with the row and column named;
3. the code prefixes: "1.2.3" under "1.2" (or "1" when there is no "1.2"); a row without
   a code stays beside the row above;
4. nothing: a flat list.

Decisions kept on purpose:
- A row with a code but an empty title is kept as an item with an empty title: a code
  alone ("1.4.3", to be written) is part of the plan. Entirely empty rows are skipped.
- The level name written on a row is kept on the item: it is written on it. The plan's
  level names are the most frequent name at each depth.
- Columns Jalon does not know ("Responsable", "Échéance") are not dropped: their cells are
  added to the item's text as "Responsable: Marie", one line each.
- CSV: the delimiter (comma, semicolon or tab) is the one whose header row names the most
  known columns; quoted cells may hold newlines; UTF-8, UTF-16 and Windows-1252 are read.
  A cell exported as "'=…" (the guard against spreadsheet formulas) loses its apostrophe.
- XLSX: the first sheet with a recognisable header is read, formulas by their last computed
  value (a formula no spreadsheet has computed yet, as some programs write them, reads as
  empty). Excel stores a code typed as 1.1 as a number; it is read back as the cell shows it
  (its number format), but "1.10" typed as a number is already 1.1 in the file. Keep codes
  in a text column; Jalon's own XLSX export writes them as text.
Line numbers are the CSV file's physical lines and the sheet's row numbers.

Jalon's own CSV and XLSX exports are read back item for item (codes, level names, titles,
texts, tree and order). A table holds the items, not the whole plan: the status, the
organisation and the preamble stay behind, a CSV file's plan is named after the file (an
XLSX keeps the title in its properties), and the code checks run again on the table, so
the anomaly report is the table's, not the first source's. Jalon's JSON keeps it all."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from jalon.lib import spreadsheet
from jalon.lib.spreadsheet import SpreadsheetError, fold_header, text_of

from ..table_columns import READ_COLUMNS
from .base import Anomaly, ImportFailure, ParsedItem, ParsedPlan
from .checks import code_prefix, normalise_code
from .common import period_from_text
from .source import Source

CSV_FORMAT = "csv"
XLSX_FORMAT = "xlsx"

# The header is looked for in the first rows only: a title and a blank row often precede it.
HEADER_SEARCH_ROWS = 10


@dataclass
class Row:
    cells: list[str]  # as the spreadsheet shows them
    first_line: int
    last_line: int

    def is_blank(self) -> bool:
        return not any(self.cells)


@dataclass
class Table:
    rows: list[Row]
    sheet: str | None = None  # the XLSX sheet read; None for CSV
    title: str = ""  # the workbook's own title, if it has one
    language: str = ""


@dataclass
class Header:
    index: int  # of the header row within the table's rows
    columns: dict[str, int]  # column key → column number
    names: list[str]  # every header cell as written
    language: str

    def cell(self, row: Row, name: str) -> str:
        column = self.columns.get(name)
        return row.cells[column] if column is not None and column < len(row.cells) else ""


@dataclass
class Placement:
    """A row read, and what it says about where its item goes."""

    item: ParsedItem
    row: Row
    parent: str = ""
    depth_text: str = ""
    label: str = ""


@dataclass
class Tree:
    """The items placed so far; `open` is the last item placed and its ancestors."""

    roots: list[ParsedItem] = field(default_factory=list)
    open: list[ParsedItem] = field(default_factory=list)
    chains: dict[int, list[ParsedItem]] = field(default_factory=dict)
    last_by_code: dict[str, ParsedItem] = field(default_factory=dict)

    def add(self, item: ParsedItem, parent: ParsedItem | None) -> None:
        (parent.children if parent else self.roots).append(item)
        self.open = [*(self.chains[id(parent)] if parent else []), item]
        self.chains[id(item)] = self.open
        if item.code:
            self.last_by_code[normalise_code(item.code)] = item

    def find(self, code: str, depth: int | None = None) -> ParsedItem | None:
        """Return the nearest item above with that code, preferring the open ones."""
        key = normalise_code(code)
        if depth is not None and 0 < depth <= len(self.open):
            if normalise_code(self.open[depth - 1].code) == key:
                return self.open[depth - 1]
        for item in reversed(self.open):
            if normalise_code(item.code) == key:
                return item
        return self.last_by_code.get(key)

    def depth_of(self, item: ParsedItem) -> int:
        return len(self.chains[id(item)]) - 1


# Finding out what the file is.


def sniff(source: Source, format: str) -> bool:
    if format == XLSX_FORMAT:
        return spreadsheet.is_xlsx(source.data)
    if source.extension in ("csv", "tsv"):
        return True
    try:
        head = spreadsheet.csv_head(source.text)
        delimiter = spreadsheet.sniff_delimiter(head, _header_score)
        header = _find_header(_shown(spreadsheet.csv_rows(head, delimiter)))
    except (ImportFailure, SpreadsheetError):
        return False
    # Without the extension, a single known column is too little to call it a table.
    return header is not None and len(header.columns) >= 2


def parse(source: Source, format: str) -> ParsedPlan:
    table = read_xlsx(source) if format == XLSX_FORMAT else read_csv(source)
    header = _find_header(table.rows)
    if header is None:
        raise _no_title_column(source, table)
    plan = ParsedPlan(title="", format=format, language=table.language or header.language)
    _read_rows_above(plan, table, header)
    if not plan.title:
        plan.title = Path(source.name).stem
    plan.period_start, plan.period_end = period_from_text(plan.title)
    placements = [_placement(header, row) for row in table.rows[header.index + 1 :] if not row.is_blank()]
    tree = _build_tree(source, table, header, placements, plan)
    plan.items = tree.roots
    _name_levels(plan, tree, placements)
    return plan


# Reading the rows, through the spreadsheet helpers.


def _shown(rows: Iterable[spreadsheet.Row]) -> list[Row]:
    return [Row([text_of(cell) for cell in row.cells], row.first_line, row.last_line) for row in rows]


def _header_score(rows: list[spreadsheet.Row]) -> int:
    """Return how many known columns the header found in these rows names: the delimiter
    that gives the most is the file's."""
    header = _find_header(_shown(rows))
    return len(header.columns) if header else 0


def read_csv(source: Source) -> Table:
    try:
        return Table(rows=_shown(spreadsheet.read_csv(source.text, _header_score)))
    except SpreadsheetError as error:
        raise source.fail(error.message, line=error.line) from error


def read_xlsx(source: Source) -> Table:
    try:
        with spreadsheet.open_workbook(source.data) as workbook:
            return _first_table(workbook)
    except SpreadsheetError as error:
        raise source.fail(error.message) from error


def _first_table(workbook: Any) -> Table:
    """Return the first sheet that has a header with a title column, else the first sheet."""
    first: Table | None = None
    for sheet in workbook.worksheets:
        rows = _shown(spreadsheet.sheet_rows(sheet, max_row=HEADER_SEARCH_ROWS))
        if _find_header(rows):
            return _table(workbook, sheet)
        first = first or Table(rows=rows, sheet=sheet.title)
    return first or Table(rows=[])


def _table(workbook: Any, sheet: Any) -> Table:
    properties = workbook.properties
    return Table(
        rows=_shown(spreadsheet.sheet_rows(sheet)),
        sheet=sheet.title,
        title=(properties.title or "").strip(),
        language=(properties.language or "").strip(),
    )


# Reading the header and the rows above it.


@functools.cache
def _known_names() -> list[tuple[str, set[str], set[str]]]:
    """Return each column's key with its folded names in French and in English."""
    return [(column.key, column.spellings("fr"), column.spellings("en")) for column in READ_COLUMNS]


def _find_header(rows: list[Row]) -> Header | None:
    filled = [(index, row) for index, row in enumerate(rows) if not row.is_blank()]
    for index, row in filled[:HEADER_SEARCH_ROWS]:
        header = _read_header(index, row)
        if "title" in header.columns:
            return header
    return None


def _read_header(index: int, row: Row) -> Header:
    columns: dict[str, int] = {}
    votes: Counter[str] = Counter()
    for number, name in enumerate(row.cells):
        folded = fold_header(name)
        for key, french, english in _known_names():
            if key in columns or folded not in french | english:
                continue
            columns[key] = number
            # A name both languages use ("code", "description") says nothing of the language.
            if (folded in french) != (folded in english):
                votes["fr" if folded in french else "en"] += 1
            break
    language = "en" if votes["en"] > votes["fr"] else "fr"
    return Header(index=index, columns=columns, names=row.cells, language=language)


def _no_title_column(source: Source, table: Table) -> ImportFailure:
    first = next((row for row in table.rows if not row.is_blank()), None)
    if first is None:
        return source.fail(_("no row of this table holds anything."))
    found = ", ".join(f"“{cell}”" for cell in first.cells if cell)
    message = (
        _("no column of titles was found; the first row reads %(cells)s. Name the column that "
          "holds the items' titles “titre” or “title”.")
        % {"cells": found}
    )  # fmt: skip
    return _fail_at(source, table, first, message)


def _fail_at(source: Source, table: Table, row: Row, message: str) -> ImportFailure:
    if table.sheet is None:
        return source.fail(message, line=row.first_line)
    return source.fail(
        _("sheet “%(sheet)s”, row %(row)s: %(message)s")
        % {"sheet": table.sheet, "row": row.first_line, "message": message}
    )


def _read_rows_above(plan: ParsedPlan, table: Table, header: Header) -> None:
    """Keep the rows above the header: the first is the plan's title, the others its preamble."""
    lines = [
        " ".join(cell for cell in row.cells if cell)
        for row in table.rows[: header.index]
        if not row.is_blank()
    ]
    plan.title = table.title
    if not plan.title and lines:
        plan.title = lines.pop(0)
    plan.preamble = "\n".join(lines)


# Building the tree.


def _placement(header: Header, row: Row) -> Placement:
    item = ParsedItem(
        code=header.cell(row, "code"),
        title=header.cell(row, "title"),
        title_en=header.cell(row, "title_en"),
        body="\n".join(filter(None, [header.cell(row, "body"), *_other_columns(header, row)])),
        line_start=row.first_line,
        line_end=row.last_line,
    )
    level = header.cell(row, "level")
    depth_text = header.cell(row, "depth") or (level if level.isdecimal() else "")
    label = header.cell(row, "label") or ("" if level.isdecimal() else level)
    return Placement(item, row, header.cell(row, "parent"), depth_text, label)


def _other_columns(header: Header, row: Row) -> Iterable[str]:
    known = set(header.columns.values())
    for number, cell in enumerate(row.cells):
        if cell and number not in known:
            name = header.names[number] if number < len(header.names) else ""
            if not name:
                name = _("column %(number)s") % {"number": number + 1}
            yield f"{name}: {cell}"


def _build_tree(
    source: Source,
    table: Table,
    header: Header,
    placements: list[Placement],
    plan: ParsedPlan,
) -> Tree:
    by_parent = any(placement.parent for placement in placements)
    depths = _depths(source, table, header, placements, by_parent)
    tree = Tree()
    for placement, depth in zip(placements, depths or [None] * len(placements), strict=True):
        if placement.parent:
            _place_under_parent(tree, placement, depth, plan)
        elif depth is not None:
            _place_at_depth(source, table, header, tree, placement, depth)
        elif by_parent:
            tree.add(placement.item, None)
        elif depths is not None or not placement.item.code:
            _place_beside_last(tree, placement.item)
        else:
            _place_by_code(tree, placement.item)
    return tree


def _depths(
    source: Source, table: Table, header: Header, placements: list[Placement], by_parent: bool
) -> list[int | None] | None:
    """Return each row's depth from 0, from the depth or level column; None without one."""
    if any(placement.depth_text for placement in placements):
        return _numbered_depths(source, table, header, placements)
    if not by_parent and any(placement.label for placement in placements):
        # Level names ("Axe", "Orientation", "Action") rank in the order they first appear.
        names = dict.fromkeys(placement.label for placement in placements if placement.label)
        ranks = {name: rank for rank, name in enumerate(names)}
        return [ranks.get(placement.label) for placement in placements]
    return None


def _numbered_depths(
    source: Source, table: Table, header: Header, placements: list[Placement]
) -> list[int | None]:
    for placement in placements:
        if placement.depth_text and not placement.depth_text.isdecimal():
            message = _("“%(value)s” is not a level number (1, 2, 3…).")
            message %= {"value": placement.depth_text}
            raise _column_error(source, table, header, placement.row, _depth_field(header), message)
    numbers = [int(p.depth_text) if p.depth_text else None for p in placements]
    # Levels count from 1 as people number them, or from 0 as programs do.
    base = 0 if 0 in numbers else 1
    return [number - base if number is not None else None for number in numbers]


def _place_under_parent(tree: Tree, placement: Placement, depth: int | None, plan: ParsedPlan) -> None:
    parent = tree.find(placement.parent, depth)
    tree.add(placement.item, parent)
    if parent is None:
        item = placement.item
        plan.anomalies.append(
            Anomaly(
                "unplaced_text",
                line=item.line_start,
                code=item.code,
                text=item.title,
                params={"parent": placement.parent},
                item=item,
            )
        )


def _place_at_depth(
    source: Source, table: Table, header: Header, tree: Tree, placement: Placement, depth: int
) -> None:
    if depth > len(tree.open):
        message = _(
            "this row is at level %(depth)s but the row above is at level %(above)s; a row can "
            "only go one level deeper."
        ) % {"depth": depth + 1, "above": len(tree.open)}
        raise _column_error(source, table, header, placement.row, _depth_field(header), message)
    tree.add(placement.item, tree.open[depth - 1] if depth else None)


def _place_beside_last(tree: Tree, item: ParsedItem) -> None:
    # A row that says nothing of its place most likely continues the list it sits in.
    tree.add(item, tree.open[-2] if len(tree.open) > 1 else None)


def _place_by_code(tree: Tree, item: ParsedItem) -> None:
    prefix = code_prefix(item.code)
    while prefix:
        parent = tree.find(prefix)
        if parent:
            tree.add(item, parent)
            return
        prefix = code_prefix(prefix)
    tree.add(item, None)


def _depth_field(header: Header) -> str:
    return next(name for name in ("depth", "level", "label") if name in header.columns)


def _column_error(
    source: Source, table: Table, header: Header, row: Row, field: str, message: str
) -> ImportFailure:
    column = header.names[header.columns[field]]
    message = _("column “%(column)s”: %(message)s") % {"column": column, "message": message}
    return _fail_at(source, table, row, message)


def _name_levels(plan: ParsedPlan, tree: Tree, placements: list[Placement]) -> None:
    """Name each level by the name its rows give most often, and keep each row's own."""
    names: dict[int, Counter[str]] = {}
    for placement in placements:
        placement.item.label = placement.label
        depth = tree.depth_of(placement.item)
        if placement.label:
            names.setdefault(depth, Counter())[placement.label] += 1
    if names:
        plan.levels = [
            names[depth].most_common(1)[0][0] if depth in names else "" for depth in range(max(names) + 1)
        ]
