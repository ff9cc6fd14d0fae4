"""The links review page of a plan: what detection proposed, for a coordinator to decide.

Everyone signed in reads it; coordinators and administrators decide, one link or all at
once, and run detection again. Every POST redirects back (Post/Redirect/Get) with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from jalon.accounts.permissions import can_edit_plan, can_read_internal
from jalon.plans.models import Plan

from . import services
from .models import ItemLink, LinkStatus
from .review import links_by_item, status_counts


@require_safe
def links_review(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_read_internal(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    status = request.GET.get("statut", LinkStatus.PROPOSED)
    if status not in LinkStatus.values:
        status = LinkStatus.PROPOSED
    counts = status_counts(plan)
    context = {
        "plan": plan,
        "status": status,
        "status_label": LinkStatus(status).label,
        "statuses": [(value, label, counts[value]) for value, label in LinkStatus.choices],
        "groups": links_by_item(plan, status),
        "can_decide": can_edit_plan(request.user),
    }
    return render(request, "directory/links_review.html", context)


@require_POST
def link_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _plan_to_decide(request, slug)
    link = get_object_or_404(
        ItemLink.objects.select_related("partner", "place", "theme"), item__plan=plan, pk=pk
    )
    accept = _accept(request)
    services.link_decide(link=link, user=request.user, accept=accept)  # type: ignore[arg-type]
    message = _("Link to “%(target)s” accepted.") if accept else _("Link to “%(target)s” rejected.")
    messages.success(request, message % {"target": link.target})
    return _back(plan, request)


@require_POST
def links_decide_all(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_to_decide(request, slug)
    accept = _accept(request)
    count = services.links_decide_all(plan=plan, user=request.user, accept=accept)  # type: ignore[arg-type]
    if accept:
        message = ngettext("%(count)d link accepted.", "%(count)d links accepted.", count)
    else:
        message = ngettext("%(count)d link rejected.", "%(count)d links rejected.", count)
    messages.success(request, message % {"count": count})
    return _back(plan, request)


@require_POST
def links_detect(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_to_decide(request, slug)
    count = services.links_propose(plan=plan)
    message = ngettext("%(count)d new link proposed.", "%(count)d new links proposed.", count)
    messages.success(request, message % {"count": count})
    return _back(plan, request)


def _plan_to_decide(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    if not can_edit_plan(request.user):
        raise PermissionDenied
    return plan


def _accept(request: HttpRequest) -> bool:
    # A missing decision is a bad request, never a silent rejection.
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        raise BadRequest("decision must be accept or reject")
    return decision == "accept"


def _back(plan: Plan, request: HttpRequest) -> HttpResponseRedirect:
    url = reverse("directory:links_review", args=[plan.slug])
    status = request.POST.get("statut", "")
    return HttpResponseRedirect(f"{url}?statut={status}" if status in LinkStatus.values else url)
