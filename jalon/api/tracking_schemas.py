"""The shapes of an action's tracking, journal, milestones and history in the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema


class TrackingChange(Schema):
    version: int = Field(description="The version read; a stale one is refused with 409.")
    status: str | None = None
    progress: int | None = Field(None, ge=0, le=100)
    priority: str | None = None
    start_date: datetime.date | None = None
    due_date: datetime.date | None = None
    notes: str | None = None
    leads: list[str] | None = Field(None, description="Usernames.")
    team: list[str] | None = Field(None, description="Usernames.")


class LinkIn(Schema):
    url: str
    label: str = ""


class UpdateIn(Schema):
    text: str
    date: datetime.date | None = None
    status: str | None = None
    progress: int | None = Field(None, ge=0, le=100)
    links: list[LinkIn] = []
    version: int | None = Field(
        None, description="The tracking version read, when status or progress change."
    )


class AttachmentOut(Schema):
    id: int
    update: int
    name: str
    size: int = Field(description="In bytes.")
    content_type: str = Field(description="The type the uploading program declared.")
    download: str = Field(description="The API address that answers the file, for a token.")

    @staticmethod
    def resolve_update(attachment: Any) -> int:
        return attachment.update_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_download(attachment: Any) -> str:
        return reverse("api:attachment_download", args=[attachment.pk])


class UpdateOut(Schema):
    id: int
    item: int
    date: datetime.date
    author: str | None
    text: str
    status: str
    progress: int | None
    links: list[LinkIn]
    attachments: list[AttachmentOut]
    public: bool = Field(description="Shown on the public portal once the plan is published.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_item(update: Any) -> int:
        return update.item_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_author(update: Any) -> str | None:
        return update.author.username if update.author else None

    @staticmethod
    def resolve_links(update: Any) -> list[dict[str, str]]:
        return [{"url": link.url, "label": link.label} for link in update.links.all()]


class MilestoneOut(Schema):
    id: int
    item: int
    title: str
    due_date: datetime.date | None
    done_on: datetime.date | None

    @staticmethod
    def resolve_item(milestone: Any) -> int:
        return milestone.item_id  # type: ignore[no-any-return]


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    due_date: datetime.date | None = None


class MilestoneChange(Schema):
    done_on: datetime.date | None = Field(description="The day it was reached; null to mark it not done.")


class UpdateMark(Schema):
    public: bool = Field(
        description="Shown on the public portal while the plan is published; internal otherwise."
    )


class ChangeOut(Schema):
    when: datetime.datetime
    who: str | None = Field(description="The username, or null for a change nobody signed.")
    who_name: str | None = Field(description="Their full name, as the item page shows it.")
    what: str = Field(description="The field or the thing added, in the caller's language.")
    before: str
    after: str

    @staticmethod
    def resolve_who(change: Any) -> str | None:
        return change.who.username if change.who else None

    @staticmethod
    def resolve_who_name(change: Any) -> str | None:
        return (change.who.get_full_name() or change.who.username) if change.who else None
