"""Showing the plan's own words: in which language, and in which order."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from jalon.plans.models import Item

register = template.Library()


@dataclass(frozen=True)
class Title:
    text: str
    lang: str


@register.simple_tag
def item_titles(item: Item, plan_language: str) -> list[Title]:
    """Return the item's titles, the one in the reader's language first.

    The plan's language is passed in rather than read from item.plan, which would cost a
    query for each item of a list."""
    written = Title(item.title, plan_language)
    if not item.title_en:
        return [written]
    english = Title(item.title_en, "en")
    reads_english = (get_language() or "").split("-")[0] == "en"
    return [english, written] if reads_english else [written, english]


@register.filter
def lang_attr(language: str) -> SafeString:
    """Return ` lang="fr"` for the plan's language, or nothing when the plan does not say."""
    return format_html(' lang="{}"', language) if language else SafeString("")
