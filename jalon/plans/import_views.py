"""Importing a plan from the web: upload, preview what would be created, then confirm.

Nothing is written to the plan tables before the confirmation: the upload is kept as a
PendingImport and parsed again for the preview and for the import itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_plan

from .forms import FORMAT_LABELS, ImportForm
from .importers import ImportFailure, ParsedItem, ParsedPlan, Source, detect_format, parse_source
from .loading import pending_import_confirm
from .models import AnomalyKind, PendingImport, Plan
from .reporting import import_report
from .services import unique_slug


@dataclass
class PreviewNode:
    """A parsed item with the level name a reader sees beside it in the tree."""

    item: ParsedItem
    level: str
    children: list[PreviewNode] = field(default_factory=list)


def preview_tree(parsed: ParsedPlan) -> list[PreviewNode]:
    def node(item: ParsedItem, depth: int) -> PreviewNode:
        level = item.label or (parsed.levels[depth] if depth < len(parsed.levels) else "")
        return PreviewNode(item, level, [node(child, depth + 1) for child in item.children])

    return [node(root, 0) for root in parsed.items]


def _require_editor(request: HttpRequest) -> User:
    if not can_edit_plan(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _pending_for(request: HttpRequest, pk: int) -> tuple[User, PendingImport]:
    # Someone else's upload answers 404, as if it did not exist.
    user = _require_editor(request)
    return user, get_object_or_404(PendingImport.objects.visible_to(user), pk=pk)


def _parse(pending: PendingImport) -> ParsedPlan:
    return parse_source(Source(name=pending.file_name, data=bytes(pending.data)), pending.format)


@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _require_editor(request)
    if request.method != "POST":
        return render(request, "plans/import_form.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            return HttpResponseRedirect(_keep_upload(user, form).get_absolute_url())
        except ImportFailure as failure:
            form.add_error("file", str(failure))
    return render(request, "plans/import_form.html", {"form": form}, status=400)


def _keep_upload(user: User, form: ImportForm) -> PendingImport:
    """Read the upload through (or raise ImportFailure) and keep it for the preview."""
    upload = form.cleaned_data["file"]
    source = Source(name=upload.name, data=upload.read())
    format = form.cleaned_data["format"] or detect_format(source)
    parse_source(source, format)
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


@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    _user, pending = _pending_for(request, pk)
    parsed = _parse(pending)
    report = import_report(
        parsed, unique_slug(pending.slug or parsed.title or pending.file_name), dry_run=True
    )
    for anomaly in report["anomalies"]:
        anomaly["kind_label"] = (
            AnomalyKind(anomaly["kind"]).label if anomaly["kind"] in AnomalyKind.values else ""
        )
    context: dict[str, Any] = {
        "pending": pending,
        "parsed": parsed,
        "report": report,
        "format_label": FORMAT_LABELS.get(pending.format, pending.format),
        "tree": preview_tree(parsed),
        "earlier": Plan.objects.filter(source_checksum=pending.checksum).order_by("created_at").first(),
    }
    return render(request, "plans/import_preview.html", context)


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
