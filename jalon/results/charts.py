"""An indicator's targets against its actual values over time, as SVG drawn on the server.

No JavaScript and no stylesheet needed: colours are attributes, so the same markup works
in a page, in a PDF report and read alone. Every text is escaped; the <title> and <desc>
give screen readers the figures, and the page puts a data table beside the chart."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Indicator, IndicatorValue, Measure, Target

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 48, 16, 72
# Contrast against white: text 16:1, actual 8:1, target 6:1, baseline 7:1, axes 7:1.
TEXT = "#1a1a1a"
ACTUAL = "#0b4f8a"
TARGET = "#9a4400"
BASELINE = "#4a4a4a"
AXIS = "#4a4a4a"
GRID = "#d0d0d0"
MAX_DATE_TICKS = 6


def format_number(value: Decimal | float) -> str:
    """Return a number in the active language: no decimals when it is whole."""
    decimal = Decimal(str(value))
    places = 0 if decimal == decimal.to_integral_value() else 2
    return formats.number_format(decimal, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_measured(indicator: Indicator, value: Decimal | None) -> str:
    """Return a value as the indicator's readers expect it: 45 %, Yes, 120 personnes."""
    if value is None:
        return "—"
    if indicator.measure == Measure.PERCENT:
        return f"{format_number(value)} %"
    if indicator.measure == Measure.YES_NO:
        return _("Yes") if value else _("No")
    return f"{format_number(value)} {indicator.unit}".strip()


def format_date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT", use_l10n=True)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick values (1, 2 or 5 times a power of ten apart) covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = [round(first, 10)]
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


class _Scale:
    def __init__(self, dates: list[datetime.date], ticks: list[float]) -> None:
        self.first, self.last = min(dates), max(dates)
        if self.first == self.last:
            self.first -= datetime.timedelta(days=15)
            self.last += datetime.timedelta(days=15)
        self.ticks = ticks
        self.low, self.high = ticks[0], ticks[-1]

    def x(self, day: datetime.date) -> float:
        span = (self.last - self.first).days
        return round(LEFT + (day - self.first).days / span * (WIDTH - LEFT - RIGHT), 1)

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM), 1)


def indicator_title(indicator: Indicator, language: str) -> str:
    return indicator.title_en if language.startswith("en") and indicator.title_en else indicator.title


def indicator_chart_svg(
    indicator: Indicator, targets: Sequence[Target], values: Sequence[IndicatorValue], *, language: str
) -> SafeString:
    """Return the chart of a measured indicator, or an empty string when there is nothing to
    draw (a qualitative indicator, or neither target nor value yet)."""
    if indicator.measure == Measure.QUALITATIVE:
        return SafeString("")
    targets = sorted((t for t in targets if t.value is not None), key=lambda t: t.period_start)
    actuals = sorted((v for v in values if v.is_total and v.value is not None), key=lambda v: v.period_end)
    if not targets and not actuals:
        return SafeString("")
    with translation.override(language):
        return mark_safe("".join(_svg(indicator, targets, actuals, language)))  # noqa: S308


def _ticks(indicator: Indicator, numbers: list[float]) -> list[float]:
    if indicator.measure == Measure.PERCENT:
        return [0, 20, 40, 60, 80, 100]
    if indicator.measure == Measure.YES_NO:
        return [0, 1]
    return nice_ticks(min(0.0, *numbers), max(numbers))


def _svg(
    indicator: Indicator, targets: list[Target], actuals: list[IndicatorValue], language: str
) -> list[str]:
    numbers = [float(t.value) for t in targets if t.value is not None]
    numbers += [float(v.value) for v in actuals if v.value is not None]
    dates = [t.period_start for t in targets] + [t.period_end for t in targets]
    dates += [v.period_end for v in actuals]
    baseline = indicator.baseline_value
    if baseline is not None:
        numbers.append(float(baseline))
    scale = _Scale(dates, _ticks(indicator, numbers))
    ident = f"indicator-chart-{indicator.pk}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif" font-size="12" '
        f'fill="{TEXT}">',
        f'<title id="{ident}-title">{escape(indicator_title(indicator, language))}</title>',
        f'<desc id="{ident}-desc">{escape(_description(indicator, targets, actuals))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff" stroke="none"/>',
    ]
    parts += _y_axis(indicator, scale)
    parts += _x_axis(scale, sorted({t.period_end for t in targets} | {v.period_end for v in actuals}))
    if baseline is not None:
        y = scale.y(float(baseline))
        parts.append(
            f'<line class="chart__baseline" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" '
            f'stroke="{BASELINE}" stroke-width="2" stroke-dasharray="2 4"/>'
        )
    parts += _target_step(targets, scale)
    parts += _actual_line(indicator, actuals, scale)
    parts += _legend(baseline is not None)
    parts.append("</svg>")
    return parts


def _y_axis(indicator: Indicator, scale: _Scale) -> list[str]:
    parts = []
    for tick in scale.ticks:
        y = scale.y(tick)
        label = (
            format_measured(indicator, Decimal(str(tick)))
            if indicator.measure != Measure.NUMBER
            else format_number(tick)
        )
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text class="chart__y-label" x="{LEFT - 8}" y="{y + 4}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
    bottom = HEIGHT - BOTTOM
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/>')
    parts.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    return parts


def _x_axis(scale: _Scale, dates: list[datetime.date]) -> list[str]:
    # Label the period ends, thinned so that the labels never overlap.
    every = max(1, math.ceil(len(dates) / MAX_DATE_TICKS))
    parts = []
    for day in dates[::every]:
        x = scale.x(day)
        parts.append(
            f'<line x1="{x}" y1="{HEIGHT - BOTTOM}" x2="{x}" y2="{HEIGHT - BOTTOM + 5}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
            f'<text class="chart__x-label" x="{x}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(format_date(day))}</text>"
        )
    return parts


def _target_step(targets: list[Target], scale: _Scale) -> list[str]:
    if not targets:
        return []
    points = []
    markers = []
    for target in targets:
        y = scale.y(float(target.value or 0))
        points += [f"{scale.x(target.period_start)},{y}", f"{scale.x(target.period_end)},{y}"]
        x = scale.x(target.period_end)
        markers.append(
            f'<rect class="chart__target-point" x="{x - 4}" y="{y - 4}" width="8" height="8" '
            f'fill="#ffffff" stroke="{TARGET}" stroke-width="2" data-date="{target.period_end.isoformat()}" '
            f'data-value="{target.value}"/>'
        )
    line = (
        f'<polyline class="chart__target" points="{" ".join(points)}" fill="none" stroke="{TARGET}" '
        f'stroke-width="2" stroke-dasharray="8 5"/>'
    )
    return [line, *markers]


def _actual_line(indicator: Indicator, actuals: list[IndicatorValue], scale: _Scale) -> list[str]:
    if not actuals:
        return []
    coordinates = [(scale.x(v.period_end), scale.y(float(v.value or 0))) for v in actuals]
    points = " ".join(f"{x},{y}" for x, y in coordinates)
    parts = [
        f'<polyline class="chart__actual" points="{points}" fill="none" '
        f'stroke="{ACTUAL}" stroke-width="2.5"/>'
    ]
    for value, (x, y) in zip(actuals, coordinates, strict=True):
        label = f"{format_date(value.period_end)} : {format_measured(indicator, value.value)}"
        parts.append(
            f'<circle class="chart__actual-point" cx="{x}" cy="{y}" r="4.5" fill="{ACTUAL}" stroke="#ffffff" '
            f'stroke-width="1.5" data-date="{value.period_end.isoformat()}" data-value="{value.value}">'
            f"<title>{escape(label)}</title></circle>"
        )
    return parts


def _legend(with_baseline: bool) -> list[str]:
    y = HEIGHT - 20
    entries = [
        (_("Actual"), f'stroke="{ACTUAL}" stroke-width="2.5"'),
        (_("Target"), f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="8 5"'),
    ]
    if with_baseline:
        entries.append((_("Baseline"), f'stroke="{BASELINE}" stroke-width="2" stroke-dasharray="2 4"'))
    parts = ['<g class="chart__legend">']
    for index, (label, stroke) in enumerate(entries):
        x = LEFT + index * 150
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" {stroke}/>'
            f'<text x="{x + 36}" y="{y + 4}">{escape(label)}</text>'
        )
    parts.append("</g>")
    return parts


def _description(indicator: Indicator, targets: list[Target], actuals: list[IndicatorValue]) -> str:
    sentences = []
    if indicator.baseline_value is not None:
        sentences.append(
            _("Baseline: %(value)s.") % {"value": format_measured(indicator, indicator.baseline_value)}
        )
    if targets:
        listed = "; ".join(
            f"{format_date(t.period_start)} – {format_date(t.period_end)}: "
            f"{format_measured(indicator, t.value)}"
            for t in targets
        )
        sentences.append(_("Targets: %(list)s.") % {"list": listed})
    if actuals:
        listed = "; ".join(
            f"{format_date(v.period_end)}: {format_measured(indicator, v.value)}" for v in actuals
        )
        sentences.append(_("Actual values: %(list)s.") % {"list": listed})
    return " ".join(sentences)
