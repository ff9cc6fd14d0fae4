"""The shapes of the annual report's jobs in the API."""

import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from .schemas import Language

ReportFormat = Literal["html", "pdf", "docx"]


JobFormat = Literal["pdf", "docx"]


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
