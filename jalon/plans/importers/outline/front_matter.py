"""The YAML front matter an outline may open with, between "---" lines.

It gives the title, the period ("2024-2025", or period_start and period_end dates), the
language and the level names; its other lines go to the preamble, so that nothing of
the source is lost. Only the shapes of YAML such headers use are read: a key and a value,
quoted or not, and a list of level names, as "- name" lines or a JSON list."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

from ..base import ParsedPlan
from ..common import period_from_text

FRONT_MATTER_FENCES = ("---", "...")
FRONT_MATTER_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$")
FRONT_MATTER_LINES = 200
TITLE_KEYS = ("title", "titre")
PERIOD_KEYS = ("period", "période", "periode")
LANGUAGE_KEYS = ("language", "lang", "langue")
LEVEL_KEYS = ("levels", "niveaux")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


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


def apply_period(plan: ParsedPlan, matter: FrontMatter) -> None:
    """Give the plan the period the front matter names, over the one its title names."""
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
