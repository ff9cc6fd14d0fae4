"""The shapes of the operations that edit a plan's tree, publish, attach files and read
history. Positions are counted from 0, as the items' `position` reads."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


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
