from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def rollup_for(rollups: dict[str, Any] | None, item: Any) -> Any:
    """Return the rollup of an item: {{ rollups|rollup_for:item }}."""
    return (rollups or {}).get(item.path)
