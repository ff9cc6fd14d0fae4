"""Tables in and out of spreadsheets, CSV and XLSX, for every table Jalon writes and reads.

A table declares its columns once, as `Column`s: the key of each value, the header in the
table's language, the other names a header may have when reading, and how a value is
written to a cell and read back from one. The writers and readers here know no table.

- The formula guard: a CSV cell a spreadsheet would run as a formula ("=HYPERLINK(…)",
  "-1+2", or either behind a tab or a line break) is written behind an apostrophe, which
  spreadsheets show as text; reading a CSV cell removes it again, so every text comes back.
  XLSX needs no guard: its text cells are never formulas.
- CSV is written in UTF-8 with a byte order mark (without it Excel reads Windows-1252 and
  garbles the accents), with semicolons in French and commas otherwise (`delimiter`), and
  read with the delimiter found among comma, semicolon and tab. The bytes are decoded by the
  importers' `Source.text`, the one decoder of every text format (UTF-8 with or without BOM,
  UTF-16, Windows-1252).
- XLSX is written with a bold frozen header, filters, real dates and numbers, text columns
  that stay text ("1.10" is never the number 1.1) and drop-down lists; read with dates and
  numbers kept, a number shown with fixed decimals keeping them (a `Decimal`), formulas by
  their last computed value."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .text import fold

# A cell as a spreadsheet holds it (datetime is a date; bool an int).
Value = str | int | float | Decimal | datetime.date | datetime.time | None

DELIMITERS = (",", ";", "\t")
HEAD_LINES = 50  # the lines a delimiter is chosen from: a title, a header and a few rows
TEXT = "@"  # the number format of a text column
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
TOP = Alignment(vertical="top")
WRAPPED = Alignment(vertical="top", wrap_text=True)

# Spreadsheets run a cell starting with one of these as a formula, even behind a tab or a
# line break. A text already starting with the guard's apostrophe gets one more, so that
# unguarding gives back exactly what was written.
FORMULA_STARTS = ("=", "+", "-", "@")
_NEEDS_GUARD = re.compile(r"'*[\t\r\n]*[=+\-@]")
_GUARDED = re.compile(r"'+[\t\r\n]*[=+\-@]")


class SpreadsheetError(Exception):
    """The file cannot be read as a table; the message says why, `line` where, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


class CellError(ValueError):
    """A cell's value cannot be read; the message says why in plain words."""


def _as_is(value: Any) -> Value:
    return value  # a table's values are cells already


def text_of(value: Value) -> str:
    """Return a cell's value as a spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # The fifteen digits Excel itself shows, not the binary noise of 0.1 + 0.2.
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def fold_header(name: str) -> str:
    """Return a header as it is compared: lower case, no accents, punctuation as spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())


@dataclass(frozen=True)
class Column:
    """One column of a table, declared once for the table's writer and its reader."""

    key: str  # the value's name in a row
    header: str | Promise  # a lazy translation, written in the table's language
    # Other names of the column accepted when reading, by language ("fr", "en").
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    write: Callable[[Any], Value] = _as_is  # a row's value → a cell
    read: Callable[[Value], Any] = text_of  # a cell → a value, or CellError
    width: int = 18  # characters, in XLSX
    wrap: bool = False  # long text, wrapped in XLSX
    number_format: str = ""  # TEXT keeps a code such as "1.10" text in XLSX
    choices: Callable[[], Sequence[str]] | None = None  # a drop-down list in XLSX

    def spellings(self, language: str) -> set[str]:
        """Return the folded names that name this column in that language."""
        with translation.override(language):
            header = str(self.header)
        return {fold_header(name) for name in (header, *self.aliases.get(language, ()))}


def headers(columns: Sequence[Column], language: str) -> list[str]:
    """Return the header row written for a table in that language."""
    with translation.override(language):
        return [str(column.header) for column in columns]


def column_keys(columns: Sequence[Column], header: Sequence[Value]) -> dict[int, str]:
    """Return the key of each header cell naming a column, in any language, by position."""
    names: dict[str, str] = {}
    for column in columns:
        for language, _name in settings.LANGUAGES:
            for name in (*column.spellings(language), fold_header(column.key)):
                names.setdefault(name, column.key)
    keys: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = names.get(fold_header(text_of(cell)))
        if key is not None and key not in keys.values():  # the first of two same columns
            keys[index] = key
    return keys


# The formula guard.


def guard(text: str) -> str:
    """Return the text so that no spreadsheet runs it as a formula: behind an apostrophe."""
    return "'" + text if _NEEDS_GUARD.match(text) else text


def unguard(text: str) -> str:
    """Return the text `guard` was given."""
    return text[1:] if _GUARDED.match(text) else text


# Reading CSV.


@dataclass
class Row:
    """A row read, with the lines of the file (CSV) or the row of the sheet (XLSX) it fills."""

    cells: list[Value]
    first_line: int
    last_line: int

    def is_blank(self) -> bool:
        return all(cell is None or cell == "" for cell in self.cells)


Score = Callable[[list[Row]], int]


def csv_head(text: str) -> str:
    """Return the first lines of a CSV text, enough to tell its delimiter and header."""
    return "\n".join(text.split("\n", HEAD_LINES)[:HEAD_LINES])


def sniff_delimiter(text: str, score: Score | None = None) -> str:
    """Return the delimiter (comma, semicolon or tab) whose first rows score best, else the
    one that splits the first filled line into the most cells."""
    head = csv_head(text)
    best = _best_scoring(head, score) if score else None
    if best:
        return best
    first = next((line for line in head.split("\n") if line.strip()), "")
    return max(DELIMITERS, key=first.count)


def _best_scoring(head: str, score: Score) -> str | None:
    best, best_score = None, 0
    for delimiter in DELIMITERS:
        try:
            found = score(list(csv_rows(head, delimiter)))
        except SpreadsheetError:
            continue
        if found > best_score:
            best, best_score = delimiter, found
    return best


def csv_rows(text: str, delimiter: str, *, strict: bool = False) -> Iterator[Row]:
    """Yield each row of a CSV text, its cells stripped and unguarded; strictly, a badly
    quoted cell is a SpreadsheetError naming the line where its row starts."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=strict)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = _("this CSV line cannot be read (%(reason)s); a quote may be missing or extra.")
            raise SpreadsheetError(message % {"reason": error}, last_line + 1) from error
        yield Row([unguard(cell.strip()) for cell in cells], last_line + 1, reader.line_num)
        last_line = reader.line_num


def read_csv(text: str, score: Score | None = None) -> list[Row]:
    """Return every row of a CSV text, read strictly with its delimiter sniffed."""
    return list(csv_rows(text, sniff_delimiter(text, score), strict=True))


# Reading XLSX.


def is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _damaged(error: Exception) -> SpreadsheetError:
    return SpreadsheetError(
        _("this XLSX file is damaged or truncated (%(reason)s); open it in a spreadsheet and "
          "save it again.")
        % {"reason": str(error) or type(error).__name__}
    )  # fmt: skip


@contextmanager
def open_workbook(data: bytes) -> Iterator[Any]:
    """Open an XLSX workbook to read, formulas by their last computed value."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises a dozen kinds of error on a damaged file
        raise _damaged(error) from error
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_rows(sheet: Any, max_row: int | None = None) -> Iterator[Row]:
    """Yield each row of a sheet, numbered as the spreadsheet numbers it."""
    # Some programs write a wrong size in the sheet; without it the rows are read as stored.
    sheet.reset_dimensions()
    try:
        for number, cells in enumerate(sheet.iter_rows(min_row=1, min_col=1, max_row=max_row), 1):
            yield Row([cell_value(cell) for cell in cells], number, number)
    except Exception as error:  # a damaged sheet only shows when it is read
        raise _damaged(error) from error


def read_xlsx(data: bytes) -> list[Row]:
    """Return every row of the workbook's first sheet."""
    with open_workbook(data) as workbook:
        return list(sheet_rows(workbook.worksheets[0])) if workbook.worksheets else []


def cell_value(cell: Any) -> Value:
    """Return a cell's value; a number shown with fixed decimals ("0.00") as a Decimal with
    them, since "1.10" typed in a number cell is stored as 1.1."""
    value = cell.value
    if isinstance(value, float):
        decimals = re.fullmatch(r"0\.(0+)", cell.number_format or "")
        if decimals:
            return Decimal(f"{value:.{len(decimals[1])}f}")
    if isinstance(value, str):
        return value.strip()
    return value


def cell_text(cell: Any) -> str:
    """Return a cell's value as the spreadsheet shows it."""
    return text_of(cell_value(cell))


# Writing CSV.


def delimiter(language: str) -> str:
    """Return the delimiter of the CSV files Jalon writes in that language.

    Excel splits a CSV file it opens on the list separator of the computer's region: a
    semicolon where the comma is the decimal mark (French), a comma elsewhere. A file's
    language is the best guess Jalon has of its reader's region; every reader accepts both."""
    return ";" if language.startswith("fr") else ","


def csv_cell(value: Value) -> str:
    if isinstance(value, str):
        return guard(value)
    return text_of(value)


def write_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], language: str) -> bytes:
    """Return the table as CSV in that language: a header, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter(language), lineterminator="\r\n")
    with translation.override(language):
        writer.writerow([csv_cell(str(column.header)) for column in columns])
        for row in rows:
            writer.writerow([csv_cell(column.write(row.get(column.key))) for column in columns])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


# Writing XLSX.


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: its name, its columns and a mapping of values per row."""

    name: str | Promise
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]]


def write_xlsx(sheets: Sequence[Sheet], language: str, title: str = "") -> bytes:
    """Return a workbook of these sheets in that language, with the title in its properties."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    with translation.override(language):
        for sheet in sheets:
            write_sheet(workbook.create_sheet(str(sheet.name)), sheet.columns, sheet.rows)
    workbook.properties.title = title
    workbook.properties.language = language
    workbook.properties.creator = "Jalon"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheet(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> None:
    """Fill a sheet: a bold header that stays in view, one row per mapping, then the widths,
    the filters and the drop-down lists."""
    for number, column in enumerate(columns, start=1):
        _write_cell(sheet.cell(row=1, column=number), str(column.header)).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    last = 1
    for last, row in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            cell = _write_cell(sheet.cell(row=last, column=number), column.write(row.get(column.key)))
            cell.alignment = WRAPPED if column.wrap else TOP
            if column.number_format:
                cell.number_format = column.number_format
    _dress(sheet, columns, max(last, 2))


def _write_cell(cell: Any, value: Value) -> Any:
    if value is None or value == "":
        return cell  # left blank, as the spreadsheet's filters expect
    if isinstance(value, str):
        # XML cannot hold control characters such as a form feed; a space keeps words apart.
        cell.value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
        cell.data_type = "s"  # a title starting with "=" is text, never a formula
        return cell
    cell.value = value
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = AMOUNT_FORMAT
    return cell


def _dress(sheet: Worksheet, columns: Sequence[Column], last: int) -> None:
    """Set the column widths, the filters and the drop-down lists down to row `last`."""
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        if column.choices is not None:
            choices = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices()) + '"',
                allow_blank=False,
                showDropDown=False,  # sic: False shows the arrow
            )
            choices.error = _("Choose a value from the list.")
            choices.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(choices)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
