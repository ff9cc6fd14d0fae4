"""The shapes of the overview pages in the API: dashboard, timeline, my actions, the map,
and the people page. Rows are built by the operations from the same reads as the pages."""

from __future__ import annotations

import datetime
from typing import Any

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


class MapCountry(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    count: int = Field(description="Distinct items linked to the country or to a place inside it.")


class MapPlace(Schema):
    id: int
    kind: str
    name: str
    iso_code: str
    count: int = Field(description="Distinct items with an accepted link to this very place.")


class PlanMap(Schema):
    plan: str
    countries: list[MapCountry] = Field(description="The table beside the map, the most actions first.")
    places: list[MapPlace]


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    role: str

    @staticmethod
    def resolve_full_name(person: Any) -> str:
        return str(person.get_full_name())


class Invitation(Schema):
    email: str
    first_name: str = ""
    last_name: str = ""
    role: str = Field(
        "member", description="admin, coordinator, lead or member; only administrators invite administrators."
    )
    language: str = Field(
        "fr", description="The language of the invitation e-mail and of the interface: fr or en."
    )


class RoleChange(Schema):
    role: str = Field(description="admin, coordinator, lead or member.")
