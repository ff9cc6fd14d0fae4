"""The plan pages: the list of plans, one plan's tree, one item, the import report, exports.

Every page reads a fixed number of queries whatever the size of the plan: the tree comes
from one query (plan_tree) and everything else is fetched in bulk, never per item."""

from __future__ import annotations

from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .exporters import EXPORTERS
from .models import Anomaly, Item, Plan
from .panels import item_sections, tree_progress
from .tree import Node, plan_tree
from .tree_html import branch_html, tree_html


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.with_item_count().with_anomaly_count()
    return render(request, "plans/home.html", {"plans": plans})


@require_safe
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    tree = plan_tree(plan)
    _mark_anomaly_counts(tree, _anomaly_counts_by_item(plan))
    context = {
        "plan": plan,
        "tree_html": tree_html(tree, plan, tree_progress(plan), branch_url_name="plans:branch"),
        "item_count": sum(1 for root in tree for _node in root.walk()),
        "exports": sorted(EXPORTERS),
    }
    return render(request, "plans/plan_detail.html", context)


@require_safe
def branch(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Return the items under one item of the tree, for a folded branch being opened."""
    plan = get_object_or_404(Plan, slug=slug)
    return HttpResponse(branch_html(plan, pk, tree_progress(plan), "plans:item", "plans:branch"))


@require_safe
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # Looking the item up through its plan's slug turns an item of another plan into a 404.
    item = get_object_or_404(Item.objects.select_related("plan"), plan__slug=slug, pk=pk)
    plan = item.plan
    context = {
        "plan": plan,
        "item": item,
        # Going through plan.items hands each row its plan, so level_label costs no query.
        "ancestors": plan.items.filter(path__in=item.ancestor_paths()[1:]).in_document_order(),
        "children": plan.items.filter(parent=item).in_document_order(),
        "anomalies": item.anomalies.order_by(F("line").asc(nulls_last=True), "position"),
        **item_sections(request, item),
    }
    return render(request, "plans/item_detail.html", context)


@require_safe
def anomalies(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    context = {"plan": plan, "anomalies": _anomalies_by_line(plan)}
    return render(request, "plans/anomalies.html", context)


def _anomalies_by_line(plan: Plan) -> QuerySet[Anomaly]:
    """Return the plan's anomalies in the order of the source, those without a line last."""
    return plan.anomalies.select_related("item").order_by(F("line").asc(nulls_last=True), "position")


def _anomaly_counts_by_item(plan: Plan) -> dict[int, int]:
    rows = plan.anomalies.filter(item__isnull=False).values_list("item_id").annotate(count=Count("pk"))
    return dict(rows.order_by())


def _mark_anomaly_counts(tree: list[Node], counts: dict[int, int]) -> None:
    # The tree template shows a warning next to each item the import report talks about.
    for root in tree:
        for node in root.walk():
            node.item.anomaly_count = counts.get(node.item.pk, 0)  # type: ignore[attr-defined]
