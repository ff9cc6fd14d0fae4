"""Jalon's JSON document in parts: the tree of a plan belongs to plans, and each app built on
plans owns its part of the document through one DocumentSection.

Plans is the ground floor and cannot know the apps above it, yet one document carries
them all: the directory writes the plan's "directory" and each item's "links", tracking an
item's "tracking", "milestones" and "updates", results its "results" and "budget". The
whole-plan exchange (`jalon.exchange`) hands every app's section to the tree's reader
(importers/json_format.py) and writer (exporters/json_format.py), and stores each
section once the plan exists."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .importers.base import ParsedItem, ParsedPlan

if TYPE_CHECKING:  # models need the app registry; readers of the document do not
    from jalon.accounts.models import User

    from .models import Plan

# Checks one item's value for a key at a path ("items[0].tracking") and returns what to
# keep in the parsed item's extra fields, or raises json_checks.Invalid.
ItemReader = Callable[[Any, str], Any]


@dataclass
class SectionValues:
    """What a section writes: keys at the plan's level, and keys per item (by primary key)."""

    plan: dict[str, Any] = field(default_factory=dict)
    items: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentSection:
    # The keys this section adds to an item, in the order they are written.
    item_keys: tuple[str, ...]
    write: Callable[[Plan], SectionValues]
    # Stores what the parsed plan carries for this section, right after the plan's tree;
    # returns what had to be left out, in words for the person importing.
    store: Callable[[Plan, ParsedPlan, User | None], list[str]]
    item_readers: Mapping[str, ItemReader] = field(default_factory=dict)
    # A key at the plan's level, written before "items", and how to read the whole
    # section when reading an item's keys needs it (links name the plan's directory).
    plan_keys: tuple[str, ...] = ()
    read: Callable[[dict[str, Any], list[ParsedItem], ParsedPlan], None] | None = None

    def read_document(self, document: dict[str, Any], items: list[ParsedItem], parsed: ParsedPlan) -> None:
        """Check this section's keys in the document and keep them in the parsed plan."""
        if self.read is not None:
            self.read(document, items, parsed)
        if self.item_readers:
            _read_items(self.item_readers, document.get("items", []), items, "items")


def _read_items(
    readers: Mapping[str, ItemReader], values: list[Any], items: list[ParsedItem], path: str
) -> None:
    for index, (value, item) in enumerate(zip(values, items, strict=True)):
        here = f"{path}[{index}]"
        for key, reader in readers.items():
            if key in value:
                item.extra[key] = reader(value[key], f"{here}.{key}")
        _read_items(readers, value.get("children", []), item.children, f"{here}.children")
