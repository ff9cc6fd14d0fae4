"""Writes to an action's tracking, shared by the web, the command line and the API.
Each is one transaction and refuses to overwrite a change made since the form was read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.plans.models import Item

from .models import Attachment, Milestone, Status, Tracking, Update, UpdateLink

TRACKED_FIELDS = ("status", "progress", "priority", "start_date", "due_date", "notes")
# Files people attach as evidence; anything else (executables, HTML) is refused.
ALLOWED_ATTACHMENT_TYPES = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".txt",
    ".csv",
    ".md",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".ppt",
    ".pptx",
    ".odp",
}


class EditConflict(Exception):
    """Someone saved the same action after this form was read; nothing was written."""

    def __init__(self, current: Tracking) -> None:
        super().__init__(_("Someone else changed this action while you were editing it."))
        self.current = current


@dataclass(frozen=True)
class LinkData:
    url: str
    label: str = ""


@dataclass(frozen=True)
class ActionChange:
    """One action's changes, as read from an actions table made at `expected_version`."""

    item: Item
    expected_version: int
    changes: dict[str, Any]
    leads: Sequence[User] | None = None
    team: Sequence[User] | None = None


@transaction.atomic
def actions_update(*, changes: Sequence[ActionChange], user: User) -> int:
    """Apply every action's changes through action_update, all or none (EditConflict)."""
    for change in changes:
        action_update(
            item=change.item,
            user=user,
            expected_version=change.expected_version,
            changes=change.changes,
            leads=change.leads,
            team=change.team,
        )
    return len(changes)


def tracking_for(item: Item) -> Tracking:
    tracking, _created = Tracking.objects.get_or_create(item=item)
    return tracking


@transaction.atomic
def action_update(
    *,
    item: Item,
    user: User,
    expected_version: int,
    changes: dict[str, Any],
    leads: Sequence[User] | None = None,
    team: Sequence[User] | None = None,
) -> Tracking:
    """Change an action's tracking fields, or raise EditConflict if it moved on meanwhile."""
    tracking = _locked(item)
    if tracking.version != expected_version:
        raise EditConflict(tracking)
    for name, value in changes.items():
        if name not in TRACKED_FIELDS:
            raise ValueError(f"{name} is not a tracking field")
        setattr(tracking, name, value)
    keep_status_and_progress_consistent(tracking, changes)
    _save(tracking, user)
    _set_people(tracking, leads=leads, team=team)
    return tracking


def _people_keys(tracking: Tracking, name: str) -> set[int]:
    return set(getattr(tracking, name).values_list("pk", flat=True))


def _set_people(tracking: Tracking, *, leads: Sequence[User] | None, team: Sequence[User] | None) -> None:
    wanted = {"leads": leads, "team": team}
    changed = {
        name: people
        for name, people in wanted.items()
        if people is not None and {person.pk for person in people} != _people_keys(tracking, name)
    }
    if not changed:
        return
    # set() removes then adds, which history would record as two steps; the people are
    # recorded once, by the save below, as one change from the old list to the new one.
    tracking.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        for name, people in changed.items():
            getattr(tracking, name).set(people)
    finally:
        del tracking.skip_history_when_saving  # type: ignore[attr-defined]
    tracking.save(update_fields=["updated_at"])


def _locked(item: Item) -> Tracking:
    tracking_for(item)
    return Tracking.objects.select_for_update().get(item=item)


def keep_status_and_progress_consistent(tracking: Tracking, changes: dict[str, Any]) -> None:
    # A done action is 100 % done; an action given 100 % without a word on status is done.
    if changes.get("status") == Status.DONE:
        tracking.progress = 100
    elif changes.get("progress") == 100 and "status" not in changes:
        tracking.status = Status.DONE
    elif changes.get("progress") and tracking.status == Status.NOT_STARTED and "status" not in changes:
        tracking.status = Status.IN_PROGRESS


def _save(tracking: Tracking, user: User) -> None:
    tracking.full_clean(exclude=["item"])
    tracking.version += 1
    tracking._history_user = user  # type: ignore[attr-defined]
    tracking.save()


@transaction.atomic
def update_post(
    *,
    item: Item,
    author: User,
    text: str,
    date: datetime.date | None = None,
    status: str = "",
    progress: int | None = None,
    links: Iterable[LinkData] = (),
    files: Iterable[UploadedFile] = (),
    expected_version: int | None = None,
    public: bool = False,
) -> Update:
    """Add a dated entry to the action's journal, changing its status and progress with it."""
    update = Update(item=item, author=author, text=text, status=status, progress=progress, public=public)
    if date:
        update.date = date
    update.full_clean(exclude=["item", "author"])
    update._history_user = author  # type: ignore[attr-defined]
    update.save()
    UpdateLink.objects.bulk_create(
        [UpdateLink(update=update, url=link.url, label=link.label) for link in links]
    )
    for upload in files:
        attachment_add(update=update, upload=upload)
    changes: dict[str, Any] = {}
    if status:
        changes["status"] = status
    if progress is not None:
        changes["progress"] = progress
    if changes:
        tracking = tracking_for(item)
        version = tracking.version if expected_version is None else expected_version
        action_update(item=item, user=author, expected_version=version, changes=changes)
    return update


@transaction.atomic
def update_publish(*, update: Update, user: User, public: bool) -> Update:
    """Show a journal entry on the public portal, or take it back to internal, with history."""
    if update.public != public:
        update.public = public
        update._history_user = user  # type: ignore[attr-defined]
        update.save(update_fields=["public"])
    return update


def attachment_add(*, update: Update, upload: UploadedFile) -> Attachment:
    name = PurePath(upload.name or "file").name
    if PurePath(name).suffix.lower() not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            _("%(name)s: this kind of file cannot be attached (allowed: %(types)s).")
            % {"name": name, "types": ", ".join(sorted(ALLOWED_ATTACHMENT_TYPES))}
        )
    if upload.size and upload.size > settings.JALON_MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": settings.JALON_MAX_ATTACHMENT_BYTES // 1_000_000}
        )
    attachment = Attachment(
        update=update,
        name=name,
        size=upload.size or 0,
        content_type=upload.content_type or "application/octet-stream",
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def milestone_add(*, item: Item, user: User, title: str, due_date: datetime.date | None) -> Milestone:
    milestone = Milestone(item=item, title=title, due_date=due_date)
    milestone.full_clean(exclude=["item"])
    milestone._history_user = user  # type: ignore[attr-defined]
    milestone.save()
    return milestone


@transaction.atomic
def milestone_mark(*, milestone: Milestone, user: User, done_on: datetime.date | None) -> Milestone:
    milestone.done_on = done_on
    milestone._history_user = user  # type: ignore[attr-defined]
    milestone.save(update_fields=["done_on"])
    return milestone
