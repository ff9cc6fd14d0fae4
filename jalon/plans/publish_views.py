"""Opening a plan to the public portal, or taking it off: coordinators and administrators.

One POST with publish=1 or publish=0 that redirects back to the plan page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan

from . import services
from .models import Plan


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    plan = get_object_or_404(Plan, slug=slug)
    if request.POST.get("publish") == "1":
        try:
            services.plan_publish(plan=plan, user=request.user)
        except services.PublishRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The plan is published on the public portal."))
    else:
        services.plan_unpublish(plan=plan, user=request.user)
        messages.success(request, _("The plan is no longer on the public portal."))
    return HttpResponseRedirect(plan.get_absolute_url())
