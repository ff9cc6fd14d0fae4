"""Editing a plan through the API: its tree (add, move, delete items), its publication on
the public portal and the public mark of journal entries, files attached to entries, and
an item's history. The same forms, services and permissions as the pages that do it."""

import mimetypes
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.permissions import can_edit_plan, can_post_update
from jalon.plans import services as plan_services
from jalon.plans.forms import ItemForm, ItemMoveForm
from jalon.plans.models import Item, Plan
from jalon.tracking import services as tracking_services
from jalon.tracking.history import Change, item_history
from jalon.tracking.models import Attachment, Update

from . import editing_schemas as schemas
from . import schemas as shared
from .base import ERRORS, ApiError, Pages, checked, item_of, reader, writer
from .plans import router as plans_router

router = Router()


# The tree
#
# Django sends a path to the first router that declares it, which answers 405 to the
# methods it lacks: adding to /plans/{slug}/items and deleting /items/{pk} are declared on
# the router that already reads those paths.


@plans_router.post("/plans/{slug}/items", response={201: shared.ItemOut, **ERRORS}, tags=["items"])
def item_add(request: HttpRequest, slug: str, data: schemas.ItemIn) -> Any:
    plan = get_object_or_404(Plan, slug=slug)
    user = writer(request, can_edit_plan(request.user, plan))
    parent = _parent_in(plan, data.parent)
    form = checked(ItemForm(data.dict(include={"code", "title", "title_en", "body"})))
    item = plan_services.item_add(plan=plan, user=user, parent=parent, position=data.position, **form.texts())
    return Reply(201, item_of(item.pk))


def _parent_in(plan: Plan, pk: int | None) -> Item | None:
    if pk is None:
        return None
    parent = Item.objects.filter(plan=plan, pk=pk).first()
    if parent is None:
        raise ApiError(422, "invalid", _("This plan has no item %(id)s.") % {"id": pk}, {"parent": pk})
    return parent


@router.post("/items/{pk}/move", response={200: shared.ItemOut, **ERRORS}, tags=["items"])
def item_move(request: HttpRequest, pk: int, data: schemas.ItemMove) -> Item:
    item = item_of(pk)
    user = writer(request, can_edit_plan(request.user, item.plan))
    # The page's form counts positions from 1; the API from 0, as items read.
    fields = {"parent": data.parent or "", "position": data.position + 1}
    form = checked(ItemMoveForm(fields, item=item))
    try:
        plan_services.item_move(
            item=item, user=user, parent=form.cleaned_data["parent"], position=data.position
        )
    except ValueError as error:
        raise ApiError(422, "invalid", str(error), {"parent": data.parent}) from error
    return item_of(pk)


@plans_router.delete("/items/{pk}", response={204: None, **ERRORS}, tags=["items"])
def item_delete(request: HttpRequest, pk: int, confirm: bool = False) -> Any:
    item = item_of(pk)
    user = writer(request, can_edit_plan(request.user, item.plan))
    below = Item.objects.subtree(item).count() - 1  # type: ignore[attr-defined]
    if below and not confirm:
        # The page asks before deleting what lies below; a program confirms with ?confirm=true.
        message = _("%(count)s items lie below this one; send confirm=true to delete them too.")
        raise ApiError(409, "confirmation_needed", message % {"count": below}, {"below": below})
    plan_services.item_delete(item=item, user=user)
    return Reply(204, None)


# Publication


@router.get("/plans/{slug}/publication", response={200: schemas.PublicationOut, **ERRORS}, tags=["plans"])
def publication(request: HttpRequest, slug: str) -> Plan:
    reader(request)
    return _plan_with_publisher(slug)


@router.put("/plans/{slug}/publication", response={200: schemas.PublicationOut, **ERRORS}, tags=["plans"])
def publication_set(request: HttpRequest, slug: str, data: schemas.Publication) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    user = writer(request, can_edit_plan(request.user, plan))
    if not data.published:
        plan_services.plan_unpublish(plan=plan, user=user)
        return _plan_with_publisher(slug)
    try:
        plan_services.plan_publish(plan=plan, user=user)
    except plan_services.PublishRefused as refusal:
        raise ApiError(422, "publish_refused", str(refusal), {"status": plan.status}) from refusal
    return _plan_with_publisher(slug)


def _plan_with_publisher(slug: str) -> Plan:
    return get_object_or_404(Plan.objects.select_related("published_by"), slug=slug)


@router.patch("/updates/{pk}", response={200: shared.UpdateOut, **ERRORS}, tags=["journal"])
def update_mark(request: HttpRequest, pk: int, data: schemas.UpdateMark) -> Update:
    update = _update(pk)
    user = writer(request, can_post_update(request.user, update.item))
    tracking_services.update_publish(update=update, user=user, public=data.public)
    return _update(pk)


def _update(pk: int) -> Update:
    found = Update.objects.select_related("item__plan", "author").prefetch_related("links", "attachments")
    return get_object_or_404(found, pk=pk)


# Attachments


@router.get(
    "/updates/{pk}/attachments", response={200: list[shared.AttachmentOut], **ERRORS}, tags=["journal"]
)
def attachments(request: HttpRequest, pk: int) -> Any:
    reader(request)
    return _update(pk).attachments.order_by("pk")


@router.post(
    "/updates/{pk}/attachments",
    response={201: shared.AttachmentOut, **ERRORS},
    tags=["journal"],
)
def attachment_add(request: HttpRequest, pk: int, file: File[UploadedFile]) -> Any:
    update = _update(pk)
    writer(request, can_post_update(request.user, update.item))
    try:
        with transaction.atomic():
            attachment = tracking_services.attachment_add(update=update, upload=file)
    except ValidationError as refusal:
        raise ApiError(422, "invalid", " ".join(refusal.messages), {"file": refusal.messages}) from refusal
    return Reply(201, attachment)


def download_type(name: str) -> str:
    """Return the type a file is served with: guessed from its name, as the page does, never
    the type the uploader claimed."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# Every type a file can be served with, for the OpenAPI document.
DOWNLOAD_TYPES = sorted(
    {download_type(f"file{suffix}") for suffix in tracking_services.ALLOWED_ATTACHMENT_TYPES}
    | {"application/octet-stream"}
)
_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/attachments/{pk}",
    response={200: None, **ERRORS},
    tags=["journal"],
    url_name="attachment_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as a download.",
                "content": {media_type: _FILE for media_type in DOWNLOAD_TYPES},
            }
        }
    },
)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    reader(request)
    found = get_object_or_404(Attachment, pk=pk)
    # Served as a download, never rendered: an uploaded file must not run in our origin.
    response = FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.name, content_type=download_type(found.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# History


@router.get("/items/{pk}/history", response={200: list[schemas.ChangeOut], **ERRORS}, tags=["items"])
@paginate(Pages, page_size=50)
def history(request: HttpRequest, pk: int) -> list[Change]:
    reader(request)
    return item_history(item_of(pk))
