"""The actions table of a plan: download it as CSV or XLSX, upload it edited, preview every
change, then confirm or cancel.

Everyone who reads internal pages may download the table; only coordinators and
administrators upload it, since a table changes many actions at once, led by many people.
The upload waits as a PendingTableImport holding the bytes; the preview and the
confirmation both read it again against the tracking as it is at that moment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan, can_read_internal
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import PENDING_IMPORT_LIFETIME, Plan

from .models import PendingTableImport
from .services import EditConflict, actions_update
from .table import XLSX_CONTENT_TYPE, export_csv, export_xlsx, file_name
from .table_import import TablePreview, table_preview

DOWNLOADS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, XLSX_CONTENT_TYPE),
}


class TableUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("edited actions table (CSV or XLSX)"),
        allow_empty_file=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.JALON_MAX_IMPORT_BYTES:
            raise ValidationError(
                _("%(name)s is larger than %(limit)s MB.")
                % {"name": upload.name, "limit": max(settings.JALON_MAX_IMPORT_BYTES // 1_000_000, 1)}
            )
        return upload


def _readable_plan(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    if not can_read_internal(request.user):
        raise PermissionDenied
    return plan


def _editor(request: HttpRequest, plan: Plan) -> User:
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _pending(request: HttpRequest, slug: str, pk: int) -> tuple[Plan, User, PendingTableImport]:
    plan = _readable_plan(request, slug)
    user = _editor(request, plan)
    # Someone else's upload answers 404, as if it did not exist.
    pending = get_object_or_404(PendingTableImport, pk=pk, plan=plan, uploader=user)
    return plan, user, pending


def _source(pending: PendingTableImport) -> Source:
    return Source(name=pending.file_name, data=bytes(pending.data))


@require_http_methods(["GET", "HEAD", "POST"])
def page(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _readable_plan(request, slug)
    form = TableUploadForm()
    if request.method == "POST":
        user = _editor(request, plan)
        form = TableUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                return HttpResponseRedirect(_keep_upload(plan, user, form))
            except ImportFailure as failure:
                form.add_error("file", str(failure))
    context = {"plan": plan, "form": form, "can_upload": can_edit_plan(request.user, plan)}
    return render(request, "tracking/table.html", context, status=400 if form.errors else 200)


def _keep_upload(plan: Plan, user: User, form: TableUploadForm) -> str:
    """Read the upload through (or raise ImportFailure) and keep it for the preview."""
    upload = form.cleaned_data["file"]
    source = Source(name=upload.name, data=upload.read())
    table_preview(plan, source)
    # One upload waits per person and plan: a new one replaces the last, and uploads
    # nobody confirmed within a day go too, so they do not pile up.
    PendingTableImport.objects.filter(plan=plan, uploader=user).delete()
    PendingTableImport.objects.filter(created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME).delete()
    pending = PendingTableImport.objects.create(
        plan=plan, uploader=user, file_name=source.name, data=source.data
    )
    return reverse("table:preview", args=[plan.slug, pending.pk])


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
        result: TablePreview | None = table_preview(plan, _source(pending))
        failure = ""
    except ImportFailure as error:
        result, failure = None, str(error)
    context = {"plan": plan, "pending": pending, "preview": result, "failure": failure}
    return render(request, "tracking/table_preview.html", context)


@require_POST
def confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, user, pending = _pending(request, slug, pk)
    back = reverse("table:preview", args=[plan.slug, pending.pk])
    try:
        result = table_preview(plan, _source(pending))
    except ImportFailure as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    if not result.can_apply:
        messages.error(request, _("Nothing was changed: correct the errors and conflicts first."))
        return HttpResponseRedirect(back)
    try:
        count = actions_update(changes=result.updates, user=user)
    except (EditConflict, ValidationError):
        messages.error(request, _("Someone changed these actions meanwhile; nothing was changed."))
        return HttpResponseRedirect(back)
    pending.delete()
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
