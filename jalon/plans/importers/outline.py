"""Markdown and plain-text outlines: headings, numbered and bulleted lists, nested by
heading level, then by indentation, then by numbering ("1.1.1" under "1.1").

How a file is read:
- YAML front matter (between "---" lines) gives the title, the period ("2024-2025", or
  period_start and period_end dates), the language and the level names; its other lines
  go to the preamble.
- A heading is "#" to "######", or a paragraph underlined with "===" or "---".
- An item is a heading, a bullet ("-", "*", "+", "•", "–"), a numbered line ("1.", "1)",
  "(a)", "1.1", "1.1.1.", "A.", "A.1", "IV.") or a line that names its level ("Axe 1 :
  ...", "Objectif 2 - ..."; the name is kept as the item's label). Codes are kept as
  written ("1." keeps its dot). After a bullet, only a code holding a digit is a code.
- Nesting: a heading goes under the nearest shallower heading; a list item goes under the
  innermost heading, then under the list item it is indented under. At the same
  indentation "1.1.1" goes under "1.1", a new kind of marker ("a." after "1.") goes under
  the item above it, and a kind already open ("2." after "1." and its "a.") closes what was
  opened since. Numbering restarts freely under each heading.
- Lines that follow an item without a blank line continue its title (hard-wrapped text).
  A paragraph after a blank line goes to the body of the list item it is indented under,
  or of the heading above while that heading has no item yet; any other paragraph is
  attached to the last item and reported as "attached_text".
- Text before the first item is the preamble. The plan title is the front matter's, else
  the only top-level heading when it opens the document, else the first line when it is
  not an item, else the file name.
- An item line may end with `{code="…" label="…" title_en="…"}` (JSON strings): the code
  and label are then those, and the text before is the title exactly, with <br> for a line
  break and HTML entities read ("&lt;" is "<"); `title_en` alone gives the English title
  and leaves the line read as usual.
  Jalon's Markdown export writes this only when a plain line would not read back the same.
- A line starting with a backslash followed by something that would read as an item or a
  heading is text; the backslash is dropped (the export escapes body lines so).
Line numbers are the file's, from 1."""

from __future__ import annotations

import datetime
import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from jalon.lib.text import fold

from .base import Anomaly, ImportFailure, ParsedItem, ParsedPlan
from .checks import MAX_REPORTED_GAP, ROMAN, code_ordinal, last_segment, normalise_code
from .common import period_from_text
from .limits import MAX_DEPTH
from .source import Source

FORMAT = "outline"
EXTENSIONS = ("md", "markdown", "mdown", "mkd", "txt", "text")

TAB_WIDTH = 4
# Indentation given to text that always belongs to the item above (Word paragraphs).
UNDER_EVERYTHING = 10**6

BULLETS = "-*+•–—·▪◦‣►"
ATX = re.compile(r"^(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
BULLET = re.compile(rf"^(?P<marker>[{re.escape(BULLETS)}])(?:[ \t]+(?P<text>.*))?$")
RULE = re.compile(r"^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,})$")
UNDERLINE = re.compile(r"^(?:=+|-+)[ \t]*$")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")

_SEGMENT = r"(?:[0-9]{1,3}|[A-Za-z]|[IVXLCDM]{2,7}|[ivxlcdm]{2,7})"
_CODE = rf"\({_SEGMENT}\)|{_SEGMENT}(?:\.{_SEGMENT})+[.)]?|{_SEGMENT}[.)]"
CODE = re.compile(rf"^(?P<code>{_CODE})(?:[ \t]+(?P<text>.*))?$", re.DOTALL)
# "1 - Title" and "1 : Title" are codes in a heading only: a line may start with a number.
HEADING_NUMBER = re.compile(r"^(?P<code>[0-9]{1,3})(?:[ \t]*:|[ \t]+[-–—])(?:[ \t]+(?P<text>.*))?$")
# "1 Consolider" is a code and a title; "3 reprises" and "12 organisations ont..." are prose.
BARE_NUMBER = re.compile(r"^(?P<code>[0-9]{1,2})[ \t]+(?P<text>[^\W\d_].*)$", re.DOTALL)
_LABEL = r"(?P<label>[^\W\d_][^\W\d_'’-]*(?:[ \t]+[^\W\d_][^\W\d_'’-]*){0,2})"
_LABEL_CODE = r"(?P<code>[0-9]{1,3}(?:\.[0-9]{1,3})*\.?|[A-Z](?:\.[0-9]{1,3})*\.?|[IVXLCDM]{2,7}\.?)"
LABELLED = re.compile(rf"^{_LABEL}[ \t]+{_LABEL_CODE}(?:[ \t]*:|[ \t]+[-–—])[ \t]*(?P<text>.*)$")
LABELLED_HEADING = re.compile(rf"^{_LABEL}[ \t]+{_LABEL_CODE}(?:(?:[ \t]*:|[ \t]+[-–—])[ \t]*(?P<text>.*))?$")
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
ATTRIBUTES = re.compile(
    rf"[ \t]*\{{(?P<pairs>(?:[ \t]*(?:code|label|title_en)={_JSON_STRING})+)[ \t]*\}}[ \t]*$"
)
ATTRIBUTE = re.compile(rf"(?P<name>code|label|title_en)=(?P<value>{_JSON_STRING})")
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)

FRONT_MATTER_FENCES = ("---", "...")
FRONT_MATTER_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$")
FRONT_MATTER_LINES = 200
TITLE_KEYS = ("title", "titre")
PERIOD_KEYS = ("period", "période", "periode")
LANGUAGE_KEYS = ("language", "lang", "langue")
LEVEL_KEYS = ("levels", "niveaux")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

FRENCH_WORDS = frozenset(
    "le la les des du de et pour dans une un est sur avec au aux qui que par nos notre leur"
    " leurs ce ces en sont ou pas plus".split()
)
ENGLISH_WORDS = frozenset(
    "the and of to in for with on is by our an from this that are be their it its or not more".split()
)


# ---------------------------------------------------------------------------------------
# Lines


@dataclass
class Token:
    """One line of the source, read on its own: what it would be if nothing came before."""

    kind: str  # "blank", "rule", "heading", "item", "text", or "title" once used as such
    line: int
    indent: int = 0
    content: str = ""  # the line without its indentation nor trailing spaces
    raw: str = ""  # the line as text, escape removed, trailing spaces removed
    level: int = 0  # heading level, 1 to 6
    marker: str = ""  # the bullet, for bulleted items
    code: str = ""
    label: str = ""
    title: str = ""
    explicit: bool = False  # code and label given in {code="..."}
    title_en: str = ""
    content_column: int = 0  # where the item's text starts, for its indented body
    body: str = ""  # a body given with the item (Word table rows)
    verbatim: bool = False  # inside a fenced block: never read as structure
    escaped: bool = False  # written with a backslash so as to be read as text
    fence_start: bool = False
    line_end: int | None = None
    nesting_kind: str = ""  # overrides the kind read from the marker (Word lists)


@dataclass(frozen=True)
class ItemText:
    code: str
    label: str
    title: str
    explicit: bool = False
    title_en: str = ""


def indentation(line: str) -> tuple[int, int]:
    """Return the width of the line's leading spaces and tabs, and how many characters."""
    width = 0
    for count, char in enumerate(line):
        if char == " ":
            width += 1
        elif char == "\t":
            width += TAB_WIDTH - width % TAB_WIDTH
        else:
            return width, count
    return width, len(line)


def read_line(line: str, number: int) -> Token:
    """Return what a line is, taken alone (setext headings and fences need the lines around)."""
    raw = line.rstrip()
    indent, offset = indentation(raw)
    content = raw[offset:]
    if not content.strip():
        return Token("blank", number)
    if content.startswith("\\"):
        escaped = _unescape(content)
        if escaped is not None:
            return Token("text", number, indent, escaped, raw[:offset] + escaped, escaped=True)
    token = _structure(content, number, indent)
    if token is None:
        return Token("text", number, indent, content, raw)
    token.content, token.raw = content, raw
    return token


def _unescape(content: str) -> str | None:
    rest = content[1:]
    if is_structural(rest) or rest.lstrip(" \t").startswith("\\"):
        return rest
    return None


def is_structural(text: str) -> bool:
    """Return whether a line would be read as anything but plain text, at any indentation.

    The Markdown export escapes such lines of a body or preamble with a backslash."""
    content = text.lstrip(" \t").rstrip()
    if not content:
        return False
    return bool(
        _structure(content, 0, 0) is not None
        or UNDERLINE.match(content)
        or FENCE.match(content)
        or content.startswith("\\")
    )


def _structure(content: str, number: int, indent: int) -> Token | None:
    if indent <= 3:
        heading = ATX.match(content)
        if heading:
            text = read_item_text(heading["text"] or "", "heading")
            return _item_token("heading", number, indent, text, level=len(heading["hashes"]))
        if RULE.match(content):
            return Token("rule", number, indent, content)
    bullet = BULLET.match(content)
    if bullet:
        text = read_item_text(bullet["text"] or "", "bullet")
        token = _item_token("item", number, indent, text, marker=bullet["marker"])
        token.content_column = indent + _text_column(bullet)
        return token
    text = read_item_text(content, "line")
    if text.code or text.label or text.explicit:
        token = _item_token("item", number, indent, text)
        match = (
            None
            if text.explicit
            else (LABELLED.match(content) or CODE.match(content) or BARE_NUMBER.match(content))
        )
        token.content_column = indent + (_text_column(match) if match else 0)
        return token
    return None


def _text_column(match: re.Match[str]) -> int:
    """Return where the item's own text starts: its body is indented at least that far."""
    return match.start("text") if match["text"] is not None else len(match[0]) + 1


def _item_token(kind: str, number: int, indent: int, text: ItemText, **extra: object) -> Token:
    token = Token(kind, number, indent, code=text.code, label=text.label, title=text.title)
    token.explicit, token.title_en = text.explicit, text.title_en
    for name, value in extra.items():
        setattr(token, name, value)
    return token


def read_item_text(text: str, context: str) -> ItemText:
    """Split an item's first line into code, label and title.

    The context is "heading", "bullet" or "line" (a line with no marker): each reads
    codes a little differently, since a sentence may start with a number."""
    text = text.strip()
    attributes = ATTRIBUTES.search(text)
    values = _attribute_values(attributes)
    if attributes and values is not None:
        before, english = text[: attributes.start()], values.get("title_en", "")
        if "code" in values or "label" in values:
            title = "\n".join(html.unescape(part) for part in LINE_BREAK.split(before.strip()))
            return ItemText(values.get("code", ""), values.get("label", ""), title, True, english)
        found = read_item_text(before, context)
        return ItemText(found.code, found.label, found.title, found.explicit, english)
    labelled = (LABELLED_HEADING if context == "heading" else LABELLED).match(text)
    if labelled and labelled["label"][0].isupper() and _valid_label_code(labelled["code"]):
        return ItemText(labelled["code"], labelled["label"], (labelled["text"] or "").strip())
    coded = CODE.match(text)
    if coded and _valid_code(coded["code"]) and (context != "bullet" or _has_digit(coded["code"])):
        return ItemText(coded["code"], "", (coded["text"] or "").strip())
    if context == "heading":
        numbered = HEADING_NUMBER.match(text)
        if numbered:
            return ItemText(numbered["code"], "", (numbered["text"] or "").strip())
    bare = BARE_NUMBER.match(text) if context != "bullet" else None
    if bare and bare["text"][0].isupper():
        return ItemText(bare["code"], "", bare["text"].strip())
    return ItemText("", "", text)


def _attribute_values(match: re.Match[str] | None) -> dict[str, str] | None:
    if match is None:
        return None
    values: dict[str, str] = {}
    for pair in ATTRIBUTE.finditer(match["pairs"]):
        try:
            values[pair["name"]] = json.loads(pair["value"])
        except ValueError:
            return None
    return values


def _valid_code(code: str) -> bool:
    """Return whether a code's segments are numbers, single letters or roman numerals."""
    segments = [part for part in re.split(r"[.()]", code) if part]
    for segment in segments:
        if len(segment) > 1 and not segment.isdigit() and not ROMAN.match(segment.upper()):
            return False
    # "e.g." and "i.e." are not codes: a code of several segments holds a number.
    return len(segments) == 1 or any(segment.isdigit() for segment in segments)


def _valid_label_code(code: str) -> bool:
    bare = code.rstrip(".")
    return not bare.isalpha() or len(bare) == 1 or bool(ROMAN.match(bare))


def _has_digit(code: str) -> bool:
    return any(char.isdigit() for char in code)


def tokenize(lines: list[str], first_number: int = 1) -> list[Token]:
    """Read every line, then turn underlined paragraphs into headings and fence code blocks."""
    tokens: list[Token] = []
    fence: str | None = None
    for number, line in enumerate(lines, start=first_number):
        if fence is not None:
            token = _verbatim(line, number)
            tokens.append(token)
            if token.content.startswith(fence) and not token.content.strip(fence[0]):
                fence = None
            continue
        token = read_line(line, number)
        plain = token.kind == "text" and not token.escaped and token.indent <= 3
        opening = FENCE.match(token.content) if plain else None
        if opening:
            fence = opening["fence"]
            token.verbatim = token.fence_start = True
        elif (plain or token.kind == "rule") and UNDERLINE.match(token.content) and token.indent <= 3:
            if _underline(tokens, token):
                continue
            if token.kind == "text":
                continue  # a line of "=" or "--" alone is decoration: it holds no word
        tokens.append(token)
    return tokens


def _verbatim(line: str, number: int) -> Token:
    raw = line.rstrip()
    indent, offset = indentation(raw)
    return Token("text", number, indent, raw[offset:], raw, verbatim=True)


def _underline(tokens: list[Token], underline: Token) -> bool:
    """Make the paragraph above a heading if it stands alone; return whether it did."""
    start = len(tokens)
    while start > 0 and tokens[start - 1].kind == "text" and not tokens[start - 1].verbatim:
        start -= 1
    if start == len(tokens) or tokens[start].indent > 3:
        return False
    if start > 0 and tokens[start - 1].kind == "item":
        return False  # the lines continue an item: "---" is a rule there
    paragraph = tokens[start:]
    text = read_item_text(" ".join(token.content.strip() for token in paragraph), "heading")
    level = 1 if underline.content.startswith("=") else 2
    heading = _item_token("heading", paragraph[0].line, 0, text, level=level)
    heading.line_end = underline.line
    del tokens[start:]
    tokens.append(heading)
    return True


# ---------------------------------------------------------------------------------------
# Front matter


@dataclass
class FrontMatter:
    title: str = ""
    period: str | None = None  # None when not given; "" when given empty
    period_start: str = ""
    period_end: str = ""
    language: str = ""
    levels: list[str] | None = None
    kept: list[str] = field(default_factory=list)  # lines for the preamble
    length: int = 0  # lines taken, fences included


def read_front_matter(lines: list[str]) -> FrontMatter | None:
    """Return the YAML front matter at the top of the file, if there is one."""
    if not lines or lines[0].strip() != "---":
        return None
    end = next(
        (
            index
            for index, line in enumerate(lines[1:FRONT_MATTER_LINES], start=1)
            if line.strip() in FRONT_MATTER_FENCES
        ),
        None,
    )
    if end is None:
        return None
    inner = lines[1:end]
    first = next((line for line in inner if line.strip()), "")
    if not FRONT_MATTER_KEY.match(first):
        return None
    matter = FrontMatter(length=end + 1)
    _read_front_matter_lines(matter, inner)
    return matter


def _read_front_matter_lines(matter: FrontMatter, inner: list[str]) -> None:
    index = 0
    while index < len(inner):
        line = inner[index]
        index += 1
        match = FRONT_MATTER_KEY.match(line)
        if not match:
            if line.strip():
                matter.kept.append(line.rstrip())
            continue
        key, value = match["key"].lower(), (match["value"] or "").strip()
        if key in LEVEL_KEYS and not value:
            items, index = _yaml_list(inner, index)
            if items is not None:
                matter.levels = items
                continue
        if not _front_matter_value(matter, key, value):
            matter.kept.append(line.rstrip())


def _yaml_list(lines: list[str], index: int) -> tuple[list[str] | None, int]:
    items: list[str] = []
    while index < len(lines) and re.match(r"^[ \t]*-[ \t]+\S", lines[index]):
        value = _unquote(lines[index].strip()[1:].strip())
        if value is None:
            return None, index
        items.append(value)
        index += 1
    return (items or None), index


def _front_matter_value(matter: FrontMatter, key: str, value: str) -> bool:
    """Store a value Jalon knows; return False to keep the line in the preamble instead."""
    text = _unquote(value)
    if text is None:
        return False
    if key in TITLE_KEYS and not matter.title:
        matter.title = text  # empty: the title is then looked for in the text
    elif key in PERIOD_KEYS and (not text or period_from_text(text)[0]):
        matter.period = text
    elif key in ("period_start", "period_end") and ISO_DATE.match(text):
        setattr(matter, key, text)
    elif key in LANGUAGE_KEYS and LANGUAGE_CODE.match(text):
        matter.language = text
    elif key in LEVEL_KEYS and value.startswith("["):
        levels = _json_list(value)
        if levels is None:
            return False
        matter.levels = levels
    else:
        return False
    return True


def _unquote(value: str) -> str | None:
    if value.startswith('"'):
        try:
            loaded = json.loads(value)
        except ValueError:
            return None
        return loaded if isinstance(loaded, str) else None
    if value.startswith("'"):
        if len(value) < 2 or not value.endswith("'"):
            return None
        return value[1:-1].replace("''", "'")
    return value


def _json_list(value: str) -> list[str] | None:
    try:
        loaded = json.loads(value)
    except ValueError:
        return None
    if isinstance(loaded, list) and all(isinstance(item, str) for item in loaded):
        return loaded
    return None


# ---------------------------------------------------------------------------------------
# The tree


@dataclass
class Open:
    """An item that later lines may still go under."""

    item: ParsedItem
    heading: int | None  # its heading level; None for a list item
    indent: int
    kind: str
    segments: int
    content_column: int


@dataclass
class Target:
    """Where the lines of the current paragraph go."""

    kind: str  # "title", "body" or "preamble"
    item: ParsedItem | None = None
    strip: int = 0  # indentation removed from each line of a body
    anomaly: Anomaly | None = None


class TreeBuilder:
    """Place tokens one by one into the plan, keeping the chain of open items."""

    def __init__(self, plan: ParsedPlan, source: Source) -> None:
        self.plan = plan
        self.source = source
        self.stack: list[Open] = []
        self.preamble: list[str] = []
        self.titles: dict[int, list[str]] = {}
        self.bodies: dict[int, list[str]] = {}
        self.target: Target | None = None
        self.in_paragraph = False
        self.blanks = 0

    def feed(self, token: Token) -> None:
        if token.kind == "blank":
            self.in_paragraph = False
            self.blanks += 1
        elif token.kind in ("rule", "title"):
            self.in_paragraph = False
        elif token.kind == "heading":
            self._open_heading(token)
        elif token.kind == "item" and (not self.in_paragraph or self._interrupts(token)):
            self._open_item(token)
        else:
            self._add_text(token)

    def _open_heading(self, token: Token) -> None:
        while self.stack and (self.stack[-1].heading is None or self.stack[-1].heading >= token.level):
            self.stack.pop()
        self._push(token, Open(self._new_item(token), token.level, -1, "heading", 0, 0))
        self.target = None
        self.in_paragraph = False

    def _open_item(self, token: Token) -> None:
        kind = token.nesting_kind or self._kind(token)
        segments = _segments(token.code)
        while self.stack:
            relation = self._relation(self.stack[-1], token, kind, segments)
            if relation == "child":
                break
            self.stack.pop()
            if relation == "sibling":
                break
        item = self._new_item(token)
        self._push(token, Open(item, None, token.indent, kind, segments, token.content_column))
        self.target = Target("title", item)
        self.in_paragraph = True

    def _push(self, token: Token, opened: Open) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.source.fail(
                _("items are nested more than %(limit)s levels deep.") % {"limit": MAX_DEPTH},
                line=token.line,
            )
        siblings = self.stack[-1].item.children if self.stack else self.plan.items
        siblings.append(opened.item)
        self.stack.append(opened)
        self.blanks = 0

    def _new_item(self, token: Token) -> ParsedItem:
        item = ParsedItem(
            code=token.code,
            title=token.title,
            label=token.label,
            title_en=token.title_en,
            line_start=token.line,
            line_end=token.line_end or token.line,
        )
        self.titles[id(item)] = [token.title] if token.title else []
        self.bodies[id(item)] = [token.body] if token.body else []
        return item

    def _kind(self, token: Token) -> str:
        """Return the kind of marker that decides nesting at the same indentation."""
        if token.marker:
            return "bullet"  # "•" after "-" at the same indentation is a sibling, as in Markdown
        if token.explicit:
            return "explicit"
        if token.label:
            return f"label {fold(token.label)}"
        return self._numbering_kind(token)

    def _numbering_kind(self, token: Token) -> str:
        first = re.split(r"[.()]", token.code.strip("("))[0]
        if not first:
            return "plain"
        if first.isdigit():
            return "number"
        case = "upper" if first.isupper() else "lower"
        if len(first) > 1:
            return f"{case} roman"
        if first.upper() in "IVXLCDM":
            # "C." follows "B." but "II." follows "I.": the open series decides.
            for opened in reversed(self.stack):
                if opened.heading is not None or opened.indent < token.indent:
                    break
                if opened.indent == token.indent and opened.kind in (f"{case} roman", f"{case} letter"):
                    return opened.kind
            return f"{case} roman" if first.upper() == "I" else f"{case} letter"
        return f"{case} letter"

    def _relation(self, top: Open, token: Token, kind: str, segments: int) -> str:
        """Return whether the new item is a "child" of the top item, a "sibling" or "above"."""
        if top.heading is not None or token.indent > top.indent:
            return "child"
        if token.indent < top.indent:
            return "above"
        if kind == top.kind:
            if kind == "bullet" or not segments or not top.segments:
                return "sibling"
            return _by_segments(segments, top.segments)
        if _has_digit(token.code[:1]) and _has_digit(top.item.code[:1]) and segments != top.segments:
            return _by_segments(segments, top.segments)  # "Axe 2" after "1.3"; "1.1" after "Axe 1"
        if segments and segments == top.segments and token.label and top.item.label:
            return "sibling"  # a level renamed on the way ("Objectif 3" after "Orientation 2")
        return "above" if self._kind_is_open(kind, token.indent) else "child"

    def _kind_is_open(self, kind: str, indent: int) -> bool:
        for opened in reversed(self.stack):
            if opened.heading is not None or opened.indent < indent:
                return False
            if opened.kind == kind:
                return True
        return False

    def _interrupts(self, token: Token) -> bool:
        """Return whether a numbered line ends the paragraph above rather than continue it.

        "27. " starting a wrapped line is text, unless a number near 27 is open or it is "1.";
        a code of several parts ("1.4.4") is never the start of a sentence."""
        if token.marker or token.label or token.explicit or token.nesting_kind:
            return True
        if _starts_series(token.code) or _segments(token.code) > 1:
            return True
        kind = self._numbering_kind(token)
        roman = kind.endswith("roman")
        ordinal = code_ordinal(token.code, roman)
        return ordinal is not None and any(
            opened.kind == kind and _follows(ordinal, code_ordinal(opened.item.code, roman))
            for opened in self.stack
        )

    def _add_text(self, token: Token) -> None:
        target = self.target if self.in_paragraph and not token.fence_start else None
        if target is None:
            target = self.target = self._paragraph_target(token)
            self._separate(target)
        self.in_paragraph = True
        self._write(target, token)

    def _paragraph_target(self, token: Token) -> Target:
        if not self.stack:
            return Target("preamble")
        for opened in reversed(self.stack):
            if opened.heading is None and token.indent > opened.indent:
                return Target("body", opened.item, opened.content_column)
            if opened.heading is not None:
                if not opened.item.children:
                    return Target("body", opened.item, 0)
                break
        return self._attached(token)

    def _attached(self, token: Token) -> Target:
        item = self.stack[-1].item
        anomaly = Anomaly(
            "attached_text",
            line=token.line,
            code=item.code,
            params={"code": item.code or item.title[:40]},
            item=item,
        )
        self.plan.anomalies.append(anomaly)
        return Target("body", item, token.indent, anomaly)

    def _separate(self, target: Target) -> None:
        lines = self._lines(target)
        if lines:
            lines.extend([""] * max(1, self.blanks))
        self.blanks = 0

    def _lines(self, target: Target) -> list[str]:
        if target.kind == "preamble" or target.item is None:
            return self.preamble
        store = self.titles if target.kind == "title" else self.bodies
        return store[id(target.item)]

    def _write(self, target: Target, token: Token) -> None:
        if target.kind == "title":
            self._lines(target).append(token.content.strip())
        else:
            line = _dedent(token.raw, target.strip)
            self._lines(target).append(line)
            if target.anomaly is not None:
                target.anomaly.text = "\n".join(filter(None, (target.anomaly.text, line.strip())))
        if target.item is not None:
            target.item.line_end = max(target.item.line_end or token.line, token.line)

    def finish(self) -> None:
        for _depth, item in self.plan.walk():
            item.title = " ".join(part for part in self.titles[id(item)] if part)
            item.body = _join_lines(self.bodies[id(item)])
        self.plan.preamble = _join_lines(
            ([self.plan.preamble, ""] if self.plan.preamble else []) + self.preamble
        )


def _by_segments(segments: int, top_segments: int) -> str:
    if segments == top_segments:
        return "sibling"
    return "child" if segments > top_segments else "above"


def _follows(ordinal: int, previous: int | None) -> bool:
    # Near, not only next: codes repeat and come out of order, and are kept so.
    return previous is not None and abs(ordinal - previous) <= MAX_REPORTED_GAP


def _starts_series(code: str) -> bool:
    last = last_segment(code).strip("()")
    return last in ("1", "a", "A", "i", "I")


def _segments(code: str) -> int:
    bare = normalise_code(code).strip("()")
    return len(bare.split(".")) if bare else 0


def _dedent(line: str, width: int) -> str:
    """Remove up to `width` columns of leading spaces and tabs, never any other character."""
    removed = 0
    for count, char in enumerate(line):
        if removed >= width or char not in " \t":
            return line[count:]
        removed += 1 if char == " " else TAB_WIDTH - removed % TAB_WIDTH
    return ""


def _join_lines(lines: Iterable[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip("\n")


# ---------------------------------------------------------------------------------------
# The plan


def sniff(source: Source, format: str) -> bool:
    """Markdown and text files are outlines; so is text with headings or numbered lines."""
    if source.extension in EXTENSIONS:
        return True
    try:
        lines = source.text.split("\n")[:200]
    except ImportFailure:
        return False
    structured = sum(1 for token in tokenize(lines) if token.kind in ("heading", "item"))
    return structured >= 2


def parse(source: Source, format: str) -> ParsedPlan:
    lines = source.text.split("\n")
    matter = read_front_matter(lines) or FrontMatter()
    tokens = tokenize(lines[matter.length :], first_number=matter.length + 1)
    plan = ParsedPlan(title=matter.title, format=FORMAT, preamble="\n".join(matter.kept))
    if not plan.title:
        plan.title = take_title(tokens)
    build_tree(plan, tokens, source)
    finish_plan(plan, source, language=matter.language, levels=matter.levels)
    _apply_period(plan, matter)
    return plan


def build_tree(plan: ParsedPlan, tokens: Iterable[Token], source: Source) -> None:
    builder = TreeBuilder(plan, source)
    for token in tokens:
        builder.feed(token)
    builder.finish()


def take_title(tokens: list[Token]) -> str:
    """Return the plan title the tokens hold, and mark its token as used; "" if none."""
    heading = _title_heading(tokens)
    if heading is not None:
        heading.kind = "title"
        return heading.title
    first = next((token for token in tokens if token.kind not in ("blank", "rule")), None)
    if first is not None and first.kind == "text" and not first.verbatim:
        first.kind = "title"
        return first.content.strip()
    return ""


def _title_heading(tokens: list[Token]) -> Token | None:
    """Return the only top-level heading when it opens the document and items follow it."""
    structure = [token for token in tokens if token.kind in ("heading", "item")]
    headings = [token for token in structure if token.kind == "heading"]
    if not headings or len(structure) < 2:
        return None
    top = min(heading.level for heading in headings)
    tops = [heading for heading in headings if heading.level == top]
    first = structure[0]
    if len(tops) != 1 or tops[0] is not first or first.code or first.label or first.explicit:
        return None
    return first


def finish_plan(
    plan: ParsedPlan, source: Source, language: str = "", levels: list[str] | None = None
) -> None:
    """Fill what the tree tells of the plan: its title, levels, language and period."""
    if not plan.title:
        plan.title = Path(source.name).stem or source.name
    plan.levels = levels if levels is not None else levels_from_labels(plan)
    plan.language = language or detect_language(_plan_text(plan))
    plan.period_start, plan.period_end = period_from_text(plan.title)


def _apply_period(plan: ParsedPlan, matter: FrontMatter) -> None:
    if matter.period is not None:
        # A period given in the front matter, even empty, says more than the title.
        plan.period_start, plan.period_end = period_from_text(matter.period)
    if matter.period_start or matter.period_end:
        plan.period_start = _date(matter.period_start) or plan.period_start
        plan.period_end = _date(matter.period_end) or plan.period_end


def _date(text: str) -> datetime.date | None:
    match = ISO_DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def levels_from_labels(plan: ParsedPlan) -> list[str]:
    """Return, for each depth, the level name written most often on its items."""
    counts: dict[int, Counter[str]] = {}
    for depth, item in plan.walk():
        if item.label:
            counts.setdefault(depth, Counter())[item.label] += 1
    if not counts:
        return []
    return [counts[depth].most_common(1)[0][0] if depth in counts else "" for depth in range(max(counts) + 1)]


def _plan_text(plan: ParsedPlan) -> str:
    return " ".join([plan.title, plan.preamble] + [item.title for _depth, item in plan.walk()])


def detect_language(text: str) -> str:
    """Return "en" when English function words outnumber French ones, else "fr"."""
    words = Counter(re.findall(r"[^\W\d_]+", text.casefold()))
    french = sum(count for word, count in words.items() if word in FRENCH_WORDS)
    english = sum(count for word, count in words.items() if word in ENGLISH_WORDS)
    return "en" if english > french else "fr"
