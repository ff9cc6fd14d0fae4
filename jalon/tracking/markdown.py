"""Markdown of the journal rendered to safe HTML: raw HTML is escaped, unsafe links dropped."""

from __future__ import annotations

from functools import cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    # "html": False escapes any HTML typed in the text; commonmark's link validation
    # already refuses javascript:, vbscript: and file: addresses.
    parser = MarkdownIt("commonmark", {"html": False})
    try:
        import linkify_it  # noqa: F401
    except ImportError:
        return parser
    parser.options["linkify"] = True
    return parser.enable("linkify")


def render_markdown(text: str) -> SafeString:
    """Return the text rendered as HTML that is safe to put in a page."""
    return mark_safe(_parser().render(text))  # noqa: S308 - escaped by the parser
