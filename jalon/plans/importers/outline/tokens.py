"""Each line of an outline read on its own, as a Token: blank, rule, heading, item or text.

What a line is depends on that line alone, so the rules are here and the placing of
items is left to tree.py; only setext headings ("===" or "---" under a paragraph) and
fenced blocks need the lines around, and tokenize() settles those.
- A heading is "#" to "######", or a paragraph underlined with "===" or "---".
- An item is a heading, a bullet ("-", "*", "+", "•", "–"), a numbered line ("1.", "1)",
  "(a)", "1.1", "1.1.1.", "A.", "A.1", "IV.") or a line that names its level ("Axe 1 :
  ...", "Objectif 2 - ..."; the name is kept as the item's label). Codes are kept as written
  ("1." keeps its dot). After a bullet, only a code holding a digit is a code.
- An item line may end with `{code="…" label="…" title_en="…"}` (JSON strings): the code
  and label are then those, and the text before is the title exactly, with <br> for a line
  break and HTML entities read ("&lt;" is "<"); `title_en` alone gives the English title
  and leaves the line read as usual. Jalon's Markdown export writes this only when a
  plain line would not read back the same.
- A line starting with a backslash followed by something that would read as an item or a
  heading is text; the backslash is dropped (the export escapes body lines so).
The Word reader (docx.py) turns its paragraphs into the same tokens."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from ..checks import ROMAN

TAB_WIDTH = 4

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
    if coded and _valid_code(coded["code"]) and (context != "bullet" or has_digit(coded["code"])):
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


def has_digit(code: str) -> bool:
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
