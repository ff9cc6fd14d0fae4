"""The annual progress report as one tree of plain data, computed once and rendered three ways.

Every text a renderer needs is computed here, already in the report's language (dates,
numbers, status labels), so the HTML, PDF and DOCX renderers only lay it out. Building it
costs a fixed number of queries whatever the size of the plan: one per kind of row
(items, leads, links, updates, indicators with targets and values) plus the rollups, which
cost one query per level of the plan."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jalon.directory.models import ItemLink
from jalon.plans.models import Item, Plan
from jalon.results.budget import plan_budget
from jalon.results.charts import format_measured, format_number, indicator_chart_svg, indicator_title
from jalon.results.models import Indicator, IndicatorValue, Measure, Target
from jalon.tracking.markdown import render_markdown
from jalon.tracking.models import Status, Tracking, Update
from jalon.tracking.rollups import Rollup, plan_rollups

# Told the name of each part of the work as it is done, for a progress bar.
Step = Callable[[str], None]
STEPS = 4  # the calls build_report makes


class ReportError(ValueError):
    """A report that cannot be made as asked (its message says why, for a person)."""


@dataclass
class Cover:
    organisation: str
    plan_title: str
    period: str
    date_from: str
    date_to: str
    produced_on: str


@dataclass
class AxisProgress:
    code: str
    title: str
    progress: int
    actions: int


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class BudgetTotal:
    currency: str
    planned: str
    spent: str
    percent_spent: int | None


@dataclass
class Summary:
    actions: int
    progress: int
    by_axis: list[AxisProgress]
    statuses: list[StatusCount]
    budget: list[BudgetTotal]


@dataclass
class UpdateEntry:
    date: str
    author: str
    text: str  # Markdown as typed: each renderer turns it into safe HTML or plain text
    status: str  # the Status value the update set, for styling; empty if it set none
    status_label: str
    progress: str

    @property
    def text_html(self) -> SafeString:
        return render_markdown(self.text)


@dataclass
class PeriodFigure:
    period: str
    target: str
    actual: str


@dataclass
class IndicatorEntry:
    indicator: Indicator
    targets: list[Target]
    values: list[IndicatorValue]
    title: str
    result: str
    baseline: str
    target: str  # the last target of the report's range (else the last one)
    actual: str  # the last total value measured by the end of the range
    figures: list[PeriodFigure]
    language: str

    @property
    def chart(self) -> SafeString:
        return indicator_chart_svg(self.indicator, self.targets, self.values, language=self.language)


@dataclass
class Section:
    """An axis, an orientation or an action, in document order."""

    depth: int
    code: str
    level_label: str
    title: str
    is_action: bool
    status: str  # the Status value, for styling; empty above the actions
    status_label: str
    progress: int
    actions: int  # the actions counted in the progress (the item itself for an action)
    leads: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    updates: list[UpdateEntry] = field(default_factory=list)
    indicators: list[IndicatorEntry] = field(default_factory=list)


@dataclass
class Report:
    language: str
    date_from: datetime.date
    date_to: datetime.date
    cover: Cover
    summary: Summary
    sections: list[Section]

    @property
    def action_codes(self) -> list[str]:
        return [section.code for section in self.sections if section.is_action]


def format_day(day: datetime.date | None) -> str:
    """Return a date spelled out in the active language (3 mars 2025, March 3, 2025)."""
    return formats.date_format(day, "DATE_FORMAT", use_l10n=True) if day else "—"


def format_money(amount: Decimal, currency: str) -> str:
    return f"{format_number(amount)} {currency}"


def default_range(plan: Plan) -> tuple[datetime.date, datetime.date]:
    """Return the plan's period, else the current calendar year."""
    today = timezone.localdate()
    start = plan.period_start or datetime.date(today.year, 1, 1)
    end = plan.period_end or datetime.date(today.year, 12, 31)
    return start, end


def build_report(
    plan: Plan,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    language: str = "",
    step: Step | None = None,
) -> Report:
    """Return the report of a plan for a date range (the plan's period by default), in a
    language (the plan's by default)."""
    default_from, default_to = default_range(plan)
    date_from = date_from or default_from
    date_to = date_to or default_to
    if date_from > date_to:
        raise ReportError(_("The start of the range comes after its end."))
    language = (language or plan.language or "fr").split("-")[0]
    with translation.override(language):
        return _build(plan, date_from, date_to, language, step or _silent)


def _title(text: str, english: str, language: str) -> str:
    # As item_titles: the English title for English readers when the plan has one.
    return english if language == "en" and english else text


def _silent(label: str) -> None:
    pass


def _build(plan: Plan, date_from: datetime.date, date_to: datetime.date, language: str, step: Step) -> Report:
    total, rollups = plan_rollups(plan)
    _by_path, budget_totals = plan_budget(plan, depth=0)
    step(_("summary"))
    trackings = Tracking.objects.prefetch_related("leads")
    items = list(
        Item.objects.filter(plan=plan)
        .in_document_order()
        .prefetch_related(Prefetch("tracking", queryset=trackings))
    )
    parents = {item.parent_id for item in items}
    step(_("items"))
    links = _links(plan, language)
    updates = _updates(plan, date_from, date_to)
    step(_("updates"))
    indicators = _indicators(plan, date_from, date_to, language)
    step(_("indicators"))
    sections = [
        _section(plan, item, item.pk not in parents, rollups.get(item.path, Rollup()), language)
        for item in items
    ]
    for item, section in zip(items, sections, strict=True):
        section.partners, section.places, section.themes = links.get(item.pk, ([], [], []))
        section.updates = updates.get(item.pk, [])
        section.indicators = indicators.get(item.pk, [])
    return Report(
        language=language,
        date_from=date_from,
        date_to=date_to,
        cover=Cover(
            organisation=plan.organisation,
            plan_title=plan.title,
            period=plan.period,
            date_from=format_day(date_from),
            date_to=format_day(date_to),
            produced_on=format_day(timezone.localdate()),
        ),
        summary=Summary(
            actions=total.actions,
            progress=total.progress,
            by_axis=[AxisProgress(s.code, s.title, s.progress, s.actions) for s in sections if s.depth == 0],
            statuses=[StatusCount(value, label, count) for value, label, count in total.status_list],
            budget=[
                BudgetTotal(
                    currency=amounts.currency,
                    planned=format_money(amounts.planned, amounts.currency),
                    spent=format_money(amounts.spent, amounts.currency),
                    percent_spent=amounts.percent_spent,
                )
                for amounts in budget_totals
            ],
        ),
        sections=sections,
    )


def _section(plan: Plan, item: Item, is_action: bool, rollup: Rollup, language: str) -> Section:
    tracking = item.tracking_or_none if is_action else None
    status = (tracking.status if tracking else Status.NOT_STARTED) if is_action else ""
    return Section(
        depth=item.depth,
        code=item.code,
        level_label=item.label or plan.level_name(item.depth),
        title=_title(item.title, item.title_en, language),
        is_action=is_action,
        status=status,
        status_label=str(Status(status).label) if status else "",
        progress=(tracking.progress if tracking else 0) if is_action else rollup.progress,
        actions=1 if is_action else rollup.actions,
        leads=[lead.display_name for lead in tracking.leads.all()] if tracking else [],
    )


def _links(plan: Plan, language: str) -> dict[int, tuple[list[str], list[str], list[str]]]:
    found: dict[int, tuple[list[str], list[str], list[str]]] = {}
    rows = ItemLink.objects.accepted().of_plan(plan).select_related("partner", "place", "theme")
    for link in rows:
        partners, places, themes = found.setdefault(link.item_id, ([], [], []))
        if link.partner is not None:
            partners.append(link.partner.name)
        elif link.place is not None:
            places.append(link.place.name(language))
        elif link.theme is not None:
            themes.append(link.theme.name(language))
    return found


def _updates(plan: Plan, date_from: datetime.date, date_to: datetime.date) -> dict[int, list[UpdateEntry]]:
    found: dict[int, list[UpdateEntry]] = defaultdict(list)
    rows = (
        Update.objects.filter(item__plan=plan, date__range=(date_from, date_to))
        .select_related("author")
        .order_by("date", "created_at", "pk")
    )
    for update in rows:
        found[update.item_id].append(
            UpdateEntry(
                date=format_day(update.date),
                author=update.author.display_name,
                text=update.text,
                status=update.status,
                status_label=str(Status(update.status).label) if update.status else "",
                progress=f"{update.progress} %" if update.progress is not None else "",
            )
        )
    return found


def _indicators(
    plan: Plan, date_from: datetime.date, date_to: datetime.date, language: str
) -> dict[int, list[IndicatorEntry]]:
    found: dict[int, list[IndicatorEntry]] = defaultdict(list)
    rows = (
        Indicator.objects.filter(result__item__plan=plan)
        .select_related("result")
        .prefetch_related("targets", "values")
        .order_by("result__item__path", "result__position", "result__pk", "position", "pk")
    )
    for indicator in rows:
        found[indicator.result.item_id].append(_indicator(indicator, date_from, date_to, language))
    return found


def _measured(indicator: Indicator, value: Decimal | None, text: str) -> str:
    if value is None and indicator.measure == Measure.QUALITATIVE:
        return text or "—"
    return format_measured(indicator, value)


def _indicator(
    indicator: Indicator, date_from: datetime.date, date_to: datetime.date, language: str
) -> IndicatorEntry:
    targets = list(indicator.targets.all())
    values = [value for value in indicator.values.all() if value.period_end <= date_to]
    totals = [value for value in values if value.is_total]
    in_range = [t for t in targets if t.period_start <= date_to and t.period_end >= date_from]
    chosen = in_range or targets
    target = chosen[-1] if chosen else None
    actual = max(totals, key=lambda value: (value.period_end, value.pk), default=None)
    figures = [
        PeriodFigure(
            period=f"{format_day(t.period_start)} – {format_day(t.period_end)}",
            target=_measured(indicator, t.value, t.comment),
            actual=next(
                (
                    _measured(indicator, v.value, v.text)
                    for v in reversed(totals)
                    if t.period_start <= v.period_end <= t.period_end
                ),
                "—",
            ),
        )
        for t in targets
    ]
    return IndicatorEntry(
        indicator=indicator,
        targets=targets,
        values=values,
        title=indicator_title(indicator, language),
        result=_title(indicator.result.title, indicator.result.title_en, language),
        baseline=_measured(indicator, indicator.baseline_value, indicator.baseline_comment)
        if indicator.baseline_value is not None or indicator.baseline_comment
        else "—",
        target=_measured(indicator, target.value, target.comment) if target else "—",
        actual=_measured(indicator, actual.value, actual.text) if actual else "—",
        figures=figures,
        language=language,
    )
