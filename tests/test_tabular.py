"""A plan as a table, in CSV or XLSX: read with headers in French or English, the tree
built from the parent code, the level or the codes, written back so that a spreadsheet
user can open it and Jalon can read it again, and plain refusals naming row and column."""

from __future__ import annotations

import io
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.lib.spreadsheet import cell_text
from jalon.plans.exporters import csv_format, xlsx_format
from jalon.plans.importers import ImportFailure, ParsedPlan, Source, detect_format, parse_source, tabular
from jalon.plans.models import Plan
from jalon.plans.table_columns import headers

from .paths import SEED
from .test_json_format import build_sample_plan, import_parsed, items_of

# The messages checked here are the English source strings.
pytestmark = pytest.mark.usefixtures("in_english")

EXPORTERS = {"csv": csv_format, "xlsx": xlsx_format}


def read_csv(text: str, name: str = "plan.csv", encoding: str = "utf-8") -> ParsedPlan:
    return parse_source(Source(name, text.encode(encoding)))


def outline(parsed: ParsedPlan) -> list[tuple[int, str, str]]:
    return [(depth, item.code, item.title) for depth, item in parsed.walk()]


def workbook_bytes(*sheets: tuple[str, list[list[Any]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def round_trip(plan: Plan, format: str) -> Plan:
    name = f"{plan.slug}.{format}"
    parsed = parse_source(Source(name, EXPORTERS[format].export(plan)))
    assert parsed.format == format
    return import_parsed(parsed, name)


# Round trips through the database.


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_plan_comes_back_from_its_table_export_item_for_item(format: str) -> None:
    plan = import_parsed(build_sample_plan())
    again = round_trip(plan, format)
    assert items_of(again) == items_of(plan)
    assert (again.language, again.levels) == (plan.language, plan.levels)
    assert (again.period_start, again.period_end) == (plan.period_start, plan.period_end)


@pytest.mark.django_db
def test_the_xlsx_export_keeps_the_plans_title_in_the_workbook() -> None:
    plan = import_parsed(build_sample_plan())
    assert round_trip(plan, "xlsx").title == plan.title == "Plan d'action 2024-2025 « essai »"


@pytest.mark.django_db
def test_a_csv_file_names_its_plan_after_the_file() -> None:
    plan = import_parsed(build_sample_plan())
    assert round_trip(plan, "csv").title == "plan-d-action-2024-2025-essai"


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_seed_plan_comes_back_from_its_table_export_item_for_item(format: str) -> None:
    plan = import_parsed(parse_source(Source.from_path(SEED)), SEED.name)
    again = round_trip(plan, format)
    assert again.items.count() == 54
    assert items_of(again) == items_of(plan)
    assert again.levels == plan.levels == ["Axe stratégique", "Orientations", "Actions"]


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_reading_a_table_export_reports_the_seeds_code_anomalies_at_their_rows(format: str) -> None:
    plan = import_parsed(parse_source(Source.from_path(SEED)), SEED.name)
    parsed = parse_source(Source(f"plan.{format}", EXPORTERS[format].export(plan)))
    found = {(anomaly.kind, anomaly.code) for anomaly in parsed.anomalies}
    assert {("duplicate_code", "1.4.4"), ("missing_code", "1.4.3"), ("out_of_order", "3.3.3")} <= found
    duplicate = next(a for a in parsed.anomalies if a.kind == "duplicate_code" and a.code == "3.2.4")
    codes = list(plan.items.in_document_order().values_list("code", flat=True))
    second = [index for index, code in enumerate(codes) if code == "3.2.4"][1]
    assert duplicate.line == second + 2  # below the header row, counting rows from 1


@pytest.mark.django_db
def test_an_english_plan_is_written_with_english_headers_and_commas() -> None:
    parsed = build_sample_plan()
    parsed.language = "en"
    plan = import_parsed(parsed)
    text = csv_format.export(plan).decode("utf-8-sig")
    assert text.startswith("Code,Depth,Level,Parent code,Title,Title (English),Text\r\n")
    assert round_trip(plan, "csv").language == "en"


# The CSV export.


@pytest.mark.django_db
def test_the_csv_export_starts_with_a_byte_order_mark_for_excel_and_uses_semicolons_in_french() -> None:
    data = csv_format.export(import_parsed(build_sample_plan()))
    assert data.startswith(b"\xef\xbb\xbfCode;Profondeur;Niveau;Code parent;Titre;Titre anglais;Texte\r\n")
    assert "Québec" in data.decode("utf-8-sig")


@pytest.mark.django_db
def test_the_csv_export_guards_cells_a_spreadsheet_would_run_as_formulas() -> None:
    text = csv_format.export(import_parsed(build_sample_plan())).decode("utf-8-sig")
    row = next(line for line in text.split("\r\n") if line.startswith("1.2.1.1"))
    assert ";'=SOMME(1;2) n'est pas une formule;" in row.replace('"', "")
    assert '"\'-10 % de déchets\n+ un"' in row + "\r\n" + text.split(row)[1]


def test_a_guarded_cell_loses_its_apostrophe_on_import() -> None:
    parsed = read_csv("code;titre\n1;'=1+1\n2;'l'apostrophe reste\n")
    assert [item.title for item in parsed.items] == ["=1+1", "'l'apostrophe reste"]


# The XLSX export.


@pytest.mark.django_db
def test_the_xlsx_export_has_a_bold_frozen_header_text_codes_and_an_anomaly_sheet() -> None:
    data = xlsx_format.export(import_parsed(build_sample_plan()))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Plan", "Anomalies"]
    sheet = workbook["Plan"]
    assert [cell.value for cell in sheet[1]] == headers("fr")
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == 70
    code = sheet["A3"]
    assert (code.value, code.data_type, code.number_format) == ("1.1.", "s", "@")
    formula_like = next(row[4] for row in sheet.iter_rows() if row[0].value == "1.2.1.1")
    assert (formula_like.value, formula_like.data_type) == ("=SOMME(1;2) n'est pas une formule", "s")
    anomalies = workbook["Anomalies"]
    assert anomalies.max_row == 5
    assert anomalies["B3"].value == "1.2" and "1.2" in anomalies["D3"].value


# Files written by earlier versions of Jalon, before the headers went through the catalogues.

OLD_FRENCH_CSV = (
    "\ufeffCode;Profondeur;Niveau;Code parent;Titre;Titre anglais;Texte\r\n"
    "1;1;Axe;;Solidarité, d'ici et d'ailleurs;Solidarity;\r\n"
    '1.1.;2;Orientation;1;"\'=SOMME(1;2) n\'est pas une formule";;"\'-10 % de déchets\n+ un"\r\n'
    '1.1.1;3;Action;1.1.;"Tenir l\'assemblée « générale » ; voter";Hold the meeting;'
    '"Un texte avec des ""guillemets"""\r\n'
)


def test_a_french_csv_an_earlier_version_wrote_reads_the_same() -> None:
    parsed = read_csv(OLD_FRENCH_CSV)
    assert outline(parsed) == [
        (0, "1", "Solidarité, d'ici et d'ailleurs"),
        (1, "1.1.", "=SOMME(1;2) n'est pas une formule"),
        (2, "1.1.1", "Tenir l'assemblée « générale » ; voter"),
    ]
    orientation, action = parsed.items[0].children[0], parsed.items[0].children[0].children[0]
    assert (orientation.body, action.title_en, action.body) == (
        "-10 % de déchets\n+ un", "Hold the meeting", 'Un texte avec des "guillemets"'
    )  # fmt: skip
    assert (parsed.language, parsed.levels) == ("fr", ["Axe", "Orientation", "Action"])


def test_an_english_csv_an_earlier_version_wrote_reads_the_same() -> None:
    parsed = read_csv(
        "\ufeffCode,Depth,Level,Parent code,Title,Title (English),Text\r\n1,1,Axis,,Axe,Axis,\r\n"
    )
    assert outline(parsed) == [(0, "1", "Axe")]
    assert (parsed.language, parsed.levels, parsed.items[0].title_en) == ("en", ["Axis"], "Axis")


# Reading CSV files.


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_finds_the_delimiter_from_the_header(delimiter: str) -> None:
    rows = [["code", "titre", "texte"], ["1", "Axe, un", "a; b"], ["1.1", "Action\tune", ""]]
    quoted = [[f'"{cell}"' if delimiter in cell else cell for cell in row] for row in rows]
    parsed = read_csv("\n".join(delimiter.join(row) for row in quoted), name="plan.txt")
    assert parsed.format == "csv"
    assert outline(parsed) == [(0, "1", "Axe, un"), (1, "1.1", "Action\tune")]


def test_a_quoted_cell_may_hold_newlines_and_line_numbers_stay_those_of_the_file() -> None:
    parsed = read_csv('code,title,text\n1,Axe,"premier\n\ndeuxième"\n1.1,Action,\n')
    axis, action = parsed.items[0], parsed.items[0].children[0]
    assert axis.body == "premier\n\ndeuxième"
    assert (axis.line_start, axis.line_end, action.line_start) == (2, 4, 5)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_it_reads_csv_files_saved_by_excel_in_every_usual_encoding(encoding: str) -> None:
    parsed = read_csv("Numéro;Intitulé\r\n1;Québec, Haïti et « œuvre »\r\n", encoding=encoding)
    assert outline(parsed) == [(0, "1", "Québec, Haïti et « œuvre »")]


def test_header_names_are_read_in_any_case_with_or_without_accents() -> None:
    parsed = read_csv(
        "N°;INTITULÉ;Code Parent;Libellé;Titre anglais;Description\n"
        "1;Axe;;Axe stratégique;Axis;Texte\n"
        "1.1;Orientation;1;Orientation;Direction;\n"
    )
    axis = parsed.items[0]
    assert (axis.code, axis.title, axis.label, axis.title_en, axis.body) == (
        "1", "Axe", "Axe stratégique", "Axis", "Texte"
    )  # fmt: skip
    assert axis.children[0].title_en == "Direction"
    assert parsed.language == "fr"


def test_english_headers_make_an_english_plan() -> None:
    parsed = read_csv("Number,Title,Parent code,Title (English)\n1,Axis,,Axis\n")
    assert parsed.language == "en" and parsed.items[0].title_en == "Axis"


def test_rows_above_the_header_give_the_title_and_the_preamble() -> None:
    parsed = read_csv("Plan d'action 2024-2025;;\nAdopté le 12 juin;;\n\ncode;titre;\n1;Axe;\n")
    assert (parsed.title, parsed.preamble) == ("Plan d'action 2024-2025", "Adopté le 12 juin")
    assert parsed.period_start is not None and parsed.period_start.year == 2024
    assert parsed.items[0].line_start == 5


def test_columns_jalon_does_not_know_are_kept_in_the_items_text() -> None:
    parsed = read_csv("code;titre;texte;Responsable;;Échéance\n1;Axe;Texte;Marie;note;2025-06\n")
    assert parsed.items[0].body == "Texte\nResponsable: Marie\ncolumn 5: note\nÉchéance: 2025-06"


def test_a_row_with_a_code_and_no_title_is_kept_with_an_empty_title() -> None:
    parsed = read_csv("code;titre\n1.4.2;Deux\n1.4.3;\n;\n1.4.4;Quatre\n")
    assert [(item.code, item.title) for item in parsed.items] == [
        ("1.4.2", "Deux"), ("1.4.3", ""), ("1.4.4", "Quatre")
    ]  # fmt: skip


# Building the tree.


def test_the_parent_column_places_each_row_under_the_nearest_row_above_with_that_code() -> None:
    parsed = read_csv(
        "code;parent;titre\n"
        "1;;Axe\n1.1;1;Orientation\n1.1.1;1.1;Action\n"
        "1.1;1;Orientation au code répété\n1.1.1;1.1;Action de la seconde\n"
        "2;;Deuxième axe\n1.2;1;Orientation venue après l'axe 2\n"
    )
    assert outline(parsed) == [
        (0, "1", "Axe"),
        (1, "1.1", "Orientation"),
        (2, "1.1.1", "Action"),
        (1, "1.1", "Orientation au code répété"),
        (2, "1.1.1", "Action de la seconde"),
        (1, "1.2", "Orientation venue après l'axe 2"),
        (0, "2", "Deuxième axe"),
    ]


def test_a_parent_code_no_row_above_has_keeps_the_row_at_the_top_and_reports_it() -> None:
    parsed = read_csv("code;code parent;titre\n1;;Axe\n2.1;2;Orpheline\n")
    assert outline(parsed) == [(0, "1", "Axe"), (0, "2.1", "Orpheline")]
    unplaced = [a for a in parsed.anomalies if a.kind == "unplaced_text"]
    found = [(a.line, a.code, a.text, a.params) for a in unplaced]
    assert found == [(3, "2.1", "Orpheline", {"parent": "2"})]
    assert unplaced[0].item is parsed.items[1]


def test_the_parent_code_matches_a_code_written_with_its_trailing_dot() -> None:
    parsed = read_csv("code;parent;titre\n1.1.;;Orientation\n1.1.1;1.1;Action\n")
    assert outline(parsed) == [(0, "1.1.", "Orientation"), (1, "1.1.1", "Action")]


@pytest.mark.parametrize("column, first", [("niveau", "1"), ("profondeur", "1"), ("depth", "0")])
def test_a_level_number_column_builds_the_tree(column: str, first: str) -> None:
    base = int(first)
    rows = [(base, "Axe"), (base + 1, "Orientation"), (base + 2, "Action"), (base + 1, "Autre")]
    text = f"{column};titre\n" + "".join(f"{depth};{title}\n" for depth, title in rows)
    assert [(d, i.title) for d, i in read_csv(text).walk()] == [
        (0, "Axe"), (1, "Orientation"), (2, "Action"), (1, "Autre")
    ]  # fmt: skip


def test_level_names_rank_in_the_order_they_first_appear_and_name_the_levels() -> None:
    parsed = read_csv(
        "niveau;titre\nAxe;Un\nOrientation;Un.un\nAction;Un.un.un\nAxe;Deux\nOrientation;Deux.un\n"
    )
    assert [(d, i.title, i.label) for d, i in parsed.walk()] == [
        (0, "Un", "Axe"), (1, "Un.un", "Orientation"), (2, "Un.un.un", "Action"),
        (0, "Deux", "Axe"), (1, "Deux.un", "Orientation"),
    ]  # fmt: skip
    assert parsed.levels == ["Axe", "Orientation", "Action"]


def test_the_level_name_given_most_often_at_a_depth_names_the_level() -> None:
    parsed = read_csv(
        "profondeur;niveau;titre\n1;Axe stratégique;A\n1;Orientation stratégique;B\n"
        "2;Orientations;B.1\n1;Orientation stratégique;C\n"
    )
    assert parsed.levels == ["Orientation stratégique", "Orientations"]
    assert [item.label for item in parsed.items] == [
        "Axe stratégique", "Orientation stratégique", "Orientation stratégique"
    ]  # fmt: skip


def test_without_parent_or_level_the_codes_build_the_tree() -> None:
    parsed = read_csv("code;titre\n1;Axe\n1.1.;Orientation\n1.1.1;Action\n;Sans code\n1.2;Deux\n2.1.1;Loin\n")
    assert outline(parsed) == [
        (0, "1", "Axe"),
        (1, "1.1.", "Orientation"),
        (2, "1.1.1", "Action"),
        (2, "", "Sans code"),
        (1, "1.2", "Deux"),
        (0, "2.1.1", "Loin"),
    ]


def test_a_table_of_titles_alone_is_a_flat_list() -> None:
    parsed = read_csv("titre\nPremier\nDeuxième\n", name="liste.csv")
    assert outline(parsed) == [(0, "", "Premier"), (0, "", "Deuxième")]
    assert parsed.title == "liste"


# Refusals, naming the file, the line or row, and the column.


def test_a_table_without_a_title_column_is_refused_naming_the_row_it_read() -> None:
    expected = r"^plan\.csv, line 2: no column of titles was found; the first row reads “num”, “nom de"
    with pytest.raises(ImportFailure, match=expected):
        read_csv("\nnum;nom de l'action\n1;Axe\n")


def test_a_level_that_skips_a_step_is_refused_naming_the_line_and_column() -> None:
    with pytest.raises(ImportFailure, match=r"^plan\.csv, line 3: column “Niveau”: this row is at level 3"):
        read_csv("Niveau;Titre\n1;Axe\n3;Action\n")


def test_a_level_that_is_not_a_number_is_refused_naming_the_line_and_column() -> None:
    with pytest.raises(ImportFailure, match=r"^plan\.csv, line 3: column “profondeur”: “deux” is not"):
        read_csv("profondeur;titre\n1;Axe\ndeux;Action\n")


def test_an_unclosed_quote_is_refused_naming_the_line_where_the_row_starts() -> None:
    with pytest.raises(ImportFailure, match=r"^plan\.csv, line 3: this CSV line cannot be read"):
        read_csv('code,titre\n1,Axe\n2,"Deuxième axe\n3,Troisième\n')


def test_a_table_with_a_header_and_no_row_has_no_item() -> None:
    with pytest.raises(ImportFailure, match="no plan item could be found"):
        read_csv("code;titre\n;\n")


def test_a_text_file_that_is_not_a_table_is_not_taken_for_one() -> None:
    assert parse_source(Source.from_path(SEED)).format == "seed"
    assert detect_format(Source("notes.txt", b"Actions\n1 Un\n2 Deux\n")) != "csv"
    assert detect_format(Source("notes.txt", b"code;titre\n1;Un\n")) == "csv"


# Reading XLSX workbooks.


def test_it_reads_the_first_sheet_with_a_header_and_names_rows_by_their_number() -> None:
    data = workbook_bytes(
        ("Notes", [["Quelques notes"], ["sans tableau"]]),
        (
            "Plan",
            [["Plan 2024-2025"], [], ["Code", "Titre", "Niveau"], ["1", "Axe", 1], ["1.1", "Action", 2]],
        ),
    )
    parsed = parse_source(Source("plan.xlsx", data))
    assert parsed.format == "xlsx" and parsed.title == "Plan 2024-2025"
    assert outline(parsed) == [(0, "1", "Axe"), (1, "1.1", "Action")]
    assert (parsed.items[0].line_start, parsed.items[0].children[0].line_end) == (4, 5)


def test_codes_excel_stored_as_numbers_are_read_as_the_cell_shows_them() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "titre"])
    sheet.append([1, "Axe"])
    sheet.append([1.1, "Orientation"])
    sheet.append([1.1, "Orientation écrite 1.10"])
    sheet["A4"].number_format = "0.00"
    sheet.append([2.0, "Deux"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_source(Source("plan.xlsx", buffer.getvalue()))
    assert [item.code for _, item in parsed.walk()] == ["1", "1.1", "1.10", "2"]


def test_cells_read_as_shown_for_numbers_dates_and_booleans() -> None:
    import datetime

    class Cell:
        def __init__(self, value: Any, number_format: str = "General") -> None:
            self.value, self.number_format = value, number_format

    assert cell_text(Cell(0.1 + 0.2)) == "0.3"
    assert cell_text(Cell(datetime.datetime(2025, 6, 30))) == "2025-06-30"
    assert cell_text(Cell(True)) == "TRUE"
    assert cell_text(Cell("  texte  ")) == "texte"


def test_a_sheet_error_names_the_sheet_row_and_column() -> None:
    data = workbook_bytes(("Actions", [["Profondeur", "Titre"], [1, "Axe"], [3, "Action"]]))
    with pytest.raises(ImportFailure, match=r"^plan\.xlsx: sheet “Actions”, row 3: column “Profondeur”: "):
        parse_source(Source("plan.xlsx", data))


def test_a_workbook_without_a_title_column_is_refused_naming_its_first_sheet() -> None:
    data = workbook_bytes(("Feuil1", [["Numéro", "Objet"], ["1", "Axe"]]))
    with pytest.raises(ImportFailure, match=r"sheet “Feuil1”, row 1: no column of titles was found"):
        parse_source(Source("plan.xlsx", data))


@pytest.mark.django_db
@pytest.mark.parametrize("format", [None, "xlsx"])
def test_a_truncated_workbook_is_refused_plainly(format: str | None) -> None:
    data = xlsx_format.export(import_parsed(build_sample_plan()))
    with pytest.raises(ImportFailure, match=r"^plan\.xlsx: .*(damaged|truncated)"):
        parse_source(Source("plan.xlsx", data[: len(data) // 2]), format)


def test_a_workbook_with_a_damaged_sheet_is_refused_plainly() -> None:
    data = workbook_bytes(("Plan", [["code", "titre"], ["1", "Axe"]]))
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(damaged, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            target.writestr(entry, content)
    with pytest.raises(ImportFailure, match=r"^plan\.xlsx: this XLSX file is damaged or truncated"):
        parse_source(Source("plan.xlsx", damaged.getvalue()))


# Whatever the table holds, every row with words in it becomes an item, or the file is refused.

CELLS = st.text(alphabet="1.2aé ;,\"'\n\t=-", max_size=40)


@settings(max_examples=200, deadline=None)
@given(CELLS, st.sampled_from(["code;titre\n", "code;code parent;titre\n", "niveau,titre\n"]))
def test_any_table_gives_one_item_per_row_or_a_plain_refusal(body: str, header: str) -> None:
    source = Source("plan.csv", (header + body).encode())
    try:
        parsed = parse_source(source)
    except ImportFailure as failure:
        assert str(failure).startswith("plan.csv")
        return
    table = tabular.read_csv(source)
    rows = [row for row in table.rows[1:] if not row.is_blank()]
    assert parsed.count() == len(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_command_line_exports_a_table_that_imports_again(tmp_path: Path, format: str) -> None:
    plan = import_parsed(build_sample_plan())
    path = tmp_path / f"plan.{format}"
    call_command("export", plan.slug, "--format", format, "-o", str(path), stdout=StringIO())
    call_command("import", str(path), stdout=StringIO())
    assert items_of(Plan.objects.exclude(pk=plan.pk).get()) == items_of(plan)
