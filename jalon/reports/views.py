"""The report page: a form (GET, so that a report has an address) and the report it asks for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Plan

from .formats import FORMATS, file_name
from .forms import ReportForm
from .model import build_report, default_range
from .render_html import report_context


@require_safe
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    if not can_read_internal(request.user):
        raise PermissionDenied
    start, end = default_range(plan)
    initial = {"date_from": start, "date_to": end, "language": plan.language or "fr", "format": "html"}
    asked = "format" in request.GET
    form = ReportForm(request.GET if asked else None, initial=initial)
    context = {"plan": plan, "form": form, "report": None}
    if not asked or not form.is_valid():
        return render(request, "reports/page.html", context, status=400 if asked else 200)
    data = form.cleaned_data
    report = build_report(
        plan, date_from=data["date_from"], date_to=data["date_to"], language=data["language"]
    )
    fmt = FORMATS[data["format"]]
    if fmt.name == "html":
        # The page stays in the reader's language; only the report is in the one asked for.
        with translation.override(report.language):
            body = render_to_string("reports/_report_body.html", {**report_context(report), "inline": True})
        return render(request, "reports/page.html", context | {"report_html": body})
    response = HttpResponse(fmt.render(report), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, plan.slug, fmt)}"'
    return response
