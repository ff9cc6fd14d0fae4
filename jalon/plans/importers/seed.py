"""A plan kept as a table saved as text: one row per line, cells split by tabs, several
paragraphs per cell marked with HTML <p>, a header row naming the columns' levels, axis
headings written "Axe stratégique 1 : ...", and rows whose first cell continues the title
above or is left empty. Alternatives' PLAN D'ACTION 2024-2025 is written this way."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .base import Anomaly, ParsedItem, ParsedPlan
from .common import period_from_text
from .source import Source

FORMAT = "seed"

# Only the marks a word processor leaves behind are removed; any other "<...>" is text.
MARKUP = re.compile(r"</?(?:p|br|span|div|b|i|u|em|strong|font|li|ul|ol)\b[^>]*>", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"</p>\s*<p\b[^>]*>|<br\s*/?>", re.IGNORECASE)
CODE = re.compile(r"^(?P<code>\d+(?:\.\d+)*\.?)(?:\s+|$)(?P<title>.*)$", re.DOTALL)
HEADING = re.compile(
    r"^(?P<label>[^\W\d_][^\W\d_'’ -]*(?:[ '’-][^\W\d_]+)*)\s+(?P<code>\d{1,3}|[IVXLC]+|[A-Z])"
    r"(?:\s*:|\s+[-–—.])\s*(?P<title>.+)$",
    re.DOTALL,
)


@dataclass
class Paragraph:
    text: str
    line: int
    column: int


@dataclass
class State:
    plan: ParsedPlan
    stack: list[ParsedItem] = field(default_factory=list)  # the open item at each depth
    marks: set[str] = field(default_factory=set)
    first_mark_line: int | None = None


def sniff(source: Source, format: str) -> bool:
    rows = [line.split("\t") for line in source.text.split("\n")[:200] if "\t" in line]
    coded = sum(1 for cells in rows if _is_item_row(cells))
    return coded >= 2


def _is_item_row(cells: list[str]) -> bool:
    first = clean(cells[0])
    return bool(CODE.match(first) or HEADING.match(first)) or any(
        CODE.match(clean(cell)) for cell in cells[1:]
    )


def parse(source: Source, format: str) -> ParsedPlan:
    state = State(plan=ParsedPlan(title="", format=FORMAT))
    for number, line in enumerate(source.text.split("\n"), start=1):
        if line.strip():
            _read_row(state, line, number)
    plan = state.plan
    if not plan.title:
        plan.title = source.name
    plan.period_start, plan.period_end = period_from_text(plan.title)
    if state.marks:
        plan.anomalies.insert(
            0,
            Anomaly(
                "markup",
                line=state.first_mark_line,
                params={"marks": ", ".join(sorted(state.marks))},
            ),
        )
    return plan


def _read_row(state: State, line: str, number: int) -> None:
    cells = line.split("\t")
    _note_markup(state, line, number)
    paragraphs = [
        Paragraph(text, number, column)
        for column, cell in enumerate(cells)
        for text in split_paragraphs(cell)
    ]
    if not paragraphs:
        return
    if not state.plan.items and not state.stack and _is_title_row(state, cells):
        return
    if _is_header_row(state, paragraphs):
        return
    first_cell_empty = not clean(cells[0])
    if first_cell_empty and state.stack:
        _attach_to_current(state, paragraphs[0])
    for paragraph in paragraphs:
        _place(state, paragraph)


def _is_title_row(state: State, cells: list[str]) -> bool:
    texts = [clean(cell) for cell in cells if clean(cell)]
    if len(texts) != 1 or HEADING.match(texts[0]) or CODE.match(texts[0]):
        return False
    plan = state.plan
    if plan.title:
        plan.preamble = f"{plan.preamble}\n{texts[0]}".strip()
    else:
        plan.title = texts[0]
    return True


def _is_header_row(state: State, paragraphs: list[Paragraph]) -> bool:
    """A row of level names ("Orientations / Actions") names the levels of its columns."""
    if (
        len(paragraphs) < 2
        or len(state.plan.levels) > 1
        or any(item.children for item in state.plan.items)
        or any(CODE.match(p.text) or HEADING.match(p.text) or len(p.text.split()) > 3 for p in paragraphs)
    ):
        return False
    depth = len(state.stack[:1])  # the header sits under the axis heading, naming what follows
    levels = state.plan.levels
    while len(levels) < depth + len(paragraphs):
        levels.append("")
    for offset, paragraph in enumerate(paragraphs):
        levels[depth + offset] = paragraph.text
    return True


def _attach_to_current(state: State, paragraph: Paragraph) -> None:
    """Report a row whose first cell is empty: its items join the open item above."""
    above = state.stack[-2] if len(state.stack) > 1 else state.stack[-1]
    state.plan.anomalies.append(
        Anomaly(
            "attached_text",
            line=paragraph.line,
            code=above.code,
            text=paragraph.text,
            params={"code": above.code or above.title[:40]},
            item=above,
        )
    )


def _place(state: State, paragraph: Paragraph) -> None:
    heading = HEADING.match(paragraph.text)
    coded = CODE.match(paragraph.text)
    if heading and paragraph.column == 0:
        item = ParsedItem(code=heading["code"], title=heading["title"].strip(), label=heading["label"])
        _open(state, item, depth=0, line=paragraph.line)
        if not state.plan.levels:
            state.plan.levels.append(heading["label"])
        elif not state.plan.levels[0]:
            state.plan.levels[0] = heading["label"]
    elif coded:
        code = coded["code"]
        depth = min(code.rstrip(".").count("."), len(state.stack))
        _open(state, ParsedItem(code=code, title=coded["title"].strip()), depth, paragraph.line)
    elif paragraph.column == 0 and state.stack:
        _continue_title(state, paragraph)
    elif state.stack:
        depth = min(paragraph.column + 1, len(state.stack))
        _open(state, ParsedItem(code="", title=paragraph.text), depth, paragraph.line)
    else:
        state.plan.anomalies.append(Anomaly("unplaced_text", line=paragraph.line, text=paragraph.text))


def _open(state: State, item: ParsedItem, depth: int, line: int) -> None:
    item.line_start = item.line_end = line
    del state.stack[depth:]
    siblings = state.stack[-1].children if state.stack else state.plan.items
    siblings.append(item)
    state.stack.append(item)


def _continue_title(state: State, paragraph: Paragraph) -> None:
    """A first cell with no code finishes the title of the item opened in that column."""
    item = _deepest_first_column_item(state)
    item.title = f"{item.title} {paragraph.text}".strip()
    item.line_end = paragraph.line
    state.plan.anomalies.append(
        Anomaly(
            "joined_text",
            line=paragraph.line,
            code=item.code,
            text=paragraph.text,
            params={"code": item.code, "line": paragraph.line},
            item=item,
        )
    )
    del state.stack[item_depth(state, item) + 1 :]


def _deepest_first_column_item(state: State) -> ParsedItem:
    # Items of the first column are the axes and orientations, never the actions.
    return state.stack[1] if len(state.stack) > 1 else state.stack[0]


def item_depth(state: State, item: ParsedItem) -> int:
    return next(depth for depth, open_item in enumerate(state.stack) if open_item is item)


def _note_markup(state: State, line: str, number: int) -> None:
    for mark in MARKUP.findall(line):
        state.marks.add(re.sub(r"\s.*", ">", mark.lower()).rstrip(">") + ">")
        if state.first_mark_line is None:
            state.first_mark_line = number


def split_paragraphs(cell: str) -> list[str]:
    parts = PARAGRAPH_BREAK.split(cell)
    return [text for text in (clean(part) for part in parts) if text]


def clean(text: str) -> str:
    """Return the cell's words without markup, entities decoded and spaces collapsed."""
    return " ".join(html.unescape(MARKUP.sub(" ", text)).split())
