"""Files in and out of Jalon through the API: importing a plan (preview, then confirm),
exporting it (Jalon's formats, IATI, the annual report), the actions table round trip,
and the anomaly report. Each operation calls the forms and services of its web page, so
a file is read, checked and written exactly as the page does it."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile
from ninja.pagination import paginate

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan
from jalon.iati.export import IatiError, iati_document, reporting_org_from_settings
from jalon.plans.exporters import EXPORTERS
from jalon.plans.forms import ImportForm
from jalon.plans.import_views import preview_tree
from jalon.plans.importers import ImportFailure, ParsedPlan, Source, detect_format, parse_source
from jalon.plans.loading import pending_import_confirm
from jalon.plans.models import Anomaly, PendingImport, Plan
from jalon.plans.reporting import import_report
from jalon.plans.services import unique_slug
from jalon.reports.formats import FORMATS as REPORT_FORMATS
from jalon.reports.formats import file_name as report_file_name
from jalon.reports.forms import ReportForm
from jalon.reports.jobs import report_job_start
from jalon.reports.model import ReportError, build_report, default_range
from jalon.reports.models import RECENT_JOBS, ReportJob
from jalon.tracking.models import PendingTableImport
from jalon.tracking.services import EditConflict, actions_update
from jalon.tracking.table import XLSX_CONTENT_TYPE, export_csv, export_xlsx
from jalon.tracking.table import file_name as table_file_name
from jalon.tracking.table_import import TablePreview, table_preview
from jalon.tracking.table_views import TableUploadForm

from . import exchange_schemas as schemas
from .base import ERRORS, ApiError, Pages, checked, reader, writer

router = Router()


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    headers = {"Content-Disposition": content_disposition_header(True, filename)}
    return HttpResponse(content, content_type=content_type, headers=headers)


def _unreadable(failure: ImportFailure) -> ApiError:
    # The failure already names the file and, when it can, the line: said as the page says it.
    return ApiError(422, "unreadable_file", str(failure))


# Plan import


def _import_editor(request: HttpRequest) -> User:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    return reader(request)


def _pending(request: HttpRequest, pk: int) -> tuple[User, PendingImport]:
    # Someone else's upload answers 404, as if it did not exist; administrators see all.
    user = _import_editor(request)
    return user, get_object_or_404(PendingImport.objects.visible_to(user), pk=pk)


def _parsed(pending: PendingImport) -> ParsedPlan:
    # The file was read at upload; reading it again only fails if Jalon's readers changed since.
    try:
        return parse_source(Source(name=pending.file_name, data=bytes(pending.data)), pending.format)
    except ImportFailure as failure:
        raise _unreadable(failure) from failure


def _preview(pending: PendingImport) -> dict[str, Any]:
    parsed = _parsed(pending)
    report = import_report(
        parsed, unique_slug(pending.slug or parsed.title or pending.file_name), dry_run=True
    )
    for anomaly in report["anomalies"]:
        anomaly["kind_label"] = schemas.kind_label(anomaly["kind"])
    earlier = Plan.objects.filter(source_checksum=pending.checksum).order_by("created_at").first()
    return report | {
        "id": pending.pk,
        "file_name": pending.file_name,
        "format": pending.format,
        "uploaded_at": pending.created_at,
        "expired": pending.is_expired,
        "plan": report["plan"],
        "tree": [
            {"depth": depth, "level": node.level, "code": node.item.code, "title": node.item.title}
            for root in preview_tree(parsed)
            for depth, node in _walk(root)
        ],
        "already_imported_as": earlier.slug if earlier else None,
    }


def _walk(node: Any, depth: int = 0) -> list[tuple[int, Any]]:
    return [(depth, node)] + [row for child in node.children for row in _walk(child, depth + 1)]


def _keep_upload(user: User, form: ImportForm) -> PendingImport:
    """Read the upload through (or refuse it) and keep it for the preview, as the page does."""
    upload = form.cleaned_data["file"]
    source = Source(name=upload.name, data=upload.read())
    try:
        format = form.cleaned_data["format"] or detect_format(source)
        parse_source(source, format)
    except ImportFailure as failure:
        raise _unreadable(failure) from failure
    # Uploads left unconfirmed go when their owner uploads again, so they do not pile up.
    PendingImport.objects.filter(uploader=user).expired().delete()
    return PendingImport.objects.create(
        uploader=user,
        file_name=source.name,
        data=source.data,
        format=format,
        slug=form.cleaned_data["slug"],
        checksum=source.checksum,
    )


@router.post("/imports", response={201: schemas.ImportPreview, **ERRORS}, tags=["import"])
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[str] = "",
    slug: Form[str] = "",
) -> Any:
    """Read a plan file and keep it for review; nothing is created until it is confirmed.

    `format` is one of seed, outline, docx, xlsx, csv, json, or empty to detect it."""
    user = writer(request, can_edit_plan(request.user))
    # The parameters above describe the body in the document; the page's own form reads
    # the same multipart body and checks the size, the format and the identifier.
    form = ImportForm(request.POST, request.FILES)
    checked(form)
    return Reply(201, _preview(_keep_upload(user, form)))


@router.get("/imports/{pk}", response={200: schemas.ImportPreview, **ERRORS}, tags=["import"])
def import_preview(request: HttpRequest, pk: int) -> dict[str, Any]:
    _user, pending = _pending(request, pk)
    return _preview(pending)


@router.post("/imports/{pk}/confirm", response={201: schemas.ImportDone, **ERRORS}, tags=["import"])
def import_confirm(request: HttpRequest, pk: int) -> Any:
    user, pending = _pending(request, pk)
    writer(request, True)
    if pending.is_expired:
        raise ApiError(409, "expired", _("This upload is more than a day old; upload the file again."))
    try:
        loaded = pending_import_confirm(pending=pending, user=user)
    except ImportFailure as failure:  # only if Jalon's readers changed since the upload
        raise _unreadable(failure) from failure
    created = Plan.objects.with_item_count().get(pk=loaded.plan.pk)
    return Reply(201, {"plan": created, "proposed_links": loaded.proposed_links, "left_out": loaded.left_out})


@router.delete("/imports/{pk}", response={204: None, **ERRORS}, tags=["import"])
def import_cancel(request: HttpRequest, pk: int) -> Any:
    _user, pending = _pending(request, pk)
    writer(request, True)
    pending.delete()
    return Reply(204, None)


# Exports


def _plan(slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


@router.get(
    "/plans/{slug}/export",
    response=ERRORS,
    tags=["exports"],
    openapi_extra=schemas.file_response(
        "The plan as a file: Jalon's JSON, CSV, XLSX or Markdown.",
        "application/json",
        "text/csv",
        XLSX_CONTENT_TYPE,
        "text/markdown",
    ),
)
def plan_export(request: HttpRequest, slug: str, format: schemas.ExportFormat = "json") -> HttpResponse:
    reader(request)
    plan = _plan(slug)
    exporter = EXPORTERS[format]
    content_type: str = exporter.CONTENT_TYPE
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type += "; charset=utf-8"
    return _attachment(exporter.export(plan), content_type, f"{plan.slug}.{exporter.EXTENSION}")


@router.get(
    "/plans/{slug}/iati",
    response=ERRORS,
    tags=["exports"],
    openapi_extra=schemas.file_response(
        "The plan as IATI 2.03 activities, one per action or per orientation.", "application/xml"
    ),
)
def iati_export(request: HttpRequest, slug: str, level: schemas.IatiLevel = "action") -> HttpResponse:
    """Nothing half-valid is handed out: an invalid file is refused (409) with its reasons."""
    reader(request)
    plan = _plan(slug)
    org = reporting_org_from_settings(plan)
    if not org.ref:
        raise ApiError(
            409,
            "iati_invalid",
            _("The IATI identifier of the organisation is not set (JALON_IATI_ORGANISATION_REF)."),
            ["JALON_IATI_ORGANISATION_REF"],
        )
    try:
        document = iati_document(plan, level=level, reporting_org=org)
    except IatiError as error:
        raise ApiError(
            409, "iati_invalid", _("The plan is not valid IATI yet."), str(error).split("; ")
        ) from error
    return _attachment(document, "application/xml; charset=utf-8", f"{plan.slug}-iati-{level}.xml")


# The annual report


class ReportQuery(Schema):
    format: schemas.ReportFormat = "html"
    lang: schemas.Language | None = Field(None, description="The plan's language by default.")
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
    openapi_extra=schemas.file_response(
        "The report of the plan for a period: HTML, PDF or DOCX.",
        "text/html",
        "application/pdf",
        REPORT_FORMATS["docx"].content_type,
    ),
)
def report(request: HttpRequest, slug: str, asked: Query[ReportQuery]) -> HttpResponse:
    reader(request)
    plan = _plan(slug)
    data = _report_asked(plan, asked.format, asked.lang, asked.date_from, asked.date_to)
    try:
        built = build_report(
            plan, date_from=data["date_from"], date_to=data["date_to"], language=data["language"]
        )
    except ReportError as error:
        raise ApiError(422, "invalid", str(error)) from error
    fmt = REPORT_FORMATS[data["format"]]
    return _attachment(fmt.render(built), fmt.content_type, report_file_name(built, plan.slug, fmt))


# Reports prepared in the background, as the report page does for PDF and DOCX: a large
# plan's PDF takes longer than a client or a proxy waits for one answer.


@router.post("/plans/{slug}/report-jobs", response={202: schemas.ReportJobOut, **ERRORS}, tags=["exports"])
def report_job_ask(request: HttpRequest, slug: str, asked: schemas.ReportJobIn) -> Any:
    # Asking for a report reads the plan: a read-only token may, as any member on the page.
    user = reader(request)
    plan = _plan(slug)
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
    "/plans/{slug}/report-jobs", response={200: list[schemas.ReportJobOut], **ERRORS}, tags=["exports"]
)
def report_jobs(request: HttpRequest, slug: str) -> list[ReportJob]:
    reader(request)
    plan = _plan(slug)
    return list(plan.report_jobs.select_related("plan", "user").newest_first()[:RECENT_JOBS])


@router.get("/report-jobs/{pk}", response={200: schemas.ReportJobOut, **ERRORS}, tags=["exports"])
def report_job(request: HttpRequest, pk: int) -> ReportJob:
    reader(request)
    return _job(pk)


@router.get(
    "/report-jobs/{pk}/file",
    response=ERRORS,
    tags=["exports"],
    url_name="report_job_file",
    openapi_extra=schemas.file_response(
        "The report a job prepared.", "application/pdf", REPORT_FORMATS["docx"].content_type
    ),
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
        return _attachment(stored.read(), REPORT_FORMATS[job.format].content_type, job.file_name)


def _job(pk: int) -> ReportJob:
    return get_object_or_404(ReportJob.objects.select_related("plan", "user"), pk=pk)


# The actions table


@router.get(
    "/plans/{slug}/actions-table",
    response=ERRORS,
    tags=["actions table"],
    openapi_extra=schemas.file_response(
        "One row per action with its tracking and version, to edit and upload again.",
        "text/csv",
        XLSX_CONTENT_TYPE,
    ),
)
def actions_table(
    request: HttpRequest, slug: str, format: schemas.TableFormat = "csv", lang: schemas.Language | None = None
) -> HttpResponse:
    reader(request)
    plan = _plan(slug)
    language = lang or translation.get_language() or plan.language
    if format == "xlsx":
        return _attachment(export_xlsx(plan, language), XLSX_CONTENT_TYPE, table_file_name(plan, format))
    return _attachment(export_csv(plan, language), "text/csv; charset=utf-8", table_file_name(plan, format))


def _table_pending(request: HttpRequest, pk: int) -> tuple[User, PendingTableImport]:
    user = reader(request)
    # Someone else's upload answers 404, as if it did not exist.
    pending = get_object_or_404(PendingTableImport.objects.select_related("plan"), pk=pk, uploader=user)
    if not can_edit_plan(user, pending.plan):
        raise PermissionDenied
    return user, pending


def _table_source(pending: PendingTableImport) -> Source:
    return Source(name=pending.file_name, data=bytes(pending.data))


def _table_read(pending: PendingTableImport) -> TablePreview:
    try:
        return table_preview(pending.plan, _table_source(pending))
    except ImportFailure as failure:
        raise _unreadable(failure) from failure


def _table_out(pending: PendingTableImport, found: TablePreview) -> dict[str, Any]:
    return {
        "id": pending.pk,
        "plan": pending.plan.slug,
        "file_name": pending.file_name,
        "uploaded_at": pending.created_at,
        "rows": found.rows,
        "changes": [
            {
                "row": c.row,
                "item_id": c.item.pk,
                "code": c.item.code,
                "column": c.column,
                "before": c.before,
                "after": c.after,
            }
            for c in found.changes
        ],
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in found.errors],
        "conflicts": [_conflict_out(conflict) for conflict in found.conflicts],
        "can_apply": found.can_apply,
    }


def _conflict_out(conflict: Any) -> dict[str, Any]:
    return {
        "row": conflict.row,
        "item_id": conflict.item.pk,
        "code": conflict.item.code,
        "file_version": conflict.file_version,
        "current_version": conflict.current_version,
        "differences": [
            {"column": column, "in_file": in_file, "now": now}
            for column, in_file, now in conflict.differences
        ],
    }


@router.post(
    "/plans/{slug}/table-imports",
    response={201: schemas.TablePreviewOut, **ERRORS},
    tags=["actions table"],
)
def table_upload(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Any:
    """Read an edited actions table (CSV or XLSX) and answer every change it would make."""
    plan = _plan(slug)
    user = writer(request, can_edit_plan(request.user, plan))
    upload: DjangoUpload = checked(TableUploadForm({}, request.FILES)).cleaned_data["file"]
    source = Source(name=upload.name or "", data=upload.read())
    try:
        found = table_preview(plan, source)
    except ImportFailure as failure:
        raise _unreadable(failure) from failure
    # One upload waits per person and plan, as on the page: a new one replaces the last.
    PendingTableImport.objects.filter(plan=plan, uploader=user).delete()
    pending = PendingTableImport.objects.create(
        plan=plan, uploader=user, file_name=source.name, data=source.data
    )
    return Reply(201, _table_out(pending, found))


@router.get("/table-imports/{pk}", response={200: schemas.TablePreviewOut, **ERRORS}, tags=["actions table"])
def table_import_preview(request: HttpRequest, pk: int) -> dict[str, Any]:
    _user, pending = _table_pending(request, pk)
    return _table_out(pending, _table_read(pending))


@router.post(
    "/table-imports/{pk}/confirm", response={200: schemas.TableApplied, **ERRORS}, tags=["actions table"]
)
def table_import_confirm(request: HttpRequest, pk: int) -> dict[str, int]:
    """Apply every change at once, or none: errors refuse it (422), stale rows too (409)."""
    user, pending = _table_pending(request, pk)
    writer(request, True)
    found = _table_read(pending)
    _refuse_unless_applicable(pending, found)
    try:
        count = actions_update(changes=found.updates, user=user)
    except (EditConflict, ValidationError) as error:
        message = _("Someone changed these actions meanwhile; nothing was changed.")
        raise ApiError(409, "conflict", message) from error
    pending.delete()
    return {"updated": count}


def _refuse_unless_applicable(pending: PendingTableImport, found: TablePreview) -> None:
    details = _table_out(pending, found)
    if found.conflicts:
        message = _("Someone changed these actions since the table was exported; nothing was changed.")
        raise ApiError(409, "conflict", message, details)
    if not found.can_apply:
        message = _("Nothing was changed: correct the errors and conflicts first.")
        raise ApiError(422, "table_not_applicable", message, details)


@router.delete("/table-imports/{pk}", response={204: None, **ERRORS}, tags=["actions table"])
def table_import_cancel(request: HttpRequest, pk: int) -> Any:
    _user, pending = _table_pending(request, pk)
    writer(request, True)
    pending.delete()
    return Reply(204, None)


# The anomaly report


@router.get("/plans/{slug}/anomalies", response={200: list[schemas.AnomalyOut], **ERRORS}, tags=["plans"])
@paginate(Pages, page_size=100)
def anomalies(request: HttpRequest, slug: str) -> QuerySet[Anomaly]:
    reader(request)
    # In the order of the source, as on the page; those without a line come last.
    found = _plan(slug).anomalies.select_related("item")
    return found.order_by(F("line").asc(nulls_last=True), "position")
