"""The report as a Word document (python-docx): headings by level, a table per action.

python-docx cannot embed SVG, so the DOCX gives the charts' figures as tables and says
so; the Markdown of the updates is written as plain text."""

from __future__ import annotations

import html
import io

from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from jalon.tracking.markdown import render_markdown

from .model import IndicatorEntry, Report, Section, Step

MAX_HEADING = 4


def plain_text(markdown: str) -> str:
    """Return the text of an update without its Markdown marks."""
    return html.unescape(strip_tags(render_markdown(markdown))).strip()


def render_docx(report: Report, *, step: Step | None = None) -> bytes:
    """Return the DOCX file; `step` is told of each axis as it is written."""
    with translation.override(report.language):
        document = Document()
        _page_setup(document, report)
        _cover(document, report)
        _summary(document, report)
        for section in report.sections:
            if step is not None and section.depth == 0:
                step(f"{section.code} {section.title}"[:40])
            _section(document, section)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


# python-docx resolves a style given by name through a scan of every style for each
# paragraph or table (seconds on a plan of 1,000 actions): set the style's id directly.
def _heading(document: DocxDocument, text: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.style = document.styles[f"Heading {level}"].style_id


def _table(document: DocxDocument, rows: int, cols: int) -> Table:
    table = document.add_table(rows=rows, cols=cols)
    table._tbl.tblPr.style = document.styles["Table Grid"].style_id
    return table


def _field(paragraph: Paragraph, instruction: str) -> None:
    # A Word field (PAGE, NUMPAGES) computed by the word processor when it lays out the pages.
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _page_setup(document: DocxDocument, report: Report) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    header = section.header.paragraphs[0]
    header.text = report.cover.plan_title
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = report.cover.plan_title
    document.core_properties.language = report.language


def _cover(document: DocxDocument, report: Report) -> None:
    cover = report.cover
    if cover.organisation:
        document.add_paragraph(cover.organisation)
    document.add_paragraph(_("Annual progress report"))
    document.add_heading(cover.plan_title, level=0)
    rows = []
    if cover.period:
        rows.append((_("Plan period"), cover.period))
    rows.append(
        (
            _("Period covered"),
            _("From %(start)s to %(end)s") % {"start": cover.date_from, "end": cover.date_to},
        )
    )
    rows.append((_("Produced on"), cover.produced_on))
    _facts(document, rows)
    document.add_page_break()


def _facts(document: DocxDocument, rows: list[tuple[str, str]]) -> None:
    table = _table(document, 0, 2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
        cells[0].width, cells[1].width = Mm(50), Mm(124)


def _grid(
    document: DocxDocument, heads: list[str], rows: list[list[str]], widths: list[int] | None = None
) -> None:
    table = _table(document, 1, len(heads))
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    for table_row in table.rows if widths else []:
        # Word reads the widths of the cells, not of the columns.
        for cell, width in zip(table_row.cells, widths or [], strict=True):
            cell.width = Mm(width)


def _summary(document: DocxDocument, report: Report) -> None:
    summary = report.summary
    document.add_heading(_("Summary"), level=1)
    document.add_paragraph(
        _("%(actions)s actions, %(progress)s %% done on average (cancelled actions left out).")
        % {"actions": summary.actions, "progress": summary.progress}
    )
    document.add_paragraph(
        _(
            "This document gives the figures of the charts as tables; "
            "the charts are in the PDF and HTML reports."
        )
    )
    document.add_heading(_("Progress by axis"), level=2)
    _grid(
        document,
        [_("Axis"), _("Actions"), _("Progress")],
        [[f"{a.code} {a.title}".strip(), str(a.actions), f"{a.progress} %"] for a in summary.by_axis],
    )
    document.add_heading(_("Actions by status"), level=2)
    _grid(document, [_("Status"), _("Actions")], [[s.label, str(s.count)] for s in summary.statuses])
    document.add_heading(_("Budget"), level=2)
    if summary.budget:
        _grid(
            document,
            [_("Currency"), _("Planned"), _("Spent"), _("Spent (%)")],
            [
                [
                    b.currency,
                    b.planned,
                    b.spent,
                    f"{b.percent_spent} %" if b.percent_spent is not None else "—",
                ]
                for b in summary.budget
            ],
        )
    else:
        document.add_paragraph(_("No budget has been entered for this plan."))


def _section(document: DocxDocument, section: Section) -> None:
    if section.depth == 0:
        document.add_page_break()
    title = f"{section.code} {section.title}".strip()
    if section.level_label:
        title = f"{section.level_label} {title}"
    _heading(document, title, min(section.depth + 1, MAX_HEADING))
    if not section.is_action:
        document.add_paragraph(
            _("%(progress)s %% done on average over %(actions)s actions.")
            % {"progress": section.progress, "actions": section.actions}
        )
        return
    rows = [
        (_("Status"), section.status_label),
        (_("Progress"), f"{section.progress} %"),
        (_("Leads"), ", ".join(section.leads) or "—"),
    ]
    for label, names in (
        (_("Partners"), section.partners),
        (_("Places"), section.places),
        (_("Themes"), section.themes),
    ):
        if names:
            rows.append((label, ", ".join(names)))
    _facts(document, rows)
    if section.updates:
        # One table for the journal, not two paragraphs per update: python-docx inserts
        # each body paragraph after a search of the body, slow on a plan of 1,000 actions.
        _heading(document, _("Updates of the period"), 5)
        _grid(
            document,
            [_("Date"), _("Update")],
            [
                [
                    " · ".join(
                        part
                        for part in (update.date, update.author, update.status_label, update.progress)
                        if part
                    ),
                    plain_text(update.text),
                ]
                for update in section.updates
            ],
            widths=[55, 119],
        )
    for indicator in section.indicators:
        _indicator(document, indicator)


def _indicator(document: DocxDocument, indicator: IndicatorEntry) -> None:
    _heading(document, _("Indicator: %(title)s") % {"title": indicator.title}, 5)
    _facts(
        document,
        [
            (_("Result"), indicator.result),
            (_("Baseline"), indicator.baseline),
            (_("Target"), indicator.target),
            (_("Actual"), indicator.actual),
        ],
    )
    if indicator.figures:
        _grid(
            document,
            [_("Period"), _("Target"), _("Actual")],
            [[f.period, f.target, f.actual] for f in indicator.figures],
        )
