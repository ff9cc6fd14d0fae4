"""The overview pages: dashboard, my actions, timeline, the actions list and search.

Internal pages: members and above read them; anonymous visitors go to the login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item, Plan
from jalon.tracking import reads
from jalon.tracking.rollups import plan_rollups

from .forms import ActionFilterForm
from .timeline import by_quarter, timeline_entries

View = Callable[..., HttpResponse]
# A federation's plan lists a thousand actions: a page of them at a time keeps it light.
ACTIONS_PER_PAGE = 100
ENTRIES_PER_PAGE = 200


def internal(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_internal(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@internal
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    total, rollups = plan_rollups(plan)
    actions = reads.actions(plan)
    context = {
        "plan": plan,
        "total": total,
        "rollups": rollups,
        "axes": plan.items.roots().in_document_order(),
        "late": reads.late(actions).order_by("tracking__due_date", "path"),
        "without_lead": reads.without_lead(actions),
        "stale": reads.stale(actions),
        "updates": reads.recent_updates(plan),
    }
    return render(request, "overview/dashboard.html", context)


@require_safe
@internal
def my_actions(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    page = Paginator(reads.actions_of_user(request.user), ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "overview/my_actions.html", {"trackings": page.object_list, "page": page})


@require_safe
@internal
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    page = Paginator(timeline_entries(plan), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    quarters, undated = by_quarter(plan, list(page.object_list), whole_period=not page.has_other_pages())
    context = {"plan": plan, "quarters": quarters, "undated": undated, "page": page}
    return render(request, "overview/timeline.html", context)


@require_safe
@internal
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    form = ActionFilterForm(request.GET or None, plan=plan)
    items = reads.actions(plan)
    if form.is_bound and form.is_valid():
        items = form.filter(items)
    page = Paginator(items, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"plan": plan, "form": form, "items": page.object_list, "page": page}
    return render(request, "overview/actions.html", context)


@require_safe
@internal
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = Item.objects.none()
    if query:
        results = Item.objects.search(query).select_related("plan").order_by("plan__title", "plan_id", "path")
    context = {"query": query, "results": results[:200]}
    return render(request, "overview/search.html", context)
