from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from jalon.tracking.markdown import render_markdown

register = template.Library()


@register.filter
def rollup_for(rollups: dict[str, Any] | None, item: Any) -> Any:
    """Return the rollup of an item: {{ rollups|rollup_for:item }}."""
    return (rollups or {}).get(item.path)


@register.filter
def markdown_excerpt(text: str, words: int = 20) -> str:
    """Return the first words of a journal entry as plain text, without its Markdown marks.

    The result is plain text (entities decoded), so the template escapes it as any text."""
    plain = html.unescape(strip_tags(render_markdown(text)))
    return Truncator(" ".join(plain.split())).words(words)
