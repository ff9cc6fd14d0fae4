"""The overview pages: dashboard, my actions, timeline, the actions list and search.

Internal pages: members and above read them; anonymous visitors go to the login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item, Plan

from . import overview
from .models import Status
from .rollups import plan_rollups

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
    actions = overview.actions(plan)
    context = {
        "plan": plan,
        "total": total,
        "rollups": rollups,
        "axes": plan.items.roots().in_document_order(),
        "late": overview.late(actions).order_by("tracking__due_date", "path"),
        "without_lead": overview.without_lead(actions),
        "stale": overview.stale(actions),
        "updates": overview.recent_updates(plan),
    }
    return render(request, "tracking/overview/dashboard.html", context)


@require_safe
@internal
def my_actions(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    trackings = overview.actions_of_user(request.user)
    return render(request, "tracking/overview/my_actions.html", {"trackings": trackings})


@require_safe
@internal
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    quarters, undated = overview.timeline(plan)
    context = {"plan": plan, "quarters": quarters, "undated": undated}
    return render(request, "tracking/overview/timeline.html", context)


class ActionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    axis = forms.ModelChoiceField(label=_("Axis"), queryset=Item.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=User.objects.none(), required=False)
    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.items.roots().in_document_order()  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All"))] + list(Status.choices)  # type: ignore[attr-defined]
        leads = User.objects.filter(leading__item__plan=plan).distinct()
        self.fields["lead"].queryset = leads  # type: ignore[attr-defined]

    def filter(self, items: QuerySet[Item]) -> QuerySet[Item]:
        data = self.cleaned_data
        if data.get("q"):
            items = items.search(data["q"])  # type: ignore[attr-defined]
        if data.get("axis"):
            items = items.filter(path__startswith=data["axis"].path)
        if data.get("status"):
            items = overview.with_status(items, data["status"])
        if data.get("lead"):
            items = items.filter(tracking__leads=data["lead"])
        if data.get("late"):
            items = overview.late(items, timezone.localdate())
        return items


@require_safe
@internal
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    form = ActionFilterForm(request.GET or None, plan=plan)
    items = overview.actions(plan)
    if form.is_bound and form.is_valid():
        items = form.filter(items)
    context = {"plan": plan, "form": form, "items": items}
    return render(request, "tracking/overview/actions.html", context)


@require_safe
@internal
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = Item.objects.none()
    if query:
        results = Item.objects.search(query).select_related("plan").order_by("plan__title", "plan_id", "path")
    context = {"query": query, "results": results[:200]}
    return render(request, "tracking/overview/search.html", context)
