"""Showing one journal entry on the public portal, or keeping it internal.

Whoever may write in the action's journal decides, as they do when they post it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from jalon.accounts.models import User
from jalon.tracking.permissions import can_post_update

from . import services
from .models import Update


@require_POST
def update_publish(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("item__plan"), pk=pk)
    if not can_post_update(request.user, update.item):
        raise PermissionDenied
    assert isinstance(request.user, User)
    services.update_publish(update=update, user=request.user, public=request.POST.get("public") == "1")
    return HttpResponseRedirect(f"{update.item.get_absolute_url()}#nouvelle-{update.pk}")
