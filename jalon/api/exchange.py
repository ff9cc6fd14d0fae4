"""Whole plans in and out: importing a file (preview, then confirm), the exports, and the
actions table's round trip."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja import Status as Reply
from ninja.files import UploadedFile

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan
from jalon.exchange import formats, loading
from jalon.exchange.forms import ImportForm, TableUploadForm
from jalon.exchange.table import XLSX_CONTENT_TYPE, export_csv, export_xlsx
from jalon.exchange.table import file_name as table_file_name
from jalon.exchange.table_import import TablePreview
from jalon.exchange.table_uploads import (
    TableNotApplicable,
    table_upload_apply,
    table_upload_keep,
    table_upload_read,
)
from jalon.plans.exporters import EXPORTERS
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import PendingImport, Plan
from jalon.tracking.models import PendingTableImport
from jalon.tracking.services import EditConflict

from .base import ERRORS, ApiError, attachment, checked, plan_of, reader, writer
from .exchange_schemas import (
    ExportFormat,
    ImportDone,
    ImportPreview,
    TableApplied,
    TableFormat,
    TablePreviewOut,
)
from .schemas import Language, file_response

router = Router()


def _unreadable(failure: ImportFailure) -> ApiError:
    # The failure already names the file and, when it can, the line: said as the page says it.
    return ApiError(422, "unreadable_file", str(failure))


def _import_editor(request: HttpRequest) -> User:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    return reader(request)


def _pending(request: HttpRequest, pk: int) -> tuple[User, PendingImport]:
    # Someone else's upload answers 404, as if it did not exist; administrators see all.
    user = _import_editor(request)
    return user, get_object_or_404(PendingImport.objects.visible_to(user), pk=pk)


def _preview(pending: PendingImport) -> dict[str, Any]:
    # The file was read at upload; reading it again only fails if Jalon's readers changed since.
    try:
        found = loading.import_preview(pending)
    except ImportFailure as failure:
        raise _unreadable(failure) from failure
    return found.report | {
        "id": pending.pk,
        "file_name": pending.file_name,
        "format": pending.format,
        "uploaded_at": pending.created_at,
        "expired": pending.is_expired,
        "tree": [
            {"depth": node.depth, "level": node.level, "code": node.item.code, "title": node.item.title}
            for root in found.tree
            for node in root.walk()
        ],
        "already_imported_as": found.earlier.slug if found.earlier else None,
    }


@router.post("/imports", response={201: ImportPreview, **ERRORS}, tags=["import"])
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
    form = checked(ImportForm(request.POST, request.FILES))
    upload = form.cleaned_data["file"]
    try:
        pending = loading.pending_import_keep(
            user=user,
            source=Source(name=upload.name, data=upload.read()),
            format=form.cleaned_data["format"],
            slug=form.cleaned_data["slug"],
        )
    except ImportFailure as failure:
        raise _unreadable(failure) from failure
    return Reply(201, _preview(pending))


@router.get("/imports/{pk}", response={200: ImportPreview, **ERRORS}, tags=["import"])
def import_preview(request: HttpRequest, pk: int) -> dict[str, Any]:
    _user, pending = _pending(request, pk)
    return _preview(pending)


@router.post("/imports/{pk}/confirm", response={201: ImportDone, **ERRORS}, tags=["import"])
def import_confirm(request: HttpRequest, pk: int) -> Any:
    user, pending = _pending(request, pk)
    writer(request, True)
    if pending.is_expired:
        raise ApiError(409, "expired", _("This upload is more than a day old; upload the file again."))
    try:
        loaded = loading.pending_import_confirm(pending=pending, user=user)
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


@router.get(
    "/plans/{slug}/export",
    response=ERRORS,
    tags=["exports"],
    openapi_extra=file_response(
        "The plan as a file: Jalon's JSON, CSV, XLSX or Markdown.",
        "application/json",
        "text/csv",
        XLSX_CONTENT_TYPE,
        "text/markdown",
    ),
)
def plan_export(request: HttpRequest, slug: str, format: ExportFormat = "json") -> HttpResponse:
    reader(request)
    plan = plan_of(slug)
    exporter = EXPORTERS[format]
    content_type: str = exporter.CONTENT_TYPE
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type += "; charset=utf-8"
    return attachment(formats.export(plan, format), content_type, f"{plan.slug}.{exporter.EXTENSION}")


@router.get(
    "/plans/{slug}/actions-table",
    response=ERRORS,
    tags=["actions table"],
    openapi_extra=file_response(
        "One row per action with its tracking and version, to edit and upload again.",
        "text/csv",
        XLSX_CONTENT_TYPE,
    ),
)
def actions_table(
    request: HttpRequest, slug: str, format: TableFormat = "csv", lang: Language | None = None
) -> HttpResponse:
    reader(request)
    plan = plan_of(slug)
    language = lang or translation.get_language() or plan.language
    if format == "xlsx":
        return attachment(export_xlsx(plan, language), XLSX_CONTENT_TYPE, table_file_name(plan, format))
    return attachment(export_csv(plan, language), "text/csv; charset=utf-8", table_file_name(plan, format))


def _table_pending(request: HttpRequest, pk: int) -> tuple[User, PendingTableImport]:
    user = reader(request)
    # Someone else's upload answers 404, as if it did not exist.
    pending = get_object_or_404(PendingTableImport.objects.select_related("plan"), pk=pk, uploader=user)
    if not can_edit_plan(user):
        raise PermissionDenied
    return user, pending


def _table_read(pending: PendingTableImport) -> TablePreview:
    try:
        return table_upload_read(pending)
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
    response={201: TablePreviewOut, **ERRORS},
    tags=["actions table"],
)
def table_upload(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Any:
    """Read an edited actions table (CSV or XLSX) and answer every change it would make."""
    plan = plan_of(slug)
    user = writer(request, can_edit_plan(request.user))
    upload: DjangoUpload = checked(TableUploadForm({}, request.FILES)).cleaned_data["file"]
    source = Source(name=upload.name or "", data=upload.read())
    try:
        pending, found = table_upload_keep(plan=plan, user=user, source=source)
    except ImportFailure as failure:
        raise _unreadable(failure) from failure
    return Reply(201, _table_out(pending, found))


@router.get("/table-imports/{pk}", response={200: TablePreviewOut, **ERRORS}, tags=["actions table"])
def table_import_preview(request: HttpRequest, pk: int) -> dict[str, Any]:
    _user, pending = _table_pending(request, pk)
    return _table_out(pending, _table_read(pending))


@router.post("/table-imports/{pk}/confirm", response={200: TableApplied, **ERRORS}, tags=["actions table"])
def table_import_confirm(request: HttpRequest, pk: int) -> dict[str, int]:
    """Apply every change at once, or none: errors refuse it (422), stale rows too (409)."""
    user, pending = _table_pending(request, pk)
    writer(request, True)
    try:
        return {"updated": table_upload_apply(pending=pending, user=user)}
    except ImportFailure as failure:
        raise _unreadable(failure) from failure
    except TableNotApplicable as refused:
        raise _not_applicable(pending, refused.preview) from refused
    except (EditConflict, ValidationError) as error:
        message = _("Someone changed these actions meanwhile; nothing was changed.")
        raise ApiError(409, "conflict", message) from error


def _not_applicable(pending: PendingTableImport, found: TablePreview) -> ApiError:
    details = _table_out(pending, found)
    if found.conflicts:
        message = _("Someone changed these actions since the table was exported; nothing was changed.")
        return ApiError(409, "conflict", message, details)
    message = _("Nothing was changed: correct the errors and conflicts first.")
    return ApiError(422, "table_not_applicable", message, details)


@router.delete("/table-imports/{pk}", response={204: None, **ERRORS}, tags=["actions table"])
def table_import_cancel(request: HttpRequest, pk: int) -> Any:
    _user, pending = _table_pending(request, pk)
    writer(request, True)
    pending.delete()
    return Reply(204, None)
