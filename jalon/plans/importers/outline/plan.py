"""The outline importer's interface, sniff and parse, and the finishing of the plan.

parse() reads the front matter, the tokens and the tree, then fills what the tree tells
of the plan, as the Word reader does too. The plan title is the front matter's, else the
only top-level heading when it opens the document, else the first line when it is not
an item, else the file name. The language is the front matter's, else the one whose
common words the text uses most. Line numbers are the file's, from 1."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..base import ImportFailure, ParsedPlan
from ..common import period_from_text
from ..source import Source
from .front_matter import FrontMatter, apply_period, read_front_matter
from .tokens import Token, tokenize
from .tree import build_tree

FORMAT = "outline"
EXTENSIONS = ("md", "markdown", "mdown", "mkd", "txt", "text")

FRENCH_WORDS = frozenset(
    "le la les des du de et pour dans une un est sur avec au aux qui que par nos notre leur"
    " leurs ce ces en sont ou pas plus".split()
)
ENGLISH_WORDS = frozenset(
    "the and of to in for with on is by our an from this that are be their it its or not more".split()
)


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
    apply_period(plan, matter)
    return plan


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
