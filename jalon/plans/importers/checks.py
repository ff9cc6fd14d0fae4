"""Anomalies that any format can have, found on the parsed tree: duplicate, missing and
out-of-order codes, codes that do not match their parent, and level labels that change
within a level. They are reported, never repaired: the tree stays as written."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .base import Anomaly, ParsedItem, ParsedPlan

ROMAN = re.compile(r"^(?=[MDCLXVI])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# Past this many missing numbers, a gap is a change of series, not forgotten items.
MAX_REPORTED_GAP = 5


def normalise_code(code: str) -> str:
    """Return the code without the trailing dot or bracket that numbering often carries."""
    return code.strip().rstrip(".)").strip()


def last_segment(code: str) -> str:
    return re.split(r"[.\-]", normalise_code(code))[-1] if code.strip() else ""


def code_ordinal(code: str, roman: bool = False) -> int | None:
    """Return the number of the code's last segment (12 for "1.12", 2 for "B", 4 for "IV")."""
    last = last_segment(code)
    if last.isdigit():
        return int(last)
    if roman and ROMAN.match(last.upper()):
        return _roman_value(last.upper())
    if len(last) == 1 and last.isalpha():
        return ord(last.upper()) - ord("A") + 1
    if ROMAN.match(last.upper()):
        return _roman_value(last.upper())
    return None


def reads_as_roman(items: list[ParsedItem]) -> bool:
    """Return whether a series is numbered in roman numerals: "I, II, III", not "A, B, C"."""
    return all(ROMAN.match(last_segment(item.code).upper()) for item in items)


def _roman_value(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, numeral[1:] + " ", strict=True):
        value = ROMAN_VALUES[char]
        total += -value if following != " " and ROMAN_VALUES[following] > value else value
    return total


def code_prefix(code: str) -> str:
    parts = re.split(r"[.\-]", normalise_code(code))
    return ".".join(parts[:-1])


def report_code_anomalies(parsed: ParsedPlan) -> None:
    found: list[Anomaly] = []
    found += _check_siblings(parsed.items, parent=None)
    for _depth, item in parsed.walk():
        found += _check_siblings(item.children, parent=item)
    found += _check_level_labels(parsed)
    parsed.anomalies.extend(found)
    parsed.anomalies.sort(key=lambda anomaly: anomaly.line or 0)


def _check_siblings(siblings: list[ParsedItem], parent: ParsedItem | None) -> Iterable[Anomaly]:
    coded = [item for item in siblings if item.code]
    if not coded:
        return
    for item in siblings:
        if not item.code:
            yield Anomaly("no_code", line=item.line_start, text=item.title, item=item)
    yield from _check_parent_prefix(coded, parent)
    roman = reads_as_roman(coded)
    seen: dict[str, ParsedItem] = {}
    highest: tuple[int, ParsedItem] | None = None
    for item in coded:
        key = normalise_code(item.code)
        ordinal = code_ordinal(item.code, roman)
        if key in seen:
            yield Anomaly(
                "duplicate_code",
                line=item.line_start,
                code=item.code,
                text=item.title,
                item=item,
                params={"first_line": seen[key].line_start or "?"},
            )
        if ordinal is not None and highest is not None and ordinal < highest[0]:
            yield Anomaly(
                "out_of_order",
                line=item.line_start,
                code=item.code,
                text=item.title,
                item=item,
                params={"previous": highest[1].code},
            )
        seen.setdefault(key, item)
        if ordinal is not None and (highest is None or ordinal > highest[0]):
            highest = (ordinal, item)
    yield from _check_gaps(coded)


def _check_parent_prefix(coded: list[ParsedItem], parent: ParsedItem | None) -> Iterable[Anomaly]:
    if parent is None or not parent.code:
        return
    expected = normalise_code(parent.code)
    for item in coded:
        prefix = code_prefix(item.code)
        if prefix and prefix != expected:
            yield Anomaly(
                "code_mismatch",
                line=item.line_start,
                code=item.code,
                text=item.title,
                item=item,
                params={"parent": parent.code},
            )


def _check_gaps(coded: list[ParsedItem]) -> Iterable[Anomaly]:
    """Report numbers missing from a series (1.4.3 between 1.4.2 and 1.4.4)."""
    roman = reads_as_roman(coded)
    numbered = [(code_ordinal(item.code, roman), item) for item in coded]
    ordinals = {ordinal for ordinal, _ in numbered if ordinal is not None}
    if not ordinals or len(ordinals) < len(numbered) / 2:
        return
    prefixes = {code_prefix(item.code) for item in coded}
    if len(prefixes) != 1:
        return
    prefix = prefixes.pop()
    missing = sorted(set(range(1, max(ordinals) + 1)) - ordinals)
    if len(missing) > MAX_REPORTED_GAP:
        return
    numeric = all(normalise_code(item.code).split(".")[-1].isdigit() for item in coded)
    for number in missing:
        before = max((o for o in ordinals if o < number), default=None)
        after_item = next(item for ordinal, item in numbered if ordinal and ordinal > number)
        code = _spell(prefix, number) if numeric else str(number)
        yield Anomaly(
            "missing_code",
            line=after_item.line_start,
            code=code,
            item=after_item,
            params={
                "before": _spell(prefix, before) if before and numeric else "—",
                "after": after_item.code,
            },
        )


def _spell(prefix: str, number: int) -> str:
    return f"{prefix}.{number}" if prefix else str(number)


def _check_level_labels(parsed: ParsedPlan) -> Iterable[Anomaly]:
    expected: dict[int, str] = {}
    for depth, item in parsed.walk():
        if not item.label:
            continue
        first = expected.setdefault(depth, item.label)
        if item.label.casefold() != first.casefold():
            yield Anomaly(
                "level_label",
                line=item.line_start,
                code=item.code,
                text=item.label,
                item=item,
                params={"label": item.label, "expected": first},
            )
