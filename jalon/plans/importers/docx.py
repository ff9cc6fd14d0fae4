"""Word documents (.docx), read with python-docx and placed by the outline importer's rules.

What is read, in document order:
- The "Title" paragraph ("Titre" in French Word) is the plan title; "Heading N" ("Titre N")
  paragraphs are headings of level N, their numbering, if any, as their code.
- List paragraphs are items, nested by their numbering level (`w:numPr/w:ilvl`) or, for a
  list style without one, by the style's number ("List Number 2" is one level below "List
  Number"). A numbered paragraph's code is the number Word shows: counted per list
  definition, deeper levels restarting when a shallower one moves on, "restart numbering"
  honoured, written by the level's pattern ("%1.%2." gives "1.2.").
- Other paragraphs are read as lines of an outline: a typed code ("1.1 Renforcer", "Axe 1
  : ...") or a typed bullet makes an item; anything else, and a table of contents, is
  text that goes to the body of the item above (to the preamble before the first item).
- Tables: a table with a column of codes is read one row per item (code, title, and the
  other cells in the body as "Header: value"); any other table is read cell by cell,
  row by row, each paragraph as above, a first row of short names giving the level names
  (the seed's "Orientations | Actions").
- Hyperlinks are kept as Markdown links, "[text](url)", so that no address is lost.
Text in text boxes, headers, footers, footnotes and comments is not read.

Line numbers: a Word file has no lines, so an item's "line" is the number of its
paragraph, counting from 1 every paragraph of the document in order, empty ones and those
inside table cells (row by row, cell by cell) included."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from django.utils.translation import gettext as _
from docx.opc.exceptions import OpcError
from lxml import etree

from jalon.lib.text import fold

from .base import Anomaly, ParsedPlan
from .outline.plan import finish_plan, levels_from_labels, take_title
from .outline.tokens import ItemText, Token, read_item_text, read_line
from .outline.tree import UNDER_EVERYTHING, build_tree
from .source import Source

FORMAT = "docx"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A Word file unpacks to far more than its size, but no plan unpacks to more than this.
MAX_UNPACKED_BYTES = 200_000_000
LEVEL_WIDTH = 4  # the indentation given to one numbering level, in outline columns

HEADING_STYLE = re.compile(r"^(?:heading|titre|título|titolo|überschrift|kop)\s*(?P<level>[1-9])$", re.I)
TITLE_STYLES = ("title", "titre", "título", "titolo", "titel")
# A table of contents repeats the headings: its lines are text, never items.
CONTENTS_STYLE = re.compile(r"^(?:toc|tm|table des matières)\s*\d*$|^toc heading$", re.I)
LIST_STYLE = re.compile(r"^(?:list|liste)\b.*?(?P<number>[2-9])?$", re.I)
BULLET_STYLE = re.compile(r"bullet|puce", re.I)
NUMBER_STYLE = re.compile(r"number|numéro", re.I)
BARE_CODE = re.compile(r"^(?:[0-9]{1,3}(?:\.[0-9]{1,3})*\.?|[A-Za-z](?:\.[0-9]{1,3})*[.)]?|[IVXLC]{1,6}\.?)$")
TITLE_HEADERS = ("titre", "title", "intitule", "action", "actions", "libelle")  # folded
# Elements that hold runs or paragraphs of their own: tracked insertions, content controls...
CONTAINERS = {
    W + name for name in ("ins", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml", "moveTo")
}
DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, OpcError, etree.XMLSyntaxError)


def sniff(source: Source, format: str) -> bool:
    """A Word file is a zip archive holding word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def parse(source: Source, format: str) -> ParsedPlan:
    document = open_document(source)
    reader = Reader(document)
    tokens = list(reader.tokens())
    plan = ParsedPlan(title=reader.title, format=FORMAT, anomalies=reader.anomalies)
    if not plan.title:
        plan.title = take_title(tokens) or (document.core_properties.title or "").strip()
    build_tree(plan, tokens, source)
    finish_plan(plan, source, levels=_levels(plan, reader.header_levels))
    return plan


def open_document(source: Source) -> Any:
    """Return the python-docx Document, or refuse a damaged file plainly."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise source.fail(_("this Word file unpacks to more than any plan needs; it was not read."))
        return docx.Document(io.BytesIO(source.data))
    except DAMAGED as error:
        raise source.fail(
            _("this Word file is damaged or truncated; Jalon cannot open it (%(reason)s).")
            % {"reason": error.__class__.__name__}
        ) from error


def _levels(plan: ParsedPlan, header_levels: dict[int, str]) -> list[str]:
    """Return the level names of the tables' header rows, else those written on items."""
    levels = levels_from_labels(plan)
    for depth, name in sorted(header_levels.items()):
        while len(levels) <= depth:
            levels.append("")
        levels[depth] = name  # labels stay on their items; a header names the whole level
    return levels


# ---------------------------------------------------------------------------------------
# Paragraph text


def paragraph_text(paragraph: Any, rels: Any) -> str:
    """Return the paragraph's text as Word shows it, links as "[text](url)"."""
    parts: list[str] = []
    for child in paragraph.iterchildren():
        if child.tag == W + "r":
            parts.append(_run_text(child))
        elif child.tag == W + "hyperlink":
            parts.append(_hyperlink(child, rels))
        elif child.tag in CONTAINERS:
            parts.append(paragraph_text(child, rels))
    return "".join(parts)


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run.iterchildren():
        if child.tag == W + "t":
            parts.append(child.text or "")
        elif child.tag == W + "tab":
            parts.append("\t")
        elif child.tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif child.tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _hyperlink(element: Any, rels: Any) -> str:
    text = paragraph_text(element, rels)
    url = ""
    relation = rels.get(element.get(R_ID) or "")
    if relation is not None and relation.is_external:
        url = relation.target_ref
    anchor = element.get(W + "anchor")
    if anchor:
        url = f"{url}#{anchor}"
    return f"[{text}]({url})" if url and text.strip() else text


# ---------------------------------------------------------------------------------------
# Styles and numbering


@dataclass(frozen=True)
class Style:
    name: str
    num_id: str | None = None
    ilvl: int | None = None
    based_on: str | None = None


def read_styles(document: Any) -> tuple[dict[str, Style], str]:
    """Return the paragraph styles by id, numbering inherited, and the default style's id."""
    raw: dict[str, Style] = {}
    default = ""
    for element in document.styles.element.iterchildren(W + "style"):
        style_id = element.get(W + "styleId") or ""
        name = element.find(W + "name")
        based_on = element.find(W + "basedOn")
        num_id, ilvl = _numbering_properties(element.find(W + "pPr"))
        raw[style_id] = Style(
            name.get(W + "val") if name is not None else style_id,
            num_id,
            ilvl,
            based_on.get(W + "val") if based_on is not None else None,
        )
        if element.get(W + "type") == "paragraph" and element.get(W + "default") in ("1", "true"):
            default = style_id
    return {style_id: _inherit(raw, style_id) for style_id in raw}, default


def _inherit(styles: dict[str, Style], style_id: str) -> Style:
    style = styles[style_id]
    num_id, ilvl, seen = style.num_id, style.ilvl, {style_id}
    parent = style.based_on
    while num_id is None and parent in styles and parent not in seen:
        seen.add(parent)
        num_id, ilvl = styles[parent].num_id, styles[parent].ilvl
        parent = styles[parent].based_on
    return Style(style.name, num_id, ilvl, style.based_on)


def _numbering_properties(properties: Any) -> tuple[str | None, int | None]:
    if properties is None:
        return None, None
    numbering = properties.find(W + "numPr")
    if numbering is None:
        return None, None
    num_id = numbering.find(W + "numId")
    ilvl = numbering.find(W + "ilvl")
    return (
        num_id.get(W + "val") if num_id is not None else None,
        _int(ilvl.get(W + "val")) if ilvl is not None else None,
    )


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@dataclass(frozen=True)
class Level:
    format: str
    pattern: str
    start: int


@dataclass
class Numbering:
    """Word's list counters, kept as Word keeps them to show "1.2." beside a paragraph."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # by abstract list
    lists: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def is_bullet(self, num_id: str, ilvl: int) -> bool:
        level = self._level(num_id, ilvl)
        return level is not None and level.format == "bullet"

    def abstract(self, num_id: str) -> str:
        return self.lists.get(num_id, (num_id, {}))[0]

    def next_number(self, num_id: str, ilvl: int) -> str:
        """Count one more paragraph of this list at this level; return the number shown."""
        abstract, overrides = self.lists.get(num_id, (num_id, {}))
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            # "Restart numbering" in Word makes a new list whose overrides apply once.
            self.started.add(num_id)
            for position, start in overrides.items():
                _set_counter(counters, position, start - 1)
        level = self._level(num_id, ilvl)
        start = level.start if level else 1
        _set_counter(counters, ilvl, counters[ilvl] + 1 if ilvl in counters else start)
        if level is None or level.format in ("bullet", "none"):
            return ""
        return self._shown(abstract, ilvl)

    def _level(self, num_id: str, ilvl: int) -> Level | None:
        return self.levels.get(self.abstract(num_id), {}).get(ilvl)

    def _shown(self, abstract: str, ilvl: int) -> str:
        levels, counters = self.levels.get(abstract, {}), self.counters[abstract]

        def number(match: re.Match[str]) -> str:
            position = int(match[1]) - 1
            definition = levels.get(position)
            value = counters.get(position, definition.start if definition else 1)
            return format_number(value, definition.format if definition else "decimal")

        return re.sub(r"%([1-9])", number, levels[ilvl].pattern).strip()


def _set_counter(counters: dict[int, int], position: int, value: int) -> None:
    """Set a level's counter; the deeper levels start again from their first number."""
    counters[position] = value
    for deeper in [key for key in counters if key > position]:
        del counters[deeper]


def read_numbering(document: Any) -> Numbering:
    numbering = Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return numbering
    for abstract in root.iterchildren(W + "abstractNum"):
        levels = numbering.levels.setdefault(abstract.get(W + "abstractNumId") or "", {})
        for level in abstract.iterchildren(W + "lvl"):
            levels[_int(level.get(W + "ilvl"))] = Level(
                _child_value(level, "numFmt") or "decimal",
                _child_value(level, "lvlText") or "",
                _int(_child_value(level, "start"), 1),
            )
    for num in root.iterchildren(W + "num"):
        overrides = {
            _int(override.get(W + "ilvl")): _int(_child_value(override, "startOverride"), 1)
            for override in num.iterchildren(W + "lvlOverride")
            if override.find(W + "startOverride") is not None
        }
        numbering.lists[num.get(W + "numId") or ""] = (_child_value(num, "abstractNumId") or "", overrides)
    return numbering


def _child_value(element: Any, name: str) -> str | None:
    child = element.find(W + name)
    return child.get(W + "val") if child is not None else None


def format_number(value: int, style: str) -> str:
    """Return a counter as Word writes it in the given format ("upperRoman" → "IV")."""
    if style in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else str(value)
        return letter.upper() if style == "upperLetter" else letter
    if style in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if style == "upperRoman" else roman.lower()
    if style == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    result = ""
    for amount, numeral in numerals:
        while value >= amount:
            result += numeral
            value -= amount
    return result


# ---------------------------------------------------------------------------------------
# From paragraphs and tables to outline tokens


@dataclass
class Paragraph:
    line: int
    element: Any


@dataclass
class Table:
    rows: list[list[list[Paragraph]]]  # rows of cells of paragraphs


class Reader:
    """Walk the document once, numbering paragraphs, and turn them into outline tokens."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.rels = document.part.rels
        self.styles, self.default_style = read_styles(document)
        self.numbering = read_numbering(document)
        self.title = ""
        self.header_levels: dict[int, str] = {}
        self.anomalies: list[Anomaly] = []
        self.lines = 0
        self.seen_items = False

    def tokens(self) -> Iterator[Token]:
        for block in list(self._blocks(self.document.element.body)):
            if isinstance(block, Table):
                yield from self._table(block)
            else:
                yield from self._paragraph(block)

    def _blocks(self, container: Any) -> Iterator[Paragraph | Table]:
        for child in container.iterchildren():
            if child.tag == W + "p":
                self.lines += 1
                yield Paragraph(self.lines, child)
            elif child.tag == W + "tbl":
                yield self._read_table(child)
            elif child.tag in CONTAINERS:
                yield from self._blocks(child)

    def _read_table(self, table: Any) -> Table:
        rows = []
        for row in table.iterchildren(W + "tr"):
            rows.append([self._cell_paragraphs(cell) for cell in row.iterchildren(W + "tc")])
        return Table(rows)

    def _cell_paragraphs(self, cell: Any) -> list[Paragraph]:
        # A table inside a cell is read as that cell's paragraphs, in order.
        paragraphs: list[Paragraph] = []
        for block in self._blocks(cell):
            if isinstance(block, Table):
                paragraphs += [p for row in block.rows for cell_ in row for p in cell_]
            else:
                paragraphs.append(block)
        return paragraphs

    def text(self, paragraph: Paragraph) -> str:
        return paragraph_text(paragraph.element, self.rels).strip()

    def _paragraph(self, paragraph: Paragraph) -> Iterator[Token]:
        text = self.text(paragraph)
        style = self._style(paragraph)
        token = self._classify(paragraph, text, style)
        if token is not None:
            self.seen_items = self.seen_items or token.kind in ("item", "heading")
            yield token
        yield Token("blank", paragraph.line)

    def _style(self, paragraph: Paragraph) -> Style:
        properties = paragraph.element.find(W + "pPr")
        style_element = properties.find(W + "pStyle") if properties is not None else None
        style_id = style_element.get(W + "val") if style_element is not None else self.default_style
        style = self.styles.get(style_id or "", Style(style_id or ""))
        num_id, ilvl = _numbering_properties(properties)
        if num_id is None:
            return style
        return Style(style.name, num_id, ilvl if ilvl is not None else style.ilvl)

    def _classify(self, paragraph: Paragraph, text: str, style: Style) -> Token | None:
        heading = HEADING_STYLE.match(style.name)
        if style.name.casefold() in TITLE_STYLES and text and not self.title:
            self.title = text
            return None
        if heading:
            return self._heading(paragraph, text, style, int(heading["level"]))
        if style.num_id not in (None, "0") or LIST_STYLE.match(style.name):
            list_item = self._list_item(paragraph, text, style)
            if list_item is not None:
                return list_item
        if not text:
            return None
        if CONTENTS_STYLE.match(style.name):
            return Token("text", paragraph.line, UNDER_EVERYTHING, text, text)
        return self._typed(paragraph, text)

    def _heading(self, paragraph: Paragraph, text: str, style: Style, level: int) -> Token | None:
        number = self._number(style)
        if not text and not number:
            return None
        item = _numbered(number, text) if number else read_item_text(text, "heading")
        return _token("heading", paragraph.line, item, level=level)

    def _list_item(self, paragraph: Paragraph, text: str, style: Style) -> Token | None:
        numbered = style.num_id not in (None, "0")
        number = self._number(style)
        if not text and not number:
            return None
        depth = style.ilvl if numbered and style.ilvl else _style_depth(style.name)
        bullet = (
            self.numbering.is_bullet(style.num_id or "", style.ilvl or 0)
            if numbered
            else bool(BULLET_STYLE.search(style.name))
        )
        if not numbered and not bullet and not NUMBER_STYLE.search(style.name):
            return None  # "List Continue", "List 2": indented text, not items
        item = _numbered(number, text) if number else read_item_text(text, "bullet")
        token = _token("item", paragraph.line, item, marker="•" if bullet else "")
        token.indent = depth * LEVEL_WIDTH
        token.content_column = token.indent + 2
        list_id = self.numbering.abstract(style.num_id or "") if numbered else style.name
        token.nesting_kind = f"list {list_id} {'bullet' if bullet else 'number'}"
        return token

    def _number(self, style: Style) -> str:
        if style.num_id in (None, "0"):
            return ""
        return self.numbering.next_number(style.num_id or "", style.ilvl or 0)

    def _typed(self, paragraph: Paragraph, text: str) -> Token:
        """Read a paragraph that no style makes an item as an outline line would be read."""
        first, _newline, rest = text.partition("\n")
        token = read_line(first, paragraph.line)
        if token.kind == "item":
            token.indent = 0
            token.content_column = 0
            token.title = "\n".join(filter(None, (token.title, rest)))
            return token
        return Token("text", paragraph.line, UNDER_EVERYTHING, text, text)

    def _table(self, table: Table) -> Iterator[Token]:
        rows = [row for row in table.rows if any(self.text(p) for cell in row for p in cell)]
        if not rows:
            return
        code_column = self._code_column(rows)
        if code_column is not None:
            yield from self._table_rows(rows, code_column)
            return
        if self._is_header(rows[0]) and len(rows) > 1:
            if not self._name_levels(rows[0]):
                self._unplaced(rows[0])
            rows = rows[1:]
        for row in rows:
            for cell in row:
                for paragraph in cell:
                    yield from self._paragraph(paragraph)

    def _cell_text(self, cell: list[Paragraph]) -> str:
        return "\n".join(text for text in (self.text(p) for p in cell) if text)

    def _code_column(self, rows: list[list[list[Paragraph]]]) -> int | None:
        """Return the first column most of whose cells are a code alone, if any."""
        body = rows[1:] if len(rows) > 1 else rows
        width = max(len(row) for row in body)
        for column in range(width if width > 1 else 0):
            cells = [self._cell_text(row[column]) for row in body if column < len(row)]
            filled = [cell for cell in cells if cell]
            codes = [cell for cell in filled if BARE_CODE.match(cell)]
            if codes and len(codes) >= 0.6 * len(filled):
                return column
        return None

    def _table_rows(self, rows: list[list[list[Paragraph]]], code_column: int) -> Iterator[Token]:
        header = None
        first = rows[0][code_column] if code_column < len(rows[0]) else []
        if not BARE_CODE.match(self._cell_text(first)) and len(rows) > 1:
            # The header names the columns; kept as text, since its words go nowhere else.
            self._unplaced(rows[0])
            header, rows = [self._cell_text(cell) for cell in rows[0]], rows[1:]
        title_column = self._title_column(rows, code_column, header)
        for row in rows:
            token = self._row_token(row, code_column, title_column, header)
            if token is not None:
                self.seen_items = True
                yield token
                yield Token("blank", token.line)

    def _title_column(
        self, rows: list[list[list[Paragraph]]], code_column: int, header: list[str] | None
    ) -> int:
        width = max(len(row) for row in rows)
        candidates = [column for column in range(width) if column != code_column]
        if header:
            for column in candidates:
                if column < len(header) and fold(header[column]).strip(" :") in TITLE_HEADERS:
                    return column
        lengths = {
            column: sum(len(self._cell_text(row[column])) for row in rows if column < len(row))
            for column in candidates
        }
        return max(candidates, key=lambda column: (lengths[column], -column))

    def _row_token(
        self, row: list[list[Paragraph]], code_column: int, title_column: int, header: list[str] | None
    ) -> Token | None:
        texts = [self._cell_text(cell) for cell in row]
        if not any(texts):
            return None
        paragraphs = [p for cell in row for p in cell]
        code = texts[code_column] if code_column < len(texts) else ""
        title, _newline, more = (texts[title_column] if title_column < len(texts) else "").partition("\n")
        body = [more] if more else []
        for column, text in enumerate(texts):
            if text and column not in (code_column, title_column):
                name = header[column] if header and column < len(header) and header[column] else ""
                body.append(f"{name}: {text}" if name else text)
        token = _token("item", paragraphs[0].line, ItemText(code.strip(), "", title.strip()))
        token.body = "\n".join(body)
        # A row's code nests with typed codes by its parts; a row without one is its own kind.
        token.nesting_kind = "" if token.code else "table row"
        token.line_end = paragraphs[-1].line
        return token

    def _is_header(self, row: list[list[Paragraph]]) -> bool:
        texts = [self._cell_text(cell) for cell in row]
        return len(texts) >= 2 and all(
            text and len(text.split()) <= 4 and read_line(text, 0).kind == "text" for text in texts
        )

    def _name_levels(self, row: list[list[Paragraph]]) -> bool:
        """Take a header row's names as the names of the levels below what came before the
        table (the axis); return False when other names were already taken for them."""
        offset = 1 if self.seen_items else 0
        names = {offset + column: self._cell_text(cell) for column, cell in enumerate(row)}
        if any(self.header_levels.get(depth, name) != name for depth, name in names.items()):
            return False
        self.header_levels.update(names)
        return True

    def _unplaced(self, row: list[list[Paragraph]]) -> None:
        paragraphs = [p for cell in row for p in cell]
        text = " | ".join(self._cell_text(cell) for cell in row)
        self.anomalies.append(Anomaly("unplaced_text", line=paragraphs[0].line, text=text))


def _numbered(number: str, text: str) -> ItemText:
    """Return the item of a paragraph Word numbers itself: the number is its code."""
    read = read_item_text(f"{number} {text}", "heading")
    if (read.code or read.label) and read.title == text.strip():
        return read  # a pattern such as "Axe %1 :" also names the level
    return ItemText(number, "", text.strip())


def _style_depth(name: str) -> int:
    match = LIST_STYLE.match(name)
    return int(match["number"]) - 1 if match and match["number"] else 0


def _token(kind: str, line: int, item: ItemText, **extra: Any) -> Token:
    token = Token(kind, line, code=item.code, label=item.label, title=item.title, explicit=item.explicit)
    for name, value in extra.items():
        setattr(token, name, value)
    return token
