"""Editing a plan's tree from the web: change an item's texts, add, move or delete items.

Coordinators and administrators only. Every write is a POST that redirects (Post/Redirect/
Get) with a message; a form with errors is shown again with the errors next to the fields.
The tree services keep the history, the positions and the paths right."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan

from . import services
from .forms import ItemEditForm, ItemForm, ItemMoveForm
from .models import Item, Plan

GET_OR_POST = ["GET", "HEAD", "POST"]


def _editor(request: HttpRequest) -> User:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _item_for(request: HttpRequest, slug: str, pk: int) -> tuple[User, Item]:
    user = _editor(request)
    # Looking the item up through its plan's slug turns an item of another plan into a 404.
    return user, get_object_or_404(Item.objects.select_related("plan"), plan__slug=slug, pk=pk)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # A GET shows the blank form (unbound, so without errors) with 200 whatever the status.
    return render(request, template, context, status=200 if request.method != "POST" else status)


@require_http_methods(GET_OR_POST)
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, item = _item_for(request, slug, pk)
    context: dict[str, Any] = {"plan": item.plan, "item": item, "mode": "edit"}
    if request.method != "POST":
        return _page(request, "plans/item_form.html", {**context, "form": ItemEditForm.for_item(item)})
    form = ItemEditForm(request.POST)
    if not form.is_valid():
        return _page(request, "plans/item_form.html", {**context, "form": form}, status=400)
    try:
        services.item_edit(
            item=item, user=user, expected_version=form.cleaned_data["version"], changes=form.texts()
        )
    except services.ItemEditConflict as conflict:
        # Carry the current version so that saving again is a deliberate overwrite.
        data = request.POST.copy()
        data["version"] = str(conflict.current.version)
        context.update(form=ItemEditForm(data), current=conflict.current)
        return _page(request, "plans/item_form.html", context, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, "plans/item_form.html", {**context, "form": form}, status=400)
    messages.success(request, _("The item was saved."))
    return HttpResponseRedirect(item.get_absolute_url())


@require_http_methods(GET_OR_POST)
def add(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    user = _editor(request)
    if pk is None:
        plan, parent = get_object_or_404(Plan, slug=slug), None
    else:
        parent = get_object_or_404(Item.objects.select_related("plan"), plan__slug=slug, pk=pk)
        plan = parent.plan
    context: dict[str, Any] = {"plan": plan, "parent": parent, "mode": "add"}
    form = ItemForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return _page(request, "plans/item_form.html", {**context, "form": form}, status=400)
    texts = form.texts()
    try:
        item = services.item_add(
            plan=plan,
            user=user,
            parent=parent,
            code=texts["code"],
            title=texts["title"],
            title_en=texts["title_en"],
            body=texts["body"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, "plans/item_form.html", {**context, "form": form}, status=400)
    item.plan = plan
    messages.success(request, _("The item was added."))
    return HttpResponseRedirect(item.get_absolute_url())


@require_http_methods(GET_OR_POST)
def move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, item = _item_for(request, slug, pk)
    initial = {"parent": item.parent_id, "position": item.position + 1}
    form = ItemMoveForm(request.POST if request.method == "POST" else None, item=item, initial=initial)
    context: dict[str, Any] = {"plan": item.plan, "item": item, "form": form}
    if not form.is_valid():
        return _page(request, "plans/item_move.html", context, status=400)
    try:
        services.item_move(
            item=item,
            user=user,
            parent=form.cleaned_data["parent"],
            position=form.cleaned_data["position"] - 1,
        )
    except ValueError as error:
        form.add_error("parent", str(error))
        return _page(request, "plans/item_move.html", context, status=400)
    messages.success(request, _("The item was moved."))
    return HttpResponseRedirect(item.get_absolute_url())


@require_http_methods(GET_OR_POST)
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, item = _item_for(request, slug, pk)
    if request.method != "POST":
        below = Item.objects.subtree(item).count() - 1
        return render(request, "plans/item_delete.html", {"plan": item.plan, "item": item, "below": below})
    plan = item.plan
    back = (
        reverse("plans:item", args=[plan.slug, item.parent_id]) if item.parent_id else plan.get_absolute_url()
    )
    services.item_delete(item=item, user=user)
    messages.success(request, _("The item and everything under it were deleted."))
    return HttpResponseRedirect(back)
