"""The annual report: at once for small plans, or prepared in the background as a job."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from jalon.plans.models import Plan
from jalon.reports.formats import FORMATS as REPORT_FORMATS
from jalon.reports.formats import file_name as report_file_name
from jalon.reports.forms import ReportForm
from jalon.reports.jobs import report_job_start
from jalon.reports.model import ReportError, build_report, default_range
from jalon.reports.models import RECENT_JOBS, ReportJob

from .base import ERRORS, ApiError, attachment, checked, plan_of, reader
from .reports_schemas import ReportFormat, ReportJobIn, ReportJobOut
from .schemas import Language, file_response

router = Router()


class ReportQuery(Schema):
    format: ReportFormat = "html"
    lang: Language | None = Field(None, description="The plan's language by default.")
    date_from: datetime.date | None = Field(None, alias="from", description="The plan's start by default.")
    date_to: datetime.date | None = Field(None, alias="to", description="The plan's end by default.")


def _report_asked(
    plan: Plan,
    fmt: str,
    language: str | None,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> dict[str, Any]:
    """Check what is asked with the report page's form, the plan's period and language
    standing for what is left out."""
    start, end = default_range(plan)
    fields = {
        "date_from": date_from or start,
        "date_to": date_to or end,
        "language": language or plan.language or "fr",
        "format": fmt,
    }
    return checked(ReportForm(fields)).cleaned_data  # type: ignore[no-any-return]


@router.get(
    "/plans/{slug}/report",
    response=ERRORS,
    tags=["exports"],
    openapi_extra=file_response(
        "The report of the plan for a period: HTML, PDF or DOCX.",
        "text/html",
        "application/pdf",
        REPORT_FORMATS["docx"].content_type,
    ),
    operation_id="jalon_api_exchange_report",
)
def report(request: HttpRequest, slug: str, asked: Query[ReportQuery]) -> HttpResponse:
    reader(request)
    plan = plan_of(slug)
    data = _report_asked(plan, asked.format, asked.lang, asked.date_from, asked.date_to)
    try:
        built = build_report(
            plan, date_from=data["date_from"], date_to=data["date_to"], language=data["language"]
        )
    except ReportError as error:
        raise ApiError(422, "invalid", str(error)) from error
    fmt = REPORT_FORMATS[data["format"]]
    return attachment(fmt.render(built), fmt.content_type, report_file_name(built, plan.slug, fmt))


@router.post(
    "/plans/{slug}/report-jobs",
    response={202: ReportJobOut, **ERRORS},
    tags=["exports"],
    operation_id="jalon_api_exchange_report_job_ask",
)
def report_job_ask(request: HttpRequest, slug: str, asked: ReportJobIn) -> Any:
    # Asking for a report reads the plan: a read-only token may, as any member on the page.
    user = reader(request)
    plan = plan_of(slug)
    # The page's form refuses a range that ends before it starts, before any job is made.
    data = _report_asked(plan, asked.format, asked.lang, asked.date_from, asked.date_to)
    job = report_job_start(
        plan=plan,
        user=user,
        format=data["format"],
        language=data["language"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )
    return Reply(202, _job(job.pk))


@router.get(
    "/plans/{slug}/report-jobs",
    response={200: list[ReportJobOut], **ERRORS},
    tags=["exports"],
    operation_id="jalon_api_exchange_report_jobs",
)
def report_jobs(request: HttpRequest, slug: str) -> list[ReportJob]:
    reader(request)
    plan = plan_of(slug)
    return list(plan.report_jobs.select_related("plan", "user").newest_first()[:RECENT_JOBS])


@router.get(
    "/report-jobs/{pk}",
    response={200: ReportJobOut, **ERRORS},
    tags=["exports"],
    operation_id="jalon_api_exchange_report_job",
)
def report_job(request: HttpRequest, pk: int) -> ReportJob:
    reader(request)
    return _job(pk)


@router.get(
    "/report-jobs/{pk}/file",
    response=ERRORS,
    tags=["exports"],
    url_name="report_job_file",
    openapi_extra=file_response(
        "The report a job prepared.", "application/pdf", REPORT_FORMATS["docx"].content_type
    ),
    operation_id="jalon_api_exchange_report_job_file",
)
def report_job_file(request: HttpRequest, pk: int) -> HttpResponse:
    reader(request)
    job = _job(pk)
    if not job.downloadable:
        raise ApiError(
            409,
            "not_ready",
            _("This report is not ready: it is %(state)s.") % {"state": job.get_state_display()},
        )
    with job.file.open("rb") as stored:
        return attachment(stored.read(), REPORT_FORMATS[job.format].content_type, job.file_name)


def _job(pk: int) -> ReportJob:
    return get_object_or_404(ReportJob.objects.select_related("plan", "user"), pk=pk)
