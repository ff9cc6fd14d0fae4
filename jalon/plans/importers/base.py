"""What every importer produces: a plain tree of ParsedItem plus the anomalies found,
with no database involved, so that parsing can be tested and fuzzed on its own."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# The kinds of anomaly an importer reports and the statuses a plan file may give; the
# models' AnomalyKind and PlanStatus hold the same values (tests/test_importer_limits.py).
ANOMALY_KINDS = (
    "duplicate_code", "missing_code", "out_of_order", "code_mismatch", "no_code", "level_label",
    "joined_text", "attached_text", "unplaced_text", "markup",
)  # fmt: skip
PLAN_STATUSES = ("draft", "adopted", "archived")


class ImportFailure(Exception):
    """The source cannot be read at all; the message names the file and the problem."""


@dataclass
class ParsedItem:
    code: str  # exactly as written ("1.1.1." keeps its dot); "" when the item has none
    title: str
    label: str = ""  # the level name written on the item itself ("Axe stratégique"), if any
    body: str = ""  # text under the item that is not its title
    title_en: str = ""
    line_start: int | None = None
    line_end: int | None = None
    children: list[ParsedItem] = field(default_factory=list)
    # Importers of richer formats (Jalon's JSON) keep fields the tree itself does not hold.
    extra: dict[str, Any] = field(default_factory=dict)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, ParsedItem]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class Anomaly:
    kind: str  # one of ANOMALY_KINDS
    line: int | None = None
    code: str = ""
    text: str = ""  # the source words concerned, verbatim
    params: dict[str, Any] = field(default_factory=dict)  # fills the message's blanks
    item: ParsedItem | None = field(default=None, repr=False, compare=False)


@dataclass
class ParsedPlan:
    title: str
    format: str
    items: list[ParsedItem] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)  # level names as written, by depth
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    language: str = "fr"
    # The source's own words that are neither items nor anomalies (a front-matter date, a
    # preamble paragraph) are kept here so nothing of the source is lost.
    preamble: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def walk(self) -> Iterator[tuple[int, ParsedItem]]:
        for item in self.items:
            yield from item.walk()

    def count(self) -> int:
        return sum(1 for _ in self.walk())
