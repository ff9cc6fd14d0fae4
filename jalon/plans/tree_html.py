"""The plan tree as HTML, written in Python rather than with one template include per row.

Both the internal plan page and the public portal's show it.

A federation's plan has thousands of items; an include per row cost about 0.17 ms each,
so the page spent most of its time in the template engine. This writes the same markup
(`plans/_tree.html` and `plans/_tree_item.html` described it) in one pass, with every
piece of text from the plan escaped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from jalon.lib.badges import status_badge

from .models import Item, Plan
from .panels import Progress
from .tree import Node, plan_tree

_PK = 2_147_483_647  # stands for an item's key in a reversed URL, then replaced


# A tree longer than this is written down to the deepest level that keeps it within the
# limit; the branches below load when they are opened (a plan of 1,079 items wrote 682 kB).
ITEMS_AT_ONCE = 300


def fold_depth(nodes: list[Node], limit: int = ITEMS_AT_ONCE) -> int | None:
    """Return the depth whose children are loaded on demand, or None when every item fits."""
    by_depth = Counter(depth for root in nodes for depth, _node in root.walk_with_depth())
    if sum(by_depth.values()) <= limit:
        return None
    shown, depth = 0, 0
    while depth in by_depth and shown + by_depth[depth] <= limit:
        shown += by_depth[depth]
        depth += 1
    return max(depth - 1, 0)


class _TreeWriter:
    def __init__(
        self,
        plan: Plan,
        rollups: Mapping[str, Progress],
        url_name: str,
        branch_url_name: str | None,
        fold_at: int | None,
    ) -> None:
        self.plan = plan
        self.rollups = rollups
        self.fold_at = fold_at
        self.branch_url = (
            reverse(branch_url_name, args=[plan.slug, _PK]).replace(str(_PK), "{pk}")
            if branch_url_name
            else ""
        )
        self.plan_lang = _lang_attr(plan.language)
        self.reads_english = (get_language() or "").split("-")[0] == "en"
        self.item_url = _url_pattern(url_name, plan)
        self.progress_word = escape(gettext("Progress"))
        self.parts: list[str] = []

    def nodes(self, nodes: list[Node], depth: int = 0) -> None:
        write = self.parts.append
        write('<ul role="list">')
        for node in nodes:
            write(f'<li id="element-{node.item.pk}"><div class="tree__node">')
            self.row(node)
            if node.children and depth == self.fold_at:
                self.folded(node)
            elif node.children:
                write(
                    f'<details open><summary><span class="visually-hidden">{self.hint(node)}</span></summary>'
                )
                self.nodes(node.children, depth + 1)
                write("</details>")
            write("</div></li>")
        write("</ul>")

    def folded(self, node: Node) -> None:
        # Closed, and filled by htmx when opened; without JavaScript the link leads to the
        # item's own page, which lists what is under it.
        count = sum(1 for _ in node.walk()) - 1
        words = ngettext(
            "Show the %(counter)s item under this one", "Show the %(counter)s items under this one", count
        )
        self.parts.append(
            f'<details class="tree__folded" hx-get="{self.branch_url.format(pk=node.item.pk)}" '
            f'hx-trigger="toggle once" hx-target="find .tree__more" hx-swap="outerHTML">'
            f'<summary><span class="visually-hidden">{self.hint(node)}</span></summary>'
            f'<a class="tree__more" href="{self.item_url.format(pk=node.item.pk)}#sous-elements">'
            f"{escape(words % {'counter': count})}</a></details>"
        )

    def hint(self, node: Node) -> str:
        return escape(
            ngettext(
                "%(counter)s item under this one", "%(counter)s items under this one", len(node.children)
            )
            % {"counter": len(node.children)}
        )

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


def _url_pattern(url_name: str, plan: Plan) -> str:
    return reverse(url_name, args=[plan.slug, _PK]).replace(str(_PK), "{pk}")


def _lang_attr(language: str) -> str:
    return f' lang="{escape(language)}"' if language else ""


def tree_html(
    nodes: list[Node],
    plan: Plan,
    rollups: Mapping[str, Progress],
    url_name: str = "plans:item",
    branch_url_name: str | None = None,
) -> SafeString:
    """Return the nested list of the plan's items, each row with its progress, each title
    a link to the page url_name names (the internal item page, or the portal's). A long
    tree is folded below the deepest level that fits ITEMS_AT_ONCE, each folded branch
    loaded from branch_url_name when it is opened."""
    fold_at = fold_depth(nodes) if branch_url_name else None
    writer = _TreeWriter(plan, rollups, url_name, branch_url_name, fold_at)
    writer.nodes(nodes)
    # Every text above went through escape(); the rest is markup written here.
    return mark_safe("".join(writer.parts))  # noqa: S308


def branch_html(
    plan: Plan, pk: int, rollups: Mapping[str, Progress], url_name: str, branch_url_name: str
) -> SafeString:
    """Return the items under the item `pk` of the plan, folded in turn if they are many,
    or raise Http404 when the plan has no such item."""
    node = next((found for root in plan_tree(plan) if (found := root.find(pk))), None)
    if node is None:
        raise Http404
    return tree_html(node.children, plan, rollups, url_name, branch_url_name)
