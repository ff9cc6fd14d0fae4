"""The spreadsheet helpers every table goes through: the formula guard and its undoing, the
delimiter found, UTF-8 with a byte order mark, real dates and numbers in XLSX, and a table's
columns declared once and used by both its writer and its reader."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from jalon.lib.spreadsheet import (
    TEXT,
    Column,
    Sheet,
    SpreadsheetError,
    Value,
    cell_value,
    column_keys,
    csv_rows,
    guard,
    headers,
    is_xlsx,
    read_csv,
    read_xlsx,
    sniff_delimiter,
    text_of,
    unguard,
    write_csv,
    write_xlsx,
)

# The messages checked here are the English source strings.
pytestmark = pytest.mark.usefixtures("in_english")


# The formula guard.


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+33 1 23", "-10 % de déchets", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n-1", "\t\r@x"],
)
def test_a_cell_a_spreadsheet_would_run_is_written_behind_an_apostrophe(text: str) -> None:
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("text", ["Axe 1", "", "'", "l'apostrophe reste", "1-2", "\tTabulé", "a=b"])
def test_a_harmless_cell_is_written_as_it_is(text: str) -> None:
    assert guard(text) == text
    assert unguard(text) == text


def test_a_text_that_looks_guarded_already_keeps_its_own_apostrophe() -> None:
    assert guard("'=1+1") == "''=1+1"
    assert unguard(guard("'=1+1")) == "'=1+1"
    assert unguard("'=1+1") == "=1+1"  # what earlier versions wrote for "=1+1"


@given(st.text(alphabet="'=+-@\t\r\n a1", max_size=12))
def test_unguarding_gives_back_every_text_guarded(text: str) -> None:
    assert unguard(guard(text)) == text
    assert not guard(text).lstrip("\t\r\n").startswith(("=", "+", "-", "@"))


# Reading CSV.


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_the_one_that_splits_the_first_line_most(delimiter: str) -> None:
    text = delimiter.join(["Code", "Titre", "Texte"]) + "\n1" + delimiter + "Axe, un; deux" + "\n"
    assert sniff_delimiter(text) == delimiter


def test_a_score_chooses_the_delimiter_whose_header_names_most_columns() -> None:
    text = "Plan d'action, 2024-2025\ncode;titre\n1;Axe\n"
    assert sniff_delimiter(text) == ","

    def known(rows: list[Any]) -> int:
        return max((len({"code", "titre"} & set(row.cells)) for row in rows), default=0)

    assert sniff_delimiter(text, known) == ";"


def test_csv_rows_are_stripped_unguarded_and_know_their_lines() -> None:
    rows = list(csv_rows('code,titre\n1, \'=1+1 \n2,"deux\nlignes"\n3,trois\n', ","))
    assert [row.cells for row in rows] == [
        ["code", "titre"],
        ["1", "=1+1"],
        ["2", "deux\nlignes"],
        ["3", "trois"],
    ]
    assert [(row.first_line, row.last_line) for row in rows] == [(1, 1), (2, 2), (3, 4), (5, 5)]


def test_a_badly_quoted_csv_line_is_refused_naming_the_line_where_its_row_starts() -> None:
    with pytest.raises(SpreadsheetError, match="this CSV line cannot be read") as refusal:
        read_csv('code,titre\n1,Axe\n2,"Deuxième\n3,Troisième\n')
    assert refusal.value.line == 3


# Writing CSV.

PEOPLE = Column(
    "people",
    gettext_lazy("Leads"),
    {"fr": ("responsable",), "en": ("lead",)},
    write=lambda names: ", ".join(names),
    read=lambda cell: [name.strip() for name in text_of(cell).split(",") if name.strip()],
)
DUE = Column(
    "due",
    gettext_lazy("Due date"),
    read=lambda cell: (
        cell.date() if isinstance(cell, datetime.datetime) else datetime.date.fromisoformat(text_of(cell))
    ),
)
TITLE = Column("title", gettext_lazy("Title"), wrap=True, width=60)
CODE = Column("code", gettext_lazy("Code"), number_format=TEXT)
AMOUNT = Column("amount", gettext_lazy("Planned"), read=lambda cell: Decimal(text_of(cell)))
COLUMNS = (CODE, TITLE, PEOPLE, DUE, AMOUNT)
ROWS = [
    {
        "code": "1.10",
        "title": '=HYPERLINK("http://x")',
        "people": ["amina", "lea"],
        "due": datetime.date(2025, 3, 31),
        "amount": Decimal("12000.50"),
    },
    {
        "code": "2",
        "title": "-1 + un",
        "people": [],
        "due": datetime.date(2026, 1, 1),
        "amount": Decimal("0.00"),
    },
]


def read_back(rows: list[Any]) -> list[dict[str, Any]]:
    """Read rows the way a table's reader does: header names to keys, each column's `read`."""
    keys = column_keys(COLUMNS, rows[0].cells)
    by_key = {column.key: column for column in COLUMNS}
    return [{key: by_key[key].read(row.cells[index]) for index, key in keys.items()} for row in rows[1:]]


def test_csv_is_utf8_with_a_byte_order_mark_and_headers_in_the_tables_language() -> None:
    data = write_csv(COLUMNS, ROWS, "fr")
    assert data.startswith(b"\xef\xbb\xbfCode;Titre;Responsables;\xc3\x89ch\xc3\xa9ance;")
    assert write_csv(COLUMNS, ROWS, "en").startswith(b"\xef\xbb\xbfCode,Title,Leads,Due date,")
    assert headers(COLUMNS, "fr")[:3] == ["Code", "Titre", "Responsables"]


def test_csv_writes_each_value_with_its_column_and_guards_formulas() -> None:
    lines = write_csv(COLUMNS, ROWS, "en").decode("utf-8-sig").split("\r\n")
    assert lines[1] == '1.10,"\'=HYPERLINK(""http://x"")","amina, lea",2025-03-31,12000.50'
    assert lines[2].startswith("2,'-1 + un,,2026-01-01,")


def test_a_formula_behind_a_tab_comes_back_from_csv_whole() -> None:
    data = write_csv([TITLE], [{"title": "\t=1+1"}, {"title": "'=1+1"}], "en")
    assert data.decode("utf-8-sig") == "Title\r\n'\t=1+1\r\n''=1+1\r\n"
    assert [row.cells for row in read_csv(data.decode("utf-8-sig"))[1:]] == [["\t=1+1"], ["'=1+1"]]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_column_declaration_reads_back_what_it_wrote_in_csv(language: str) -> None:
    text = write_csv(COLUMNS, ROWS, language).decode("utf-8-sig")
    assert read_back(read_csv(text)) == ROWS


# Reading the headers.


def test_a_header_names_its_column_in_either_language_in_any_case_with_or_without_accents() -> None:
    keys = column_keys(COLUMNS, ["ÉCHÉANCE", "leads", "Responsable", "code", "Autre", "Titre", None, "CODE"])
    assert keys == {0: "due", 1: "people", 3: "code", 5: "title"}


# XLSX.


def workbook_of(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_has_a_bold_frozen_header_filters_and_widths() -> None:
    sheet = workbook_of(write_xlsx([Sheet("Table", COLUMNS, ROWS)], "fr", title="Plan")).active
    assert [cell.value for cell in sheet[1]] == ["Code", "Titre", "Responsables", "Échéance", "Prévu"]
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert sheet.column_dimensions["B"].width == 60 and sheet["B2"].alignment.wrap_text


def test_xlsx_keeps_real_dates_and_numbers_and_codes_as_text() -> None:
    sheet = workbook_of(write_xlsx([Sheet("Table", COLUMNS, ROWS)], "en")).active
    code, title, _people, due, amount = sheet[2]
    assert (code.value, code.data_type, code.number_format) == ("1.10", "s", "@")
    assert (title.value, title.data_type) == ('=HYPERLINK("http://x")', "s")  # text, never run
    assert (due.value, due.number_format) == (datetime.datetime(2025, 3, 31), "yyyy-mm-dd")
    assert (amount.value, amount.number_format) == (12000.5, "#,##0.00")


def test_a_column_declaration_reads_back_what_it_wrote_in_xlsx() -> None:
    rows = read_xlsx(write_xlsx([Sheet("Table", COLUMNS, ROWS)], "fr"))
    assert isinstance(rows[1].cells[3], datetime.datetime)
    assert read_back(rows) == ROWS


def test_xlsx_offers_a_drop_down_list_where_a_column_has_choices() -> None:
    status = Column("status", gettext_lazy("Status"), choices=lambda: ["Not started", "Done"])
    sheet = workbook_of(write_xlsx([Sheet("Table", (CODE, status), ROWS)], "en")).active
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.formula1, str(validation.sqref)) == (
        "list", '"Not started,Done"', "B2:B3"
    )  # fmt: skip


def test_a_number_shown_with_fixed_decimals_keeps_them() -> None:
    class Cell:
        def __init__(self, value: Value, number_format: str = "General") -> None:
            self.value, self.number_format = value, number_format

    assert cell_value(Cell(1.1, "0.00")) == Decimal("1.10")
    assert text_of(cell_value(Cell(1.1, "0.00"))) == "1.10"
    assert cell_value(Cell(40)) == 40 and cell_value(Cell(12.5)) == 12.5
    assert text_of(0.1 + 0.2) == "0.3" and text_of(datetime.datetime(2025, 6, 30)) == "2025-06-30"


def test_a_damaged_workbook_is_a_spreadsheet_error() -> None:
    data = write_xlsx([Sheet("Table", COLUMNS, ROWS)], "en")
    assert is_xlsx(data) and not is_xlsx(b"PK\x03\x04 not a workbook") and not is_xlsx(b"code,titre\n")
    with pytest.raises(SpreadsheetError, match="damaged or truncated"):
        read_xlsx(data[: len(data) // 2])
