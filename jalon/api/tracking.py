"""An action's tracking, journal, milestones, attachments and history."""

import mimetypes
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.models import User
from jalon.plans.models import Item
from jalon.tracking import services as tracking_services
from jalon.tracking.history import Change, item_history
from jalon.tracking.models import Attachment, Milestone, Update
from jalon.tracking.permissions import can_edit_action, can_post_update

from .base import ERRORS, ApiError, Pages, item_of, reader, writer
from .plans import item_out
from .plans_schemas import ItemOut
from .tracking_schemas import (
    AttachmentOut,
    ChangeOut,
    MilestoneChange,
    MilestoneIn,
    MilestoneOut,
    TrackingChange,
    UpdateIn,
    UpdateMark,
    UpdateOut,
)

router = Router()


@router.patch(
    "/items/{pk}/tracking",
    response={200: ItemOut, **ERRORS},
    tags=["tracking"],
    operation_id="jalon_api_plans_tracking_change",
)
def tracking_change(request: HttpRequest, pk: int, change: TrackingChange) -> Item:
    item = item_of(pk)
    user = writer(request, can_edit_action(request.user, item))
    if item.children.all():
        raise ApiError(422, "not_an_action", _("Only actions (items without children) are tracked."))
    fields = change.dict(exclude_unset=True, exclude={"version", "leads", "team"})
    try:
        tracking_services.action_update(
            item=item,
            user=user,
            expected_version=change.version,
            changes=fields,
            leads=_people(change.leads),
            team=_people(change.team),
        )
    except tracking_services.EditConflict as conflict:
        raise ApiError(409, "conflict", str(conflict), item_out(item_of(pk))) from conflict
    return item_of(pk)


def _people(usernames: list[str] | None) -> list[User] | None:
    if usernames is None:
        return None
    people = list(User.objects.filter(username__in=usernames, is_active=True))
    unknown = sorted(set(usernames) - {person.username for person in people})
    if unknown:
        raise ApiError(
            422, "unknown_people", _("Nobody is called %(names)s.") % {"names": ", ".join(unknown)}
        )
    return people


@router.get(
    "/items/{pk}/updates",
    response={200: list[UpdateOut], **ERRORS},
    tags=["journal"],
    operation_id="jalon_api_plans_updates",
)
@paginate(Pages, page_size=50)
def updates(request: HttpRequest, pk: int) -> QuerySet[Update]:
    reader(request)
    item = item_of(pk)
    rows = (
        item.updates.newest_first()
        .select_related("author")
        .prefetch_related("links", Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    return rows


@router.post(
    "/items/{pk}/updates",
    response={201: UpdateOut, **ERRORS},
    tags=["journal"],
    operation_id="jalon_api_plans_update_post",
)
def update_post(request: HttpRequest, pk: int, data: UpdateIn) -> Any:
    item = item_of(pk)
    user = writer(request, can_post_update(request.user, item))
    try:
        update = tracking_services.update_post(
            item=item,
            author=user,
            text=data.text,
            date=data.date,
            status=data.status or "",
            progress=data.progress,
            links=[tracking_services.LinkData(url=link.url, label=link.label) for link in data.links],
            expected_version=data.version,
        )
    except tracking_services.EditConflict as conflict:
        raise ApiError(409, "conflict", str(conflict), item_out(item_of(pk))) from conflict
    return Reply(201, update)


@router.get(
    "/items/{pk}/milestones",
    response={200: list[MilestoneOut], **ERRORS},
    tags=["tracking"],
    operation_id="jalon_api_plans_milestones",
)
def milestones(request: HttpRequest, pk: int) -> QuerySet[Milestone]:
    reader(request)
    return item_of(pk).milestones.all()


@router.post(
    "/items/{pk}/milestones",
    response={201: MilestoneOut, **ERRORS},
    tags=["tracking"],
    operation_id="jalon_api_plans_milestone_add",
)
def milestone_add(request: HttpRequest, pk: int, data: MilestoneIn) -> Any:
    item = item_of(pk)
    user = writer(request, can_edit_action(request.user, item))
    milestone = tracking_services.milestone_add(
        item=item, user=user, title=data.title, due_date=data.due_date
    )
    return Reply(201, milestone)


@router.patch(
    "/milestones/{pk}",
    response={200: MilestoneOut, **ERRORS},
    tags=["tracking"],
    operation_id="jalon_api_plans_milestone_mark",
)
def milestone_mark(request: HttpRequest, pk: int, change: MilestoneChange) -> Milestone:
    milestone = get_object_or_404(Milestone.objects.select_related("item__plan"), pk=pk)
    user = writer(request, can_edit_action(request.user, milestone.item))
    return tracking_services.milestone_mark(milestone=milestone, user=user, done_on=change.done_on)


@router.patch(
    "/updates/{pk}",
    response={200: UpdateOut, **ERRORS},
    tags=["journal"],
    operation_id="jalon_api_editing_update_mark",
)
def update_mark(request: HttpRequest, pk: int, data: UpdateMark) -> Update:
    update = _update(pk)
    user = writer(request, can_post_update(request.user, update.item))
    tracking_services.update_publish(update=update, user=user, public=data.public)
    return _update(pk)


def _update(pk: int) -> Update:
    found = Update.objects.select_related("item__plan", "author").prefetch_related("links", "attachments")
    return get_object_or_404(found, pk=pk)


@router.get(
    "/updates/{pk}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    tags=["journal"],
    operation_id="jalon_api_editing_attachments",
)
def attachments(request: HttpRequest, pk: int) -> Any:
    reader(request)
    return _update(pk).attachments.order_by("pk")


@router.post(
    "/updates/{pk}/attachments",
    response={201: AttachmentOut, **ERRORS},
    tags=["journal"],
    operation_id="jalon_api_editing_attachment_add",
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
    operation_id="jalon_api_editing_attachment_download",
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


@router.get(
    "/items/{pk}/history",
    response={200: list[ChangeOut], **ERRORS},
    tags=["items"],
    operation_id="jalon_api_editing_history",
)
@paginate(Pages, page_size=50)
def history(request: HttpRequest, pk: int) -> list[Change]:
    reader(request)
    return item_history(item_of(pk))
