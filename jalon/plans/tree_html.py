"""The plan tree as HTML, written in Python rather than with one template include per row.

Both the internal plan page and the public portal's show it.

A federation's plan has thousands of items; an include per row cost about 0.17 ms each,
so the page spent most of its time in the template engine. This writes the same markup
(`plans/_tree.html` and `plans/_tree_item.html` described it) in one pass, with every
piece of text from the plan escaped."""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from jalon.lib.badges import status_badge

from .models import Item, Plan
from .panels import Progress
from .tree import Node

_PK = 2_147_483_647  # stands for an item's key in a reversed URL, then replaced


class _TreeWriter:
    def __init__(self, plan: Plan, rollups: Mapping[str, Progress], url_name: str) -> None:
        self.plan = plan
        self.rollups = rollups
        self.plan_lang = _lang_attr(plan.language)
        self.reads_english = (get_language() or "").split("-")[0] == "en"
        self.item_url = reverse(url_name, args=[plan.slug, _PK]).replace(str(_PK), "{pk}")
        self.progress_word = escape(gettext("Progress"))
        self.parts: list[str] = []

    def nodes(self, nodes: list[Node]) -> None:
        write = self.parts.append
        write('<ul role="list">')
        for node in nodes:
            write(f'<li id="element-{node.item.pk}"><div class="tree__node">')
            self.row(node)
            if node.children:
                hint = ngettext(
                    "%(counter)s item under this one", "%(counter)s items under this one", len(node.children)
                ) % {"counter": len(node.children)}
                write(f'<details open><summary><span class="visually-hidden">{escape(hint)}</span></summary>')
                self.nodes(node.children)
                write("</details>")
            write("</div></li>")
        write("</ul>")

    def row(self, node: Node) -> None:
        item = node.item
        url = self.item_url.format(pk=item.pk)
        text, lang = self.title(item)
        meta = ""
        if item.level_label:
            meta += f'<span class="level"{self.plan_lang}>{escape(item.level_label)}</span>'
        if item.code:
            meta += f'<span class="code">{escape(item.code)}</span>'
        html = (
            f'<div class="tree__row"><span class="tree__meta">{meta}</span>'
            f'<a class="tree__title" href="{url}"{_lang_attr(lang)}>{escape(text)}</a>'
        )
        anomaly_count = getattr(item, "anomaly_count", 0)
        if anomaly_count:
            words = ngettext("%(counter)s anomaly", "%(counter)s anomalies", anomaly_count) % {
                "counter": anomaly_count
            }
            html += f'<a class="flag" href="{url}#anomalies">{escape(words)}</a>'
        rollup = self.rollups.get(item.path)
        if rollup:
            html += '<span class="tree__progress">'
            if not node.children:
                status, label, _count = rollup.status_list[0]
                html += status_badge(status, label)
            html += self.meter(rollup.progress)
            html += "</span>"
        self.parts.append(html + "</div>")

    def title(self, item: Item) -> tuple[str, str]:
        # The reader's language first when the item has an English title (plan_text.item_titles).
        if item.title_en and self.reads_english:
            return item.title_en, "en"
        return item.title, self.plan.language

    def meter(self, value: int) -> str:
        return (
            f'<span class="meter"><progress max="100" value="{value}" aria-hidden="true"></progress>'
            f'<span class="meter__text"><span class="visually-hidden">{self.progress_word} </span>'
            f"{value} %</span></span>"
        )


def _lang_attr(language: str) -> str:
    return f' lang="{escape(language)}"' if language else ""


def tree_html(
    nodes: list[Node], plan: Plan, rollups: Mapping[str, Progress], url_name: str = "plans:item"
) -> SafeString:
    """Return the nested list of the plan's items, each row with its progress, each title
    a link to the page url_name names (the internal item page, or the portal's)."""
    writer = _TreeWriter(plan, rollups, url_name)
    writer.nodes(nodes)
    # Every text above went through escape(); the rest is markup written here.
    return mark_safe("".join(writer.parts))  # noqa: S308
