"""Find the partners, places and themes a text names: pure functions, no database.

Names are compared folded (no accents, no case), as whole words, with hyphens, spaces
and apostrophes interchangeable; French articles and prepositions ("la FOTSSIEH", "en
Haïti", "d'Haïti", "aux États-Unis") need nothing special since only the name itself is
sought. Short acronyms are the exception: they are compared as written, so that "ICWI"
or "APC" never match an ordinary word.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cache

from jalon.lib.text import fold

# Acronyms up to this length are matched case-sensitively; longer ones are folded like names.
SHORT_ACRONYM = 5
# Typographic apostrophes and dashes written as the plain ones, so that one pattern serves.
_SAME_CHAR = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})
_SEPARATORS = re.compile(r"[\s\-]+")
_GAP = r"[\s\-]+"


# Country adjectives, by ISO code: a small explicit table for the countries Alternatives
# works in, every inflection written out. Ambiguous ones are left out on purpose: "indien"
# also names First Nations in Canada, "congolais" both Congos.
DEMONYMS = {
    "CA": ["canadien", "canadienne", "canadiens", "canadiennes", "Canadian", "Canadians"],
    "HN": ["hondurien", "hondurienne", "honduriens", "honduriennes", "Honduran", "Hondurans"],
    "HT": ["haïtien", "haïtienne", "haïtiens", "haïtiennes", "Haitian", "Haitians"],
    "PS": ["palestinien", "palestinienne", "palestiniens", "palestiniennes", "Palestinian", "Palestinians"],
    "SD": ["soudanais", "soudanaise", "soudanaises", "Sudanese"],
    "TN": ["tunisien", "tunisienne", "tunisiens", "tunisiennes", "Tunisian", "Tunisians"],
}


@dataclass(frozen=True)
class Candidate:
    """Something a text may name: kind is "partner", "place" or "theme"."""

    kind: str
    key: Hashable
    names: list[str]
    acronyms: list[str] = field(default_factory=list)
    # Other candidates (kind, key) named whenever this one is: Sud-Kivu implies its country.
    implies: list[tuple[str, Hashable]] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    key: Hashable
    kind: str
    evidence: str
    start: int
    end: int
    implied: bool = False


def find(text: str, candidates: list[Candidate]) -> list[Match]:
    """Return every mention of a candidate in the text, in reading order.

    Where two partners or places overlap, the longer mention wins: "République
    démocratique du Congo" is not also "Congo", "India Civil Watch International" is not
    also India. Themes are keywords and never hide anything.
    """
    folded, origin = _folded_with_origin(text)
    # A dict drops the same mention found twice (French and English names that fold alike).
    raw = list(
        {
            (match.kind, match.key, match.start, match.end): match
            for candidate in candidates
            for match in _mentions(text, folded, origin, candidate)
        }.values()
    )
    kept = _longest(match for match in raw if match.kind != "theme")
    kept += [match for match in raw if match.kind == "theme"]
    kept += _implied(kept, candidates)
    return sorted(kept, key=lambda match: (match.start, match.implied, -match.end))


def first_mentions(matches: list[Match]) -> dict[tuple[str, Hashable], Match]:
    """Return one match per candidate: its first direct mention, else the first implied one."""
    best: dict[tuple[str, Hashable], Match] = {}
    for match in sorted(matches, key=lambda match: (match.implied, match.start)):
        best.setdefault((match.kind, match.key), match)
    return best


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """Return the folded text and, for each of its characters, the index it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text.translate(_SAME_CHAR)):
        folded = fold(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def _mentions(text: str, folded: str, origin: list[int], candidate: Candidate) -> Iterable[Match]:
    words = list(dict.fromkeys(word for word in [*candidate.names, *candidate.acronyms] if word.strip()))
    exact = [word for word in words if _is_short_acronym(word)]
    loose = [word for word in words if word not in exact]
    for word in exact:
        for found in _exact_pattern(word).finditer(text):
            yield Match(candidate.key, candidate.kind, found.group(), found.start(), found.end())
    for word in loose:
        pattern = _folded_pattern(word)
        if pattern is None:
            continue
        for found in pattern.finditer(folded):
            start, end = origin[found.start()], origin[found.end() - 1] + 1
            yield Match(candidate.key, candidate.kind, text[start:end], start, end)


def _is_short_acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return bool(letters) and len(word) <= SHORT_ACRONYM and all(char.isupper() for char in letters)


@cache
def _exact_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


@cache
def _folded_pattern(word: str) -> re.Pattern[str] | None:
    pieces = [
        re.escape(piece) for piece in _SEPARATORS.split(fold(word.translate(_SAME_CHAR)).strip()) if piece
    ]
    if not pieces:
        return None
    return re.compile(rf"(?<!\w){_GAP.join(pieces)}(?!\w)")


def _longest(matches: Iterable[Match]) -> list[Match]:
    """Drop every match lying inside a longer one (ties: both stay)."""
    ordered = sorted(matches, key=lambda match: (match.start, -match.end))
    kept: list[Match] = []
    for match in ordered:
        inside = any(
            other.start <= match.start
            and match.end <= other.end
            and (other.end - other.start) > (match.end - match.start)
            for other in kept
        )
        if not inside:
            kept.append(match)
    return kept


def _implied(matches: list[Match], candidates: list[Candidate]) -> list[Match]:
    implies = {(candidate.kind, candidate.key): candidate.implies for candidate in candidates}
    return [
        Match(key, kind, match.evidence, match.start, match.end, implied=True)
        for match in matches
        for kind, key in implies.get((match.kind, match.key), [])
    ]
