"""The public portal: published plans read by anyone, without signing in.

Every view is login_not_required and reads through reads.py, which leaves out whatever is
internal. A plan that is not published is a 404, the same answer as a plan that does
not exist, so the portal does not even tell which drafts exist."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jalon.directory.maps import country_counts, map_rows, plan_map_svg
from jalon.plans.models import Item, Plan
from jalon.plans.tree import plan_tree
from jalon.plans.tree_html import branch_html, tree_html
from jalon.tracking.rollups import Rollup, tree_rollups

from . import reads


def _published_plan(slug: str) -> Plan:
    return get_object_or_404(Plan.objects.published(), slug=slug)


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    plans = list(Plan.objects.published())
    totals = reads.plan_totals(plans)
    for plan in plans:
        plan.total = totals.get(plan.pk, Rollup())  # type: ignore[attr-defined]
    return render(request, "portal/home.html", {"plans": plans})


@login_not_required
@require_safe
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _published_plan(slug)
    context = {
        "plan": plan,
        # Items carry no anomaly count here: the import report is internal.
        "tree_html": tree_html(
            plan_tree(plan), plan, tree_rollups(plan), url_name="portal:item", branch_url_name="portal:branch"
        ),
        "total": reads.plan_totals([plan]).get(plan.pk, Rollup()),
    }
    return render(request, "portal/plan_detail.html", context)


@login_not_required
@require_safe
def branch(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Return the items under one item of a published plan's tree, for a folded branch."""
    plan = _published_plan(slug)
    return HttpResponse(branch_html(plan, pk, tree_rollups(plan), "portal:item", "portal:branch"))


@login_not_required
@require_safe
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    published = Item.objects.filter(plan__in=Plan.objects.published()).select_related("plan")
    item = get_object_or_404(published, plan__slug=slug, pk=pk)
    plan = item.plan
    children = list(plan.items.filter(parent=item).in_document_order())
    context = {
        "plan": plan,
        "item": item,
        "ancestors": plan.items.filter(path__in=item.ancestor_paths()[1:]).in_document_order(),
        "children": children,
        "rollups": tree_rollups(plan),
        "updates": reads.public_updates(item),
        "links": reads.item_links(item),
    }
    return render(request, "portal/item_detail.html", context)


@login_not_required
@require_safe
def plan_map(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _published_plan(slug)
    counts = country_counts(plan)
    # The directory's country pages are internal: the portal's table names, it does not link.
    rows = [replace(row, url="") for row in map_rows(counts)]
    context = {"plan": plan, "map_svg": plan_map_svg(counts, rows), "map_rows": rows}
    return render(request, "portal/plan_map.html", context)


@login_not_required
@require_safe
def partners(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _published_plan(slug)
    context = {"plan": plan, "partners": reads.public_partners(plan)}
    return render(request, "portal/partners.html", context)
