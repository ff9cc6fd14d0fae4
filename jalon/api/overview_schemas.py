"""The shapes of the overview in the API: dashboard, timeline, actions lists, my actions."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from .schemas import AxisProgress, Progress


class ActionRow(Schema):
    """An action as the overview tables show it: code, title, status, progress, leads, due date."""

    id: int
    plan: str = Field(description="The plan's slug.")
    code: str
    title: str
    status: str
    progress: int
    due_date: datetime.date | None
    leads: list[str] = Field(description="Usernames.")


class ActionList(Schema):
    count: int = Field(description="How many there are; `items` holds the first 50 of them.")
    items: list[ActionRow]


class RecentUpdate(Schema):
    id: int
    item: int
    code: str
    title: str
    date: datetime.date
    author: str | None
    text: str


class Dashboard(Schema):
    plan: str
    title: str
    progress: Progress
    axes: list[AxisProgress]
    late: ActionList = Field(description="Open actions past their due date, the oldest due first.")
    without_lead: ActionList = Field(description="Actions nobody leads, cancelled ones left out.")
    stale: ActionList = Field(description="Open actions without an update for 90 days.")
    recent_updates: list[RecentUpdate] = Field(description="The ten newest journal entries.")


class TimelineMilestone(Schema):
    id: int
    title: str
    done_on: datetime.date | None


class TimelineEntry(Schema):
    """An action by its due date, or one of its milestones."""

    date: datetime.date | None
    item: int
    code: str
    title: str
    milestone: TimelineMilestone | None = Field(description="Null when the entry is the action itself.")


class TimelineQuarter(Schema):
    year: int
    quarter: int = Field(ge=1, le=4)
    label: str
    entries: list[TimelineEntry]


class Timeline(Schema):
    plan: str
    quarters: list[TimelineQuarter] = Field(
        description="Every quarter of the plan's period, and any other with an entry."
    )
    undated: list[TimelineEntry]


class MyAction(Schema):
    id: int = Field(description="The item's id.")
    plan: str
    plan_title: str
    code: str
    title: str
    status: str
    progress: int
    due_date: datetime.date | None
    late: bool
