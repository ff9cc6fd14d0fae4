"""The shapes of imports, their previews, and the anomaly report in the API."""

import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from jalon.plans.models import Anomaly, AnomalyKind

from .schemas import PlanOut

# Files answer with their own content type; the document names it so clients (and the
# schema tests) know what comes back instead of JSON.
BINARY = {"schema": {"type": "string", "format": "binary"}}


def file_response(description: str, *content_types: str) -> dict[str, object]:
    """Return the OpenAPI extra that declares a 200 answer carrying a file."""
    # Jalon's JSON export is a document of its own, checked as JSON rather than as bytes.
    content = {
        kind: {"schema": {"type": "object"}} if kind == "application/json" else BINARY
        for kind in content_types
    }
    return {"responses": {200: {"description": description, "content": content}}}


# Plan import


class Period(Schema):
    start: datetime.date
    end: datetime.date


class LevelCount(Schema):
    depth: int = Field(description="0 for the top level.")
    name: str = Field(description="The level's name as the file writes it, or empty.")
    items: int


class ImportAnomaly(Schema):
    kind: str
    kind_label: str
    code: str
    line: int | None
    message: str
    text: str = Field(description="The source words concerned, verbatim.")


class TreeRow(Schema):
    depth: int
    level: str
    code: str
    title: str


class ImportPreview(Schema):
    id: int
    file_name: str
    format: str
    uploaded_at: datetime.datetime
    expired: bool = Field(description="Older than a day: upload the file again to import it.")
    plan: str = Field(description="The identifier the plan would get.")
    title: str
    period: Period | None
    levels: list[LevelCount]
    items: int
    anomalies: list[ImportAnomaly]
    tree: list[TreeRow] = Field(description="Every item in document order, with its depth.")
    already_imported_as: str | None = Field(
        description="The identifier of a plan imported earlier from this very file, if any."
    )


class ImportDone(Schema):
    plan: PlanOut
    proposed_links: int = Field(description="Links to partners, places and themes proposed for review.")
    left_out: list[str] = Field(description="What the file carries that could not be kept, and why.")


# Actions-table import


class TableChange(Schema):
    row: int
    item_id: int
    code: str
    column: str
    before: str
    after: str


class TableError(Schema):
    row: int
    column: str
    message: str


class Difference(Schema):
    column: str
    in_file: str
    now: str


class TableConflict(Schema):
    row: int
    item_id: int
    code: str
    file_version: int
    current_version: int
    differences: list[Difference]


class TablePreviewOut(Schema):
    id: int
    plan: str
    file_name: str
    uploaded_at: datetime.datetime
    rows: int
    changes: list[TableChange]
    errors: list[TableError]
    conflicts: list[TableConflict]
    can_apply: bool = Field(description="Something changes, and no error or conflict stands in the way.")


class TableApplied(Schema):
    updated: int = Field(description="How many actions were changed.")


# The anomaly report of a plan


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


ExportFormat = Literal["json", "csv", "xlsx", "md"]
IatiLevel = Literal["action", "orientation"]
ReportFormat = Literal["html", "pdf", "docx"]
JobFormat = Literal["pdf", "docx"]
Language = Literal["fr", "en"]
TableFormat = Literal["csv", "xlsx"]


class ReportJobIn(Schema):
    format: JobFormat
    lang: Language | None = Field(None, description="The plan's language by default.")
    date_from: datetime.date | None = Field(None, alias="from", description="The plan's start by default.")
    date_to: datetime.date | None = Field(None, alias="to", description="The plan's end by default.")


class ReportJobOut(Schema):
    id: int
    plan: str = Field(description="The plan's slug.")
    format: str
    language: str
    date_from: datetime.date
    date_to: datetime.date
    state: str = Field(description="queued, running, done or failed.")
    interrupted: bool = Field(description="Still unfinished an hour after it was asked: ask again.")
    progress: int = Field(description="In percent.")
    step: str
    error: str
    asked_by: str | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    download: str | None = Field(description="The API address of the file, once it is ready.")

    @staticmethod
    def resolve_plan(job: Any) -> str:
        return job.plan.slug  # type: ignore[no-any-return]

    @staticmethod
    def resolve_interrupted(job: Any) -> bool:
        return job.is_interrupted()  # type: ignore[no-any-return]

    @staticmethod
    def resolve_asked_by(job: Any) -> str | None:
        return job.user.username if job.user else None

    @staticmethod
    def resolve_download(job: Any) -> str | None:
        return reverse("api:report_job_file", args=[job.pk]) if job.downloadable else None
