"""A plan as a Markdown outline that the outline importer reads back item for item: the
same codes as written, labels, titles, English titles, bodies, nesting, title and period.

The shape:

    ---
    title: "PLAN D'ACTION 2024-2025"
    period: 2024-2025
    language: fr
    levels: ["Axe stratégique", "Orientations", "Actions"]
    ---

    The preamble.

    # Axe stratégique 1 : Consolider notre action solidaire

    ## 1.1 Continuer de soutenir nos partenaires

    - 1.1.1. En collaboration avec la FOTSSIEH...

      The action's text, indented under it.

Every level but the last is a heading, "#" to "######"; the last level, and any level
beyond the sixth, is a bulleted list indented two spaces per level. An item is written
"Label Code : Title", "Code Title" or "Title" when the importer reads that line back to the
same code, label and title; otherwise the title is followed by `{code="…" label="…"}`
(JSON strings), which the importer takes as given; the title is then written with <br> for
a line break, and "&" and "<" as HTML entities.
An English title is added as `{title_en="…"}`. Lines of a body or of the preamble that
would read as an item or a heading are escaped with a backslash, as Markdown does.
Lines are stripped of trailing spaces."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from ..importers.outline.tokens import ItemText, is_structural, read_line
from ..models import Item, Plan
from ..tree import Node, plan_tree

FORMAT = "md"
EXTENSION = "md"
CONTENT_TYPE = "text/markdown; charset=utf-8"

MAX_HEADING_LEVELS = 6
LIST_INDENT = 2  # the width of "- ": a bullet's text and body start there


def export(plan: Plan) -> bytes:
    roots = plan_tree(plan)
    deepest = max((node.item.depth for root in roots for node in root.walk()), default=0)
    headings = min(deepest, MAX_HEADING_LEVELS)
    lines = front_matter(plan)
    if plan.preamble.strip():
        lines += ["", *text_lines(plan.preamble, indent=0)]
    lines += children_lines(roots, depth=0, headings=headings)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def front_matter(plan: Plan) -> list[str]:
    lines = ["---", f"title: {_quoted(plan.title)}"]
    lines += _period(plan.period_start, plan.period_end)
    if plan.language:
        lines.append(f"language: {plan.language}")
    lines.append(f"levels: {json.dumps(list(plan.levels), ensure_ascii=False)}")
    lines.append("---")
    return lines


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted string, and reads back exactly.
    return json.dumps(text, ensure_ascii=False)


def _period(start: datetime.date | None, end: datetime.date | None) -> list[str]:
    if start is None and end is None:
        return ['period: ""']  # or the importer would read a period from the title's years
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return [f"period: {start.year}-{end.year}"]
    lines = ['period: ""']
    if start:
        lines.append(f"period_start: {start.isoformat()}")
    if end:
        lines.append(f"period_end: {end.isoformat()}")
    return lines


def children_lines(nodes: list[Node], depth: int, headings: int) -> Iterator[str]:
    """Yield the lines of sibling items and everything under them, in document order."""
    for position, node in enumerate(nodes):
        if depth < headings or position == 0 and depth == headings:
            yield ""  # before each heading, and before a list that follows a heading
        yield from node_lines(node, depth, headings)


def node_lines(node: Node, depth: int, headings: int) -> Iterator[str]:
    item = node.item
    if depth < headings:
        yield "#" * (depth + 1) + " " + item_text(item, heading=True)
        body_indent = 0
    else:
        indent = " " * (LIST_INDENT * (depth - headings))
        yield indent + "- " + item_text(item, heading=False)
        body_indent = len(indent) + LIST_INDENT
    if item.body.strip():
        yield ""
        yield from text_lines(item.body, body_indent)
        yield ""
    yield from children_lines(node.children, depth + 1, headings)


def item_text(item: Item, heading: bool) -> str:
    """Return the text after the heading marks or the bullet, read back as the same item."""
    expected = ItemText(item.code, item.label, item.title, title_en=item.title_en)
    english = f" {{title_en={_quoted(item.title_en)}}}" if item.title_en else ""
    for text in _plain_forms(item):
        if reads_back(text + english, heading, expected):
            return text + english
    return _explicit(item)


def _plain_forms(item: Item) -> list[str]:
    if "\n" in item.title:
        return []
    if item.label and item.code:
        return [f"{item.label} {item.code} : {item.title}".rstrip()]
    if item.label:
        return []
    if item.code:
        return [f"{item.code} {item.title}".rstrip(), f"{item.code} : {item.title}".rstrip()]
    return [item.title]


def reads_back(text: str, heading: bool, expected: ItemText) -> bool:
    line = ("# " if heading else "- ") + text
    token = read_line(line, 1)
    if token.kind != ("heading" if heading else "item"):
        return False
    found = (token.code, token.label, token.title, token.title_en)
    return found == (expected.code, expected.label, expected.title, expected.title_en)


def _explicit(item: Item) -> str:
    attributes = [f"code={_quoted(item.code)}"]
    if item.label:
        attributes.append(f"label={_quoted(item.label)}")
    if item.title_en:
        attributes.append(f"title_en={_quoted(item.title_en)}")
    # Entities first, so that a "<br>" written in the title stays text and not a line break.
    title = item.title.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
    return f"{title} {{{' '.join(attributes)}}}".lstrip()


def text_lines(text: str, indent: int) -> Iterator[str]:
    """Yield a body's or preamble's lines, indented, escaping those that read as structure."""
    lines = text.strip("\n").split("\n")
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            yield ""
        elif is_structural(line):
            yield " " * indent + "\\" + line
        else:
            yield " " * indent + line
