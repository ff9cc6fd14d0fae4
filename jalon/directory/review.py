"""What the links review page shows: a plan's links grouped by item, their evidence marked.

No HTML here: the text is cut into pieces that the template escapes one by one, marking
the pieces that triggered a proposal."""

from __future__ import annotations

from dataclasses import dataclass, field

from jalon.plans.models import Item, Plan

from .models import ItemLink, LinkStatus
from .services import item_text


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False


@dataclass
class LinksOfItem:
    item: Item
    links: list[ItemLink] = field(default_factory=list)

    @property
    def pieces(self) -> list[Piece]:
        return marked_pieces(item_text(self.item), [link.evidence for link in self.links])


def links_by_item(plan: Plan, status: str = LinkStatus.PROPOSED) -> list[LinksOfItem]:
    """Return the plan's links of one status, grouped by item in document order (one query)."""
    links = (
        ItemLink.objects.of_plan(plan)
        .filter(status=status)
        .select_related("item__plan", "partner", "place", "theme", "decided_by")
        .order_by("item__path", "pk")
    )
    groups: dict[int, LinksOfItem] = {}
    for link in links:
        groups.setdefault(link.item_id, LinksOfItem(link.item)).links.append(link)
    return list(groups.values())


def status_counts(plan: Plan) -> dict[str, int]:
    counts = dict.fromkeys(LinkStatus.values, 0)
    for status in ItemLink.objects.of_plan(plan).values_list("status", flat=True):
        counts[status] += 1
    return counts


def marked_pieces(text: str, evidence: list[str]) -> list[Piece]:
    """Cut the text into pieces, marking every occurrence of each evidence (they are slices of it)."""
    spans = sorted(
        (start, start + len(words)) for words in set(evidence) if words for start in _occurrences(text, words)
    )
    pieces: list[Piece] = []
    position = 0
    for start, end in spans:
        if start < position:  # overlapping evidence: the first one already marks it
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], marked=True))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def _occurrences(text: str, words: str) -> list[int]:
    found = []
    start = text.find(words)
    while start != -1:
        found.append(start)
        start = text.find(words, start + len(words))
    return found
