"""An indicator as the pages and the API show it: its targets, values, latest value against
its target, whether it is late, and its chart, from rows fetched once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .charts import format_measured, indicator_chart_svg
from .models import Indicator, IndicatorValue, Target


@dataclass
class IndicatorRow:
    """An indicator with what the pages show about it, computed from prefetched rows."""

    indicator: Indicator
    targets: list[Target]
    values: list[IndicatorValue]
    status: str
    late: bool
    latest: IndicatorValue | None
    latest_target: Target | None
    chart: SafeString

    @property
    def latest_display(self) -> str:
        if self.latest is None:
            return "—"
        return (
            self.latest.text
            if self.latest.value is None
            else format_measured(self.indicator, self.latest.value)
        )

    @property
    def target_display(self) -> str:
        target = self.latest_target
        if target is None:
            return "—"
        return target.comment if target.value is None else format_measured(self.indicator, target.value)


def _latest_total(values: list[IndicatorValue]) -> IndicatorValue | None:
    totals = [value for value in values if value.is_total]
    return max(totals, key=lambda value: (value.period_end, value.pk), default=None)


def _target_for(targets: list[Target], latest: IndicatorValue | None) -> Target | None:
    """Return the target of the latest value's period, else the next one due, else the last."""
    if not targets:
        return None
    if latest is not None:
        covering = [t for t in targets if t.period_start <= latest.period_end <= t.period_end]
        if covering:
            return covering[-1]
    upcoming = [t for t in targets if t.period_end >= timezone.localdate()]
    return upcoming[0] if upcoming else targets[-1]


def indicator_row(indicator: Indicator, *, chart: bool = True) -> IndicatorRow:
    """Build the row of an indicator fetched with_schedule() and its targets and values prefetched."""
    targets = list(indicator.targets.all())
    values = list(indicator.values.all())
    today = timezone.localdate()
    latest = _latest_total(values)
    return IndicatorRow(
        indicator=indicator,
        targets=targets,
        values=values,
        status=indicator.status(today),
        late=indicator.is_late(today),
        latest=latest,
        latest_target=_target_for(targets, latest),
        chart=indicator_chart_svg(indicator, targets, values, language=get_language() or "fr")
        if chart
        else SafeString(""),
    )


def indicators_prefetch() -> Prefetch:
    values = IndicatorValue.objects.select_related("recorded_by")
    indicators = (
        Indicator.objects.with_schedule()
        .select_related("responsible")
        .prefetch_related("targets", Prefetch("values", queryset=values))
    )
    return Prefetch("indicators", queryset=indicators)
