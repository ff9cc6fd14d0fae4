"""What the plan's own pages show of the apps built on plans.

Plans is the ground floor: it cannot import tracking, the directory or results, yet the
item page shows an action's tracking, links and indicators, and the tree shows progress.
Each of those apps plugs in here when Django starts (its AppConfig.ready) and the pages
ask here, so plans never learns their names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.http import HttpRequest

from .models import Item, Plan


class Progress(Protocol):
    """How far the actions under an item are: what a tree row shows."""

    @property
    def progress(self) -> int: ...

    @property
    def status_list(self) -> list[tuple[str, str, int]]: ...


ItemSection = Callable[[HttpRequest, Item], dict[str, Any]]
TreeProgress = Callable[[Plan], Mapping[str, Progress]]

_item_sections: list[ItemSection] = []
_tree_progress: list[TreeProgress] = []


def add_item_section(section: ItemSection) -> None:
    """Have the item page ask `section` for the context of its part of the page."""
    if section not in _item_sections:
        _item_sections.append(section)


def item_sections(request: HttpRequest, item: Item) -> dict[str, Any]:
    """Return the context every app gives the item page, in the order the apps started."""
    context: dict[str, Any] = {}
    for section in _item_sections:
        context.update(section(request, item))
    return context


def set_tree_progress(progress: TreeProgress) -> None:
    """Have the plan tree show, beside each item, the progress `progress` reads by path."""
    _tree_progress[:] = [progress]


def tree_progress(plan: Plan) -> Mapping[str, Progress]:
    """Return each item's progress by path, or nothing when no app tracks progress."""
    return _tree_progress[0](plan) if _tree_progress else {}
