"""The report page: a form, the report shown on the page, and the PDF and DOCX files
prepared in the background (jobs.py) and listed with their progress.

HTML is a GET, so that a report has an address. Asking for a file is a POST that starts a
job and sends the reader back to the page (Post/Redirect/Get), where the list of jobs
refreshes itself with htmx while one is being prepared, or with a plain link without
JavaScript."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_safe

from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Plan

from .forms import ReportForm
from .jobs import report_job_start
from .model import build_report, default_range
from .models import RECENT_JOBS, ReportJob
from .render_html import report_context


@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for(request, slug, Plan.objects.with_anomaly_count())
    if request.method == "POST":
        return _ask(request, plan)
    asked = "format" in request.GET
    form = ReportForm(request.GET if asked else None, initial=_initial(plan))
    context = _page_context(plan, form)
    if not asked or not form.is_valid():
        return render(request, "reports/page.html", context, status=400 if asked else 200)
    if form.cleaned_data["format"] != "html":
        # A file is asked for with the button (a POST); the address only fills the form.
        return render(request, "reports/page.html", context)
    return render(request, "reports/page.html", context | {"report_html": _inline_report(plan, form)})


def _ask(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = ReportForm(request.POST, initial=_initial(plan))
    if not form.is_valid():
        return render(request, "reports/page.html", _page_context(plan, form), status=400)
    data = form.cleaned_data
    page = reverse("reports:page", args=[plan.slug])
    if data["format"] == "html":
        query = {name: str(data[name]) for name in ("date_from", "date_to", "language", "format")}
        return HttpResponseRedirect(f"{page}?{urlencode(query)}", status=303)
    report_job_start(
        plan=plan,
        user=request.user,  # type: ignore[arg-type]
        format=data["format"],
        language=data["language"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )
    return HttpResponseRedirect(f"{page}#report-jobs", status=303)


@require_safe
def report_jobs(request: HttpRequest, slug: str) -> HttpResponse:
    """Return the list of the plan's recent jobs alone, for the page to refresh it."""
    plan = _plan_for(request, slug, Plan.objects.all())
    return render(request, "reports/_jobs.html", jobs_context(plan))


@require_safe
def report_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    plan = _plan_for(request, slug, Plan.objects.all())
    job = get_object_or_404(ReportJob, pk=pk, plan=plan)
    if not job.downloadable:
        raise Http404
    try:
        opened = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(opened, as_attachment=True, filename=job.file_name)


def jobs_context(plan: Plan) -> dict[str, Any]:
    """Return the plan's recent jobs, newest first, and whether any may still move."""
    jobs = list(ReportJob.objects.filter(plan=plan).select_related("user").newest_first()[:RECENT_JOBS])
    now = timezone.now()
    for job in jobs:
        job.interrupted = job.is_interrupted(now)  # type: ignore[attr-defined]
    return {"plan": plan, "jobs": jobs, "jobs_active": any(job.is_active(now) for job in jobs)}


def _plan_for(request: HttpRequest, slug: str, plans: Any) -> Plan:
    plan: Plan = get_object_or_404(plans, slug=slug)
    if not can_read_internal(request.user):
        raise PermissionDenied
    return plan


def _initial(plan: Plan) -> dict[str, Any]:
    start, end = default_range(plan)
    return {"date_from": start, "date_to": end, "language": plan.language or "fr", "format": "html"}


def _page_context(plan: Plan, form: ReportForm) -> dict[str, Any]:
    return {"form": form, "report": None, **jobs_context(plan)}


def _inline_report(plan: Plan, form: ReportForm) -> str:
    data = form.cleaned_data
    report = build_report(
        plan, date_from=data["date_from"], date_to=data["date_to"], language=data["language"]
    )
    # The page stays in the reader's language; only the report is in the one asked for.
    with translation.override(report.language):
        return render_to_string("reports/_report_body.html", {**report_context(report), "inline": True})
