"""The overview pages: dashboard, my actions, timeline, the actions list and search.

Internal pages: members and above read them; anonymous visitors go to the login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item, Plan
from jalon.tracking import reads
from jalon.tracking.rollups import plan_rollups

from .forms import ActionFilterForm
from .timeline import plan_timeline

View = Callable[..., HttpResponse]


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
    trackings = reads.actions_of_user(request.user)
    return render(request, "overview/my_actions.html", {"trackings": trackings})


@require_safe
@internal
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    quarters, undated = plan_timeline(plan)
    context = {"plan": plan, "quarters": quarters, "undated": undated}
    return render(request, "overview/timeline.html", context)


@require_safe
@internal
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    form = ActionFilterForm(request.GET or None, plan=plan)
    items = reads.actions(plan)
    if form.is_bound and form.is_valid():
        items = form.filter(items)
    context = {"plan": plan, "form": form, "items": items}
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
