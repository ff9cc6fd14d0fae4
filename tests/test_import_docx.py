"""Word documents: headings, Word's own numbered and bulleted lists, typed codes, tables."""

import io
import re

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.plans.importers import ImportFailure, ParsedPlan, Source, parse_source
from jalon.plans.importers import docx as docx_importer


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read(document, name: str = "plan.docx") -> ParsedPlan:
    return parse_source(Source(name=name, data=save(document)))


def tree(plan: ParsedPlan) -> list[tuple[int, str, str]]:
    return [(depth, item.code, item.title) for depth, item in plan.walk()]


def add_multilevel_list(document, patterns: list[str], formats: list[str]) -> str:
    """Add a list definition with one level per pattern ("%1.", "%1.%2."); return its numId."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{style}"/>'
        f'<w:lvlText w:val="{pattern}"/></w:lvl>'
        for level, (pattern, style) in enumerate(zip(patterns, formats, strict=True))
    )
    abstract = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'
    numbering.insert(0, parse_xml(abstract))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def numbered(document, text: str, num_id: str, level: int):
    paragraph = document.add_paragraph(text, style="List Paragraph")
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(level)), ("w:numId", num_id)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        numbering.append(element)
    properties.append(numbering)
    return paragraph


def add_link(paragraph, text: str, url: str) -> None:
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{relation}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
    )
    paragraph._p.append(link)


def test_it_nests_list_number_styles_under_headings_and_keeps_words_numbers() -> None:
    document = docx.Document()
    document.add_paragraph("Plan d'action 2024-2025", style="Title")
    document.add_heading("Axe 1 : Consolider", 1)
    document.add_paragraph("Soutenir nos partenaires", style="List Number")
    document.add_paragraph("au Honduras", style="List Number 2")
    document.add_paragraph("en Haïti", style="List Number 2")
    document.add_paragraph("Renforcer les alliances", style="List Number")
    document.add_paragraph("avec l'AQOCI", style="List Bullet")
    plan = read(document)
    assert plan.format == "docx"
    assert plan.title == "Plan d'action 2024-2025"
    assert plan.period_end is not None and plan.period_end.year == 2025
    assert plan.levels == ["Axe"]
    assert tree(plan) == [
        (0, "1", "Consolider"),
        (1, "1.", "Soutenir nos partenaires"),
        (2, "1.", "au Honduras"),
        (2, "2.", "en Haïti"),
        (1, "2.", "Renforcer les alliances"),
        (2, "", "avec l'AQOCI"),
    ]


def test_it_counts_a_multilevel_list_as_word_shows_it() -> None:
    document = docx.Document()
    document.add_heading("Plan", 1)
    num_id = add_multilevel_list(document, ["%1.", "%1.%2.", "%3)"], ["decimal", "decimal", "lowerLetter"])
    numbered(document, "Axe un", num_id, 0)
    numbered(document, "Orientation", num_id, 1)
    numbered(document, "Action", num_id, 2)
    numbered(document, "Action", num_id, 2)
    numbered(document, "Orientation", num_id, 1)
    numbered(document, "Axe deux", num_id, 0)
    numbered(document, "Orientation", num_id, 1)
    plan = read(document)
    assert plan.title == "Plan"
    assert [(depth, item.code) for depth, item in plan.walk()] == [
        (0, "1."),
        (1, "1.1."),
        (2, "a)"),
        (2, "b)"),
        (1, "1.2."),
        (0, "2."),
        (1, "2.1."),
    ]


def test_it_reads_typed_codes_at_the_start_of_paragraphs() -> None:
    document = docx.Document()
    document.add_paragraph("Plan stratégique")
    document.add_paragraph("Axe stratégique 1 : Consolider notre action")
    document.add_paragraph("1.1 Continuer de soutenir nos partenaires")
    document.add_paragraph("1.1.1. Renforcer l'autonomisation")
    document.add_paragraph("Avec la FOTSSIEH.")
    document.add_paragraph("1.2 Renforcer notre appui")
    plan = read(document)
    assert plan.title == "Plan stratégique"
    assert [(depth, item.label, item.code) for depth, item in plan.walk()] == [
        (0, "Axe stratégique", "1"),
        (1, "", "1.1"),
        (2, "", "1.1.1."),
        (1, "", "1.2"),
    ]
    action = plan.items[0].children[0].children[0]
    assert action.body == "Avec la FOTSSIEH."
    assert (action.line_start, action.line_end) == (4, 5)


def test_it_reads_a_table_one_row_per_item_with_other_columns_in_the_body() -> None:
    document = docx.Document()
    document.add_heading("Axe 2 : Vie associative", 1)
    rows = [
        ("N°", "Action", "Responsable"),
        ("2.1", "Élaborer la planification", "Marie"),
        ("2.1.1", "Tenir des séances", ""),
    ]
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    plan = read(document)
    assert tree(plan) == [
        (0, "2", "Vie associative"),
        (1, "2.1", "Élaborer la planification"),
        (2, "2.1.1", "Tenir des séances"),
    ]
    assert plan.items[0].children[0].body == "Responsable: Marie"
    # Paragraph numbers: the heading is 1, then the table's cells row by row.
    assert plan.items[0].children[0].line_start == 5
    # The header's words are kept, in the anomaly report.
    unplaced = [anomaly for anomaly in plan.anomalies if anomaly.kind == "unplaced_text"]
    assert [(anomaly.line, anomaly.text) for anomaly in unplaced] == [(2, "N° | Action | Responsable")]


def test_it_reads_the_seed_shape_of_orientations_and_actions_in_two_columns() -> None:
    document = docx.Document()
    document.add_paragraph("PLAN D'ACTION 2024-2025")
    document.add_paragraph("Axe stratégique 1 : Consolider notre action solidaire")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Orientations", "Actions"
    table.cell(1, 0).text = "1.1 Continuer de soutenir nos partenaires"
    table.cell(1, 1).text = "1.1.1. En collaboration avec la FOTSSIEH"
    table.cell(1, 1).add_paragraph("1.1.2 Travailler à la pérennisation du CAIME")
    table.cell(2, 0).text = "1.2 Renforcer notre appui aux luttes du Sud global"
    table.cell(2, 1).text = "1.2.1 Explorer de nouvelles pistes"
    plan = read(document)
    assert plan.title == "PLAN D'ACTION 2024-2025"
    assert plan.levels == ["Axe stratégique", "Orientations", "Actions"]
    assert [(depth, item.code) for depth, item in plan.walk()] == [
        (0, "1"),
        (1, "1.1"),
        (2, "1.1.1."),
        (2, "1.1.2"),
        (1, "1.2"),
        (2, "1.2.1"),
    ]


def test_it_keeps_the_address_of_a_hyperlink() -> None:
    document = docx.Document()
    document.add_heading("Axe", 1)
    paragraph = document.add_paragraph("Publier sur ", style="List Bullet")
    add_link(paragraph, "code.gouv.fr", "https://code.gouv.fr/sources")
    document.add_heading("Autre", 1)
    document.add_paragraph("x", style="List Bullet")
    plan = read(document)
    assert plan.items[0].children[0].title == "Publier sur [code.gouv.fr](https://code.gouv.fr/sources)"


def test_text_before_the_first_item_is_the_preamble() -> None:
    document = docx.Document()
    document.add_paragraph("Plan", style="Title")
    document.add_paragraph("Adopté en assemblée générale.")
    document.add_paragraph("Mis à jour en 2024.")
    document.add_paragraph("Action", style="List Bullet")
    plan = read(document)
    assert plan.preamble == "Adopté en assemblée générale.\n\nMis à jour en 2024."


def test_a_table_of_contents_is_text_not_a_copy_of_the_items() -> None:
    document = docx.Document()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Plan", style="Title")
    document.add_paragraph("Axe 1 : Gouvernance\t3", style="toc 1")
    document.add_heading("Axe 1 : Gouvernance", 1)
    document.add_paragraph("Recruter", style="List Bullet")
    plan = read(document)
    assert tree(plan) == [(0, "1", "Gouvernance"), (1, "", "Recruter")]
    assert plan.preamble == "Axe 1 : Gouvernance\t3"


def test_it_sniffs_a_word_file_by_its_content() -> None:
    data = save(docx.Document())
    assert docx_importer.sniff(Source("plan.bin", data), "docx")
    assert not docx_importer.sniff(Source("plan.docx", b"PK\x03\x04 nothing"), "docx")


def test_it_refuses_a_truncated_word_file_naming_it() -> None:
    document = docx.Document()
    document.add_paragraph("Action", style="List Bullet")
    data = save(document)
    half = Source("rapport.docx", data[: len(data) // 2])
    with pytest.raises(ImportFailure, match="rapport.docx"):
        parse_source(half)
    with pytest.raises(ImportFailure, match="rapport.docx: .*(damaged|endommagé)"):
        parse_source(half, "docx")


def test_it_refuses_a_word_file_without_any_item() -> None:
    document = docx.Document()
    document.add_paragraph("Seulement du texte.")
    with pytest.raises(ImportFailure, match="vide.docx"):
        read(document, name="vide.docx")


def test_it_reads_french_style_names_and_codes_typed_with_a_tab() -> None:
    document = docx.Document()
    document.styles.add_style("Titre 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Axe un", style="Titre 1")
    document.add_paragraph("1.\tRecruter")
    document.add_paragraph("Axe deux", style="Titre 1")
    document.add_paragraph("1.\tFormer")
    plan = read(document)
    assert tree(plan) == [(0, "", "Axe un"), (1, "1.", "Recruter"), (0, "", "Axe deux"), (1, "1.", "Former")]


def plan_words(plan: ParsedPlan) -> set[str]:
    found = " ".join(
        [plan.title, plan.preamble, *plan.levels]
        + [" ".join((item.code, item.label, item.title, item.body)) for _depth, item in plan.walk()]
        + [anomaly.text for anomaly in plan.anomalies]
    )
    return set(re.findall(r"\w+", found))


def document_words(document) -> set[str]:
    source = (
        " ".join(p.text for p in document.paragraphs)
        + " "
        + " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    )
    return set(re.findall(r"\w+", source))


def test_every_word_of_a_word_document_ends_up_in_the_plan() -> None:
    document = docx.Document()
    document.add_paragraph("Plan d'action", style="Title")
    document.add_paragraph("Un mot d'introduction.")
    document.add_heading("Axe 1 : Gouvernance", 1)
    document.add_paragraph("Recruter des administrateurs", style="List Number")
    document.add_paragraph("Former le conseil", style="List Bullet 2")
    document.add_paragraph("Une note libre.")
    table = document.add_table(rows=2, cols=3)
    columns = [("Code", "1.2"), ("Intitulé", "Clarifier les rôles"), ("Échéance", "mars")]
    for column, (head, value) in enumerate(columns):
        table.cell(0, column).text, table.cell(1, column).text = head, value
    second = document.add_table(rows=2, cols=2)
    second.cell(0, 0).text, second.cell(0, 1).text = "Orientations", "Actions"
    second.cell(1, 0).text, second.cell(1, 1).text = "1.3 Mobiliser", "1.3.1 Organiser des événements"
    plan = read(document)
    assert document_words(document) <= plan_words(plan)


STYLES = [
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "List Number",
    "List Number 2",
    "List Bullet",
    "List Bullet 2",
    "List Continue",
    "List Paragraph",
]
PIECES = st.sampled_from(list("ab Z19.-:•\t") + ["Axe 1 : ", "1.1 ", "A. "])
TEXTS = st.lists(PIECES, max_size=12).map("".join)
BLOCKS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(STYLES), TEXTS),
        st.lists(st.lists(TEXTS, min_size=1, max_size=3), min_size=1, max_size=3),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(BLOCKS)
def test_any_word_document_is_read_without_losing_a_word(blocks) -> None:
    document = docx.Document()
    for block in blocks:
        if isinstance(block, tuple):
            document.add_paragraph(block[1], style=block[0])
            continue
        table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
        for row_number, row in enumerate(block):
            for column, text in enumerate(row):
                table.cell(row_number, column).text = text
    try:
        plan = read(document)
    except ImportFailure as failure:
        assert "plan.docx" in str(failure)
        return
    assert document_words(document) <= plan_words(plan)
