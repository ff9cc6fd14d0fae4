"""The shapes of plans and items in the API: an item carries its tracking."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from jalon.plans.models import Anomaly, AnomalyKind

from .schemas import AxisProgress, Progress


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


class PlanDetail(PlanOut):
    preamble: str
    progress: Progress
    axes: list[AxisProgress]


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


class ItemIn(Schema):
    parent: int | None = Field(None, description="The item to add it under; the top level when null.")
    position: int | None = Field(
        None,
        ge=0,
        le=100_000,
        description="Its place among its siblings from 0; last when null or past the end.",
    )
    code: str = ""
    title: str
    title_en: str = ""
    body: str = ""


class ItemMove(Schema):
    parent: int | None = Field(description="The item to move it under; the top level when null.")
    position: int = Field(
        ge=0,
        le=100_000,
        description="Its place among its new siblings from 0; a number past the end puts it last.",
    )


class Publication(Schema):
    published: bool


class PublicationOut(Schema):
    published: bool
    published_at: datetime.datetime | None
    published_by: str | None

    @staticmethod
    def resolve_published(plan: Any) -> bool:
        return plan.published_at is not None  # type: ignore[no-any-return]

    @staticmethod
    def resolve_published_by(plan: Any) -> str | None:
        return plan.published_by.username if plan.published_by else None


def kind_label(kind: str) -> str:
    return str(AnomalyKind(kind).label) if kind in AnomalyKind.values else ""


class AnomalyOut(Schema):
    kind: str
    kind_label: str
    code: str
    line: int | None
    message: str
    text: str = Field(description="The source words concerned, verbatim.")
    item_id: int | None
    item_code: str | None = Field(description="The code of the item it concerns, if any.")

    @staticmethod
    def resolve_kind_label(anomaly: Anomaly) -> str:
        return kind_label(anomaly.kind)

    @staticmethod
    def resolve_item_code(anomaly: Anomaly) -> str | None:
        return anomaly.item.code if anomaly.item else None


PlanDetail.model_rebuild()
