"""The report as an HTML document: the same template for the web page, the file and the PDF."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.safestring import mark_safe

from .charts import progress_chart_svg, status_chart_svg
from .model import Report

STYLESHEET = "jalon/report.css"


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
    path = finders.find(STYLESHEET)
    if not path or isinstance(path, list):
        raise FileNotFoundError(STYLESHEET)
    with open(path, encoding="utf-8") as file:
        return file.read()


def render_html(report: Report, *, stylesheet_url: str | None = None) -> str:
    """Return the report as a whole HTML document.

    Without a stylesheet address the CSS is written into the document, so that a file
    saved on a disk or sent by email reads the same as the page."""
    with translation.override(report.language):
        context = report_context(report)
        if stylesheet_url is None:
            context["inline_css"] = mark_safe(stylesheet_text().replace("</", "<\\/"))  # noqa: S308 - our own file
        else:
            context["stylesheet"] = stylesheet_url
        return render_to_string("reports/report.html", context)


def default_stylesheet_url() -> str:
    return static(STYLESHEET)
