"""The report's formats: a name, the function that writes it, its file type and suffix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .model import Report, Step
from .render_docx import render_docx
from .render_html import render_html


def _silent(label: str) -> None:
    pass


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    suffix: str
    writer: Callable[[Report, Step], bytes]
    by_axis: bool = False  # tells the progress of each axis, else one step for the whole

    def render(self, report: Report, step: Step = _silent) -> bytes:
        return self.writer(report, step)

    def steps(self, report: Report) -> int:
        """Return how many times render calls `step`."""
        return len(report.summary.by_axis) if self.by_axis else 1


def _html(report: Report, step: Step) -> bytes:
    html = render_html(report).encode()
    step(_("HTML laid out"))
    return html


def _pdf(report: Report, step: Step) -> bytes:
    # Imported when asked: WeasyPrint loads Pango, which the other formats do not need.
    from .render_pdf import render_pdf

    pdf = render_pdf(report)
    step(_("PDF laid out"))
    return pdf


def _docx(report: Report, step: Step) -> bytes:
    return render_docx(report, step=step)


FORMATS = {
    "html": Format("html", "text/html; charset=utf-8", ".html", _html),
    "pdf": Format("pdf", "application/pdf", ".pdf", _pdf),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        _docx,
        by_axis=True,
    ),
}


def file_name(report: Report, slug: str, fmt: Format) -> str:
    period = f"{report.date_from.isoformat()}-{report.date_to.isoformat()}"
    return f"bilan-{slug}-{period}-{report.language}{fmt.suffix}"
