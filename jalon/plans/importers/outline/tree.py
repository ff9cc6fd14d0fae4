"""The tree builder: tokens placed one by one under the items still open above them.

Shared by the outline and the Word reader, so both nest the same way:
- A heading goes under the nearest shallower heading; a list item goes under the
  innermost heading, then under the list item it is indented under. At the same
  indentation "1.1.1" goes under "1.1", a new kind of marker ("a." after "1.") goes under
  the item above it, and a kind already open ("2." after "1." and its "a.") closes what was
  opened since. Numbering restarts freely under each heading.
- Lines that follow an item without a blank line continue its title (hard-wrapped text).
  A paragraph after a blank line goes to the body of the list item it is indented under,
  or of the heading above while that heading has no item yet; any other paragraph is
  attached to the last item and reported as "attached_text".
- Text before the first item is the preamble."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jalon.lib.text import fold

from ..base import Anomaly, ParsedItem, ParsedPlan
from ..checks import MAX_REPORTED_GAP, code_ordinal, last_segment, normalise_code
from ..limits import MAX_DEPTH
from ..source import Source
from .tokens import TAB_WIDTH, Token, has_digit

# Indentation given to text that always belongs to the item above (Word paragraphs).
UNDER_EVERYTHING = 10**6


def build_tree(plan: ParsedPlan, tokens: Iterable[Token], source: Source) -> None:
    """Place the tokens into the plan's items, bodies and preamble, in document order."""
    builder = TreeBuilder(plan, source)
    for token in tokens:
        builder.feed(token)
    builder.finish()


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
        if has_digit(token.code[:1]) and has_digit(top.item.code[:1]) and segments != top.segments:
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
