"""The report as an HTML document: the same template for the web page, the file and the PDF."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .charts import progress_chart_svg, status_chart_svg
from .model import Report

# An action's status is drawn by the site's own rules (status.css), then the report's.
STYLESHEETS = ("jalon/status.css", "jalon/report.css")


def report_context(report: Report) -> dict[str, Any]:
    """Return what the report's template needs; call it in the report's language."""
    return {
        "report": report,
        "charts": {
            "progress": progress_chart_svg(report.summary.by_axis),
            "statuses": status_chart_svg(report.summary.statuses),
        },
    }


def stylesheet_text() -> str:
    return "\n".join(_static_text(name) for name in STYLESHEETS)


def _static_text(name: str) -> str:
    path = finders.find(name)
    if not path or isinstance(path, list):
        raise FileNotFoundError(name)
    with open(path, encoding="utf-8") as file:
        return file.read()


def render_html(report: Report, *, static_url: str | None = None) -> str:
    """Return the report as a whole HTML document, its stylesheets linked under static_url.

    Without a static address the CSS is written into the document, so that a file
    saved on a disk or sent by email reads the same as the page."""
    with translation.override(report.language):
        context = report_context(report)
        if static_url is None:
            context["inline_css"] = mark_safe(stylesheet_text().replace("</", "<\\/"))  # noqa: S308 - our own file
        else:
            context["stylesheets"] = [static_url + name for name in STYLESHEETS]
        return render_to_string("reports/report.html", context)
