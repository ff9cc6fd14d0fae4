"""A whole plan in and out on the web: upload a file, preview what it would create, then
confirm or cancel; download the plan in any format.

Nothing is written to the plan tables before the confirmation: the upload waits as a
PendingImport and is read again for the preview and for the import itself."""

from __future__ import annotations

from types import ModuleType

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan
from jalon.plans.exporters import EXPORTERS
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import PendingImport, Plan

from . import formats
from .forms import FORMAT_LABELS, ImportForm
from .loading import import_preview, pending_import_confirm, pending_import_keep


def _require_editor(request: HttpRequest) -> User:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _pending_for(request: HttpRequest, pk: int) -> tuple[User, PendingImport]:
    # Someone else's upload answers 404, as if it did not exist.
    user = _require_editor(request)
    return user, get_object_or_404(PendingImport.objects.visible_to(user), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _require_editor(request)
    if request.method != "POST":
        return render(request, "exchange/import_form.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            pending = pending_import_keep(
                user=user,
                source=Source(name=file.name, data=file.read()),
                format=form.cleaned_data["format"],
                slug=form.cleaned_data["slug"],
            )
            return HttpResponseRedirect(pending.get_absolute_url())
        except ImportFailure as failure:
            form.add_error("file", str(failure))
    return render(request, "exchange/import_form.html", {"form": form}, status=400)


@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    _user, pending = _pending_for(request, pk)
    found = import_preview(pending)
    context = {
        "pending": pending,
        "parsed": found.parsed,
        "report": found.report,
        "format_label": FORMAT_LABELS.get(pending.format, pending.format),
        "tree": found.tree,
        "earlier": found.earlier,
    }
    return render(request, "exchange/import_preview.html", context)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user, pending = _pending_for(request, pk)
    if pending.is_expired:
        messages.error(request, _("This upload is more than a day old; upload the file again."))
        return HttpResponseRedirect(pending.get_absolute_url())
    loaded = pending_import_confirm(pending=pending, user=user)
    plan, left_out, proposed = loaded.plan, loaded.left_out, loaded.proposed_links
    messages.success(request, _("The plan “%(title)s” was imported.") % {"title": plan.title})
    if proposed:
        messages.info(
            request,
            ngettext(
                "%(count)d link to a partner, place or theme is proposed: review it under Links.",
                "%(count)d links to partners, places and themes are proposed: review them under Links.",
                proposed,
            )
            % {"count": proposed},
        )
    for warning in left_out:
        messages.warning(request, warning)
    return HttpResponseRedirect(plan.get_absolute_url())


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _user, pending = _pending_for(request, pk)
    pending.delete()
    messages.success(
        request, _("The import of %(name)s was cancelled; nothing was created.") % {"name": pending.file_name}
    )
    return HttpResponseRedirect(reverse("plans:home"))


@require_safe
def plan_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    exporter = EXPORTERS.get(format)
    if exporter is None:
        raise Http404(f"No exporter for {format!r}")
    plan = get_object_or_404(Plan, slug=slug)
    filename = f"{plan.slug}.{exporter.EXTENSION}"
    return HttpResponse(
        formats.export(plan, format),
        content_type=_content_type(exporter),
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _content_type(exporter: ModuleType) -> str:
    # Text exports are UTF-8; saying so keeps browsers from guessing Latin-1 for accents.
    content_type: str = exporter.CONTENT_TYPE
    if content_type.startswith("text/") and "charset" not in content_type:
        return f"{content_type}; charset=utf-8"
    return content_type
