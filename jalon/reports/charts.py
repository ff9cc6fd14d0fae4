"""The report's summary charts as SVG drawn on the server: progress by axis and actions by status.

Like jalon/results/charts.py: colours are attributes (no stylesheet, no script), so the
same markup works in the page, in WeasyPrint's PDF and read alone; every text is escaped
and the <title> and <desc> give screen readers the figures (the report also prints them
in a table beside each chart)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .model import AxisProgress, StatusCount

WIDTH = 640
LABEL_WIDTH = 250
BAR_HEIGHT = 22
GAP = 10
TOP = 8
# Contrast against white: text 16:1, bar 8:1; the track is decoration only.
TEXT = "#1a1a1a"
BAR = "#0b4f8a"
TRACK = "#e3e7ec"
# The text colours of the status badges (static/jalon/status.css), so a bar matches its badge.
STATUS_COLOURS = {
    "not_started": "#4b5563",
    "in_progress": "#0b4f8a",
    "done": "#1d6332",
    "ongoing": "#5a3d8a",
    "delayed": "#8a1c1c",
    "cancelled": "#6b5d00",
}
MAX_LABEL = 32


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _svg(ident: str, title: str, description: str, height: int, body: list[str]) -> SafeString:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif" font-size="12" '
        f'fill="{TEXT}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff" stroke="none"/>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _bar(row: int, label: str, share: float, value: str, colour: str) -> list[str]:
    y = TOP + row * (BAR_HEIGHT + GAP)
    span = WIDTH - LABEL_WIDTH - 60
    length = round(span * max(0.0, min(share, 1.0)), 1)
    middle = y + BAR_HEIGHT / 2 + 4
    return [
        f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end">{escape(_short(label))}</text>',
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{span}" height="{BAR_HEIGHT}" fill="{TRACK}"/>',
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}"/>',
        f'<text x="{LABEL_WIDTH + span + 6}" y="{middle}">{escape(value)}</text>',
    ]


def _height(rows: int) -> int:
    return TOP * 2 + max(rows, 1) * (BAR_HEIGHT + GAP)


def progress_chart_svg(axes: Sequence[AxisProgress]) -> SafeString:
    """Return the mean progress of each axis as horizontal bars out of 100 %."""
    body: list[str] = []
    for row, axis in enumerate(axes):
        label = f"{axis.code} {axis.title}".strip()
        body += _bar(row, label, axis.progress / 100, f"{axis.progress} %", BAR)
    description = "; ".join(f"{axis.code} {axis.title}: {axis.progress} %".strip() for axis in axes)
    return _svg("report-progress", _("Progress by axis"), description, _height(len(axes)), body)


def status_chart_svg(statuses: Sequence[StatusCount]) -> SafeString:
    """Return the number of actions in each status as horizontal bars."""
    most = max((status.count for status in statuses), default=0) or 1
    body: list[str] = []
    for row, status in enumerate(statuses):
        colour = STATUS_COLOURS.get(status.status, BAR)
        body += _bar(row, status.label, status.count / most, str(status.count), colour)
    description = "; ".join(f"{status.label}: {status.count}" for status in statuses)
    return _svg("report-statuses", _("Actions by status"), description, _height(len(statuses)), body)
