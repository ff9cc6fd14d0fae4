"""A plan's items as nested nodes, built from one query in document order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .models import Item, Plan


@dataclass
class Node:
    item: Item
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def walk_with_depth(self, depth: int = 0) -> Iterator[tuple[int, Node]]:
        yield depth, self
        for child in self.children:
            yield from child.walk_with_depth(depth + 1)

    def find(self, pk: int) -> Node | None:
        return next((node for node in self.walk() if node.item.pk == pk), None)


def build_tree(items: Iterable[Item]) -> list[Node]:
    """Return the root nodes; items must come in document (path) order."""
    roots: list[Node] = []
    nodes: dict[int, Node] = {}
    for item in items:
        node = Node(item)
        nodes[item.pk] = node
        if item.parent_id is None:
            roots.append(node)
        else:
            nodes[item.parent_id].children.append(node)
    return roots


def plan_tree(plan: Plan) -> list[Node]:
    items = plan.items.in_document_order()
    for item in items:
        item.plan = plan  # spares a query per item when a template asks for item.plan
    return build_tree(items)
