"""The shapes the API reads and writes, which its OpenAPI document describes."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema


class ErrorBody(Schema):
    code: str = Field(description="A stable word for programs: not_found, forbidden, conflict…")
    message: str = Field(description="What went wrong, in plain words, in the caller's language.")
    details: Any = None


class Error(Schema):
    """Every error the API returns has this one shape."""

    error: ErrorBody


class Me(Schema):
    username: str
    full_name: str
    first_name: str
    last_name: str
    email: str
    role: str
    language: str
    scope: str


class MeChange(Schema):
    """What the profile page changes; fields left out keep their value."""

    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    language: str | None = Field(None, description="fr or en: the pages' and the API's language.")


class PlanOut(Schema):
    slug: str
    title: str
    organisation: str
    status: str
    language: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    levels: list[str]
    item_count: int
    published_at: datetime.datetime | None = Field(
        description="When the plan was opened on the public portal; null while it is not."
    )


class Progress(Schema):
    actions: int
    progress: int = Field(description="Mean progress of the actions, cancelled ones left out, in percent.")
    by_status: dict[str, int]


class PlanDetail(PlanOut):
    preamble: str
    progress: Progress
    axes: list[AxisProgress]


class AxisProgress(Schema):
    id: int
    code: str
    title: str
    progress: Progress


class TrackingOut(Schema):
    status: str
    progress: int
    priority: str
    start_date: datetime.date | None
    due_date: datetime.date | None
    notes: str
    leads: list[str]
    team: list[str]
    version: int


class ItemOut(Schema):
    id: int
    plan: str
    parent: int | None
    depth: int
    position: int
    level: str
    code: str
    title: str
    title_en: str
    body: str
    version: int
    tracking: TrackingOut | None = Field(description="For actions (items without children).")

    @staticmethod
    def resolve_plan(item: Any) -> str:
        return str(item.plan.slug)

    @staticmethod
    def resolve_parent(item: Any) -> int | None:
        return item.parent_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_level(item: Any) -> str:
        return str(item.level_label)

    @staticmethod
    def resolve_tracking(item: Any) -> dict[str, Any] | None:
        if item.children.all():
            return None
        tracking = item.tracking_or_none
        if tracking is None or tracking.pk is None:
            # An action nobody has tracked yet reads as not started, at the version a
            # new row starts from, so a client can send its first change with it.
            return {**UNTRACKED}
        fields = ("status", "progress", "priority", "start_date", "due_date", "notes", "version")
        out = {name: getattr(tracking, name) for name in fields}
        out["leads"] = [person.username for person in tracking.leads.all()]
        out["team"] = [person.username for person in tracking.team.all()]
        return out


UNTRACKED: dict[str, Any] = {
    "status": "not_started",
    "progress": 0,
    "priority": "normal",
    "start_date": None,
    "due_date": None,
    "notes": "",
    "leads": [],
    "team": [],
    "version": 1,
}


class ItemChange(Schema):
    version: int = Field(description="The version read; a stale one is refused with 409.")
    code: str | None = None
    title: str | None = None
    title_en: str | None = None
    body: str | None = None


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


PlanDetail.model_rebuild()
