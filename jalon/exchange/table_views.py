"""The actions table of a plan: download it as CSV or XLSX, upload it edited, preview every
change, then confirm or cancel.

Everyone who reads internal pages may download the table; only coordinators and
administrators upload it, since a table changes many actions at once, led by many people.
The upload waits as a PendingTableImport holding the bytes; the preview and the
confirmation both read it again against the tracking as it is at that moment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan, can_read_internal
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import Plan
from jalon.tracking.models import PendingTableImport
from jalon.tracking.services import EditConflict

from .forms import TableUploadForm
from .table import XLSX_CONTENT_TYPE, export_csv, export_xlsx, file_name
from .table_import import TablePreview
from .table_uploads import TableNotApplicable, table_upload_apply, table_upload_keep, table_upload_read

DOWNLOADS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, XLSX_CONTENT_TYPE),
}


def _readable_plan(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    if not can_read_internal(request.user):
        raise PermissionDenied
    return plan


def _editor(request: HttpRequest, plan: Plan) -> User:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _pending(request: HttpRequest, slug: str, pk: int) -> tuple[Plan, User, PendingTableImport]:
    plan = _readable_plan(request, slug)
    user = _editor(request, plan)
    # Someone else's upload answers 404, as if it did not exist.
    pending = get_object_or_404(PendingTableImport, pk=pk, plan=plan, uploader=user)
    return plan, user, pending


@require_http_methods(["GET", "HEAD", "POST"])
def page(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _readable_plan(request, slug)
    form = TableUploadForm()
    if request.method == "POST":
        user = _editor(request, plan)
        form = TableUploadForm(request.POST, request.FILES)
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                pending, _found = table_upload_keep(
                    plan=plan, user=user, source=Source(name=file.name, data=file.read())
                )
                return HttpResponseRedirect(reverse("table:preview", args=[plan.slug, pending.pk]))
            except ImportFailure as failure:
                form.add_error("file", str(failure))
    context = {"plan": plan, "form": form, "can_upload": can_edit_plan(request.user)}
    return render(request, "exchange/table.html", context, status=400 if form.errors else 200)


@require_safe
def download(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    plan = _readable_plan(request, slug)
    if format not in DOWNLOADS:
        raise Http404
    export, content_type = DOWNLOADS[format]
    language = request.GET.get("lang") or translation.get_language() or plan.language
    if language not in dict(settings.LANGUAGES):
        language = plan.language
    response = HttpResponse(export(plan, language), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(plan, format)}"'
    return response


@require_safe
def preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _user, pending = _pending(request, slug, pk)
    try:
        result: TablePreview | None = table_upload_read(pending)
        failure = ""
    except ImportFailure as error:
        result, failure = None, str(error)
    context = {"plan": plan, "pending": pending, "preview": result, "failure": failure}
    return render(request, "exchange/table_preview.html", context)


@require_POST
def confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, user, pending = _pending(request, slug, pk)
    back = reverse("table:preview", args=[plan.slug, pending.pk])
    try:
        count = table_upload_apply(pending=pending, user=user)
    except ImportFailure as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    except TableNotApplicable:
        messages.error(request, _("Nothing was changed: correct the errors and conflicts first."))
        return HttpResponseRedirect(back)
    except (EditConflict, ValidationError):
        messages.error(request, _("Someone changed these actions meanwhile; nothing was changed."))
        return HttpResponseRedirect(back)
    messages.success(
        request,
        ngettext("%(count)s item was updated.", "%(count)s items were updated.", count) % {"count": count},
    )
    return HttpResponseRedirect(reverse("table:page", args=[plan.slug]))


@require_POST
def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _user, pending = _pending(request, slug, pk)
    pending.delete()
    messages.success(
        request, _("The import of %(name)s was cancelled; nothing was changed.") % {"name": pending.file_name}
    )
    return HttpResponseRedirect(reverse("table:page", args=[plan.slug]))
