"""The IATI file of a plan, downloaded from the plan page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from jalon.plans.models import Plan

from .export import IatiError, Level, iati_document, reporting_org_from_settings


@require_safe
def iati_export(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=slug)
    level: Level = "orientation" if request.GET.get("activite") == "orientation" else "action"
    org = reporting_org_from_settings(plan)
    try:
        if not org.ref:
            raise IatiError("JALON_IATI_ORGANISATION_REF")
        document = iati_document(plan, level=level, reporting_org=org)
    except IatiError as error:
        # Nothing half-valid is handed out: the page says what to fix instead.
        context = {"plan": plan, "reason": str(error), "missing_ref": not org.ref}
        return render(request, "iati/refused.html", context, status=409)
    filename = f"{plan.slug}-iati-{level}.xml"
    headers = {"Content-Disposition": content_disposition_header(True, filename)}
    return HttpResponse(document, content_type="application/xml; charset=utf-8", headers=headers)
