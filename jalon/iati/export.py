"""Write a plan as IATI 2.03 activities: one per action, or one per orientation (the
items just above the actions) carrying what their actions carry.

The data is read in a fixed number of queries (items, tracking, accepted links, results
with their indicators, targets and values, budget lines), then the XML is built in
memory; `validation.problems` checks the result before anyone writes it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from jalon.directory.models import ItemLink, PlaceKind
from jalon.plans.models import PATH_STEP, Item, Plan
from jalon.results.models import BudgetLine, Indicator, IndicatorValue, Measure, Result, Target
from jalon.tracking.models import Status

from .validation import problems

Level = Literal["action", "orientation"]

# Our statuses in IATI's ActivityStatus codelist: 1 pipeline, 2 implementation,
# 3 finalisation, 5 cancelled. "Done" is finalisation, not closed: the accounts of a
# finished action may still move.
ACTIVITY_STATUS = {
    Status.NOT_STARTED: "1",
    Status.IN_PROGRESS: "2",
    Status.ONGOING: "2",
    Status.DELAYED: "2",
    Status.DONE: "3",
    Status.CANCELLED: "5",
}
PLANNED_START, PLANNED_END = "1", "3"
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
GENERAL_DESCRIPTION = "1"
ORIGINAL_BUDGET, INDICATIVE = "1", "1"
DAC_VOCABULARY = "1"


class IatiError(Exception):
    """The plan cannot be written as valid IATI; the message says what to fix."""


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    name: str
    type: str


@dataclass
class Activity:
    item: Item
    actions: list[Item]
    links: list[ItemLink] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    budget: list[BudgetLine] = field(default_factory=list)


def activities_xml(plan: Plan, *, level: Level, reporting_org: ReportingOrg) -> bytes:
    """Return the plan's activities as IATI XML bytes (not yet validated)."""
    if not reporting_org.ref:
        raise IatiError("the reporting organisation's IATI identifier is missing")
    root = etree.Element("iati-activities", version="2.03", attrib={"generated-datetime": _now()})
    for activity in plan_activities(plan, level):
        root.append(_activity(plan, activity, reporting_org))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat()


def plan_activities(plan: Plan, level: Level) -> list[Activity]:
    """Return the activities of the plan, each with the actions, links, results and
    budget lines of its subtree, in document order."""
    items = list(plan.items.in_document_order().select_related("tracking"))
    parents = {item.parent_id for item in items}
    actions = [item for item in items if item.pk not in parents]
    chosen = actions if level == "action" else _orientations(items, actions)
    activities = [Activity(item, [a for a in actions if a.path.startswith(item.path)]) for item in chosen]
    by_item = {activity.item.pk: activity for activity in activities}
    owner = _owner_of(items, by_item)
    for link in ItemLink.objects.of_plan(plan).accepted().select_related("partner", "place__parent", "theme"):
        if link.item_id in owner:
            owner[link.item_id].links.append(link)
    for result in _results(plan):
        if result.item_id in owner:
            owner[result.item_id].results.append(result)
    for line in BudgetLine.objects.filter(item__plan=plan).order_by("year", "currency", "pk"):
        if line.item_id in owner:
            owner[line.item_id].budget.append(line)
    return activities


def _orientations(items: list[Item], actions: list[Item]) -> list[Item]:
    # The parents of the actions; an action directly at the top stands for itself.
    keys = {action.parent_id or action.pk for action in actions}
    return [item for item in items if item.pk in keys]


def _owner_of(items: list[Item], by_item: dict[int, Activity]) -> dict[int, Activity]:
    """Return, for every item inside an activity's subtree, that activity."""
    by_path = {activity.item.path: activity for activity in by_item.values()}
    owner: dict[int, Activity] = {}
    for item in items:
        # The activity is the item itself or one of its ancestors: a prefix of its path.
        for end in range(PATH_STEP, len(item.path) + 1, PATH_STEP):
            if item.path[:end] in by_path:
                owner[item.pk] = by_path[item.path[:end]]
                break
    return owner


def _results(plan: Plan) -> list[Result]:
    indicators = Indicator.objects.order_by("position", "pk").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_start")),
        Prefetch("values", queryset=IndicatorValue.objects.order_by("period_start", "pk")),
    )
    results = Result.objects.filter(item__plan=plan).order_by("item__path", "position", "pk")
    return list(results.prefetch_related(Prefetch("indicators", queryset=indicators)))


# The activity, element by element in the order the schema requires.


def _activity(plan: Plan, activity: Activity, org: ReportingOrg) -> etree._Element:
    item = activity.item
    element = etree.Element("iati-activity", attrib=_activity_attributes(plan, activity))
    _text(element, "iati-identifier", f"{org.ref}-{plan.slug}-{item.pk}")
    reporting = etree.SubElement(element, "reporting-org", ref=org.ref, type=org.type)
    _narrative(reporting, org.name or plan.organisation or org.ref)
    _narratives(etree.SubElement(element, "title"), item, plan)
    description = etree.SubElement(element, "description", type=GENERAL_DESCRIPTION)
    _narrative(description, item.body or item.title, plan.language)
    _participants(element, activity, org)
    etree.SubElement(element, "activity-status", code=_status(activity))
    _dates(element, plan, activity)
    _places(element, activity)
    _sectors(element, activity)
    _budgets(element, activity)
    for result in activity.results:
        element.append(_result(result, plan))
    return element


def _activity_attributes(plan: Plan, activity: Activity) -> dict[str, str]:
    currencies = [line.currency for line in activity.budget]
    return {
        "{http://www.w3.org/XML/1998/namespace}lang": plan.language or "fr",
        "default-currency": currencies[0] if currencies else "CAD",
        "last-updated-datetime": _now(),
    }


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def _narrative(parent: etree._Element, text: str, language: str | None = None) -> None:
    narrative = _text(parent, "narrative", text)
    if language:
        narrative.set("{http://www.w3.org/XML/1998/namespace}lang", language)


def _narratives(parent: etree._Element, item: Any, plan: Plan) -> None:
    title = f"{item.code} {item.title}".strip() if getattr(item, "code", "") else item.title
    _narrative(parent, title, plan.language)
    if item.title_en and plan.language != "en":
        english = f"{item.code} {item.title_en}".strip() if getattr(item, "code", "") else item.title_en
        _narrative(parent, english, "en")


def _participants(element: etree._Element, activity: Activity, org: ReportingOrg) -> None:
    accountable = etree.SubElement(
        element, "participating-org", ref=org.ref, role=ROLE_ACCOUNTABLE, type=org.type
    )
    _narrative(accountable, org.name or org.ref)
    seen: set[tuple[int, str]] = set()
    for link in activity.links:
        partner = link.partner
        if partner is None:
            continue
        role = ROLE_FUNDING if partner.is_funder else ROLE_IMPLEMENTING
        if (partner.pk, role) in seen:
            continue
        seen.add((partner.pk, role))
        attributes = {"role": role}
        if partner.organisation_type:
            attributes["type"] = partner.organisation_type
        _narrative(etree.SubElement(element, "participating-org", attrib=attributes), str(partner))


def _status(activity: Activity) -> str:
    statuses = [_tracking_status(action) for action in activity.actions]
    if len(statuses) == 1:
        return ACTIVITY_STATUS[statuses[0]]
    # An orientation is finished when all its open actions are; cancelled when all are.
    if statuses and all(status == Status.CANCELLED for status in statuses):
        return ACTIVITY_STATUS[Status.CANCELLED]
    open_ones = [status for status in statuses if status != Status.CANCELLED]
    if open_ones and all(status == Status.DONE for status in open_ones):
        return ACTIVITY_STATUS[Status.DONE]
    if any(status != Status.NOT_STARTED for status in open_ones):
        return ACTIVITY_STATUS[Status.IN_PROGRESS]
    return ACTIVITY_STATUS[Status.NOT_STARTED]


def _tracking_status(action: Item) -> Status:
    tracking = action.tracking_or_none
    return Status(tracking.status) if tracking else Status.NOT_STARTED


def _dates(element: etree._Element, plan: Plan, activity: Activity) -> None:
    trackings = [action.tracking_or_none for action in activity.actions]
    starts = [t.start_date for t in trackings if t and t.start_date] or [plan.period_start]
    ends = [t.due_date for t in trackings if t and t.due_date] or [plan.period_end]
    start, end = min(filter(None, starts), default=None), max(filter(None, ends), default=None)
    if start is None and end is None:
        raise IatiError(f"{activity.item.code or activity.item.pk}: no date, and the plan has no period")
    if start:
        etree.SubElement(element, "activity-date", type=PLANNED_START, attrib={"iso-date": start.isoformat()})
    if end:
        etree.SubElement(element, "activity-date", type=PLANNED_END, attrib={"iso-date": end.isoformat()})


def _places(element: etree._Element, activity: Activity) -> None:
    countries: dict[str, str] = {}
    regions: dict[str, str] = {}
    for link in activity.links:
        place = link.place
        while place is not None and place.kind == PlaceKind.SUBNATIONAL:
            place = place.parent
        if place is None:
            continue
        if place.kind == PlaceKind.COUNTRY and place.iso_code:
            countries.setdefault(place.iso_code, place.name("fr"))
        elif place.kind == PlaceKind.REGION and place.iati_region:
            regions.setdefault(place.iati_region, place.name("fr"))
    shares = _percentages(len(countries) + len(regions))
    for (code, name), share in zip(sorted(countries.items()), shares, strict=False):
        _narrative(etree.SubElement(element, "recipient-country", code=code, percentage=share), name)
    for (code, name), share in zip(sorted(regions.items()), shares[len(countries) :], strict=False):
        attributes = {"code": code, "vocabulary": DAC_VOCABULARY, "percentage": share}
        _narrative(etree.SubElement(element, "recipient-region", attrib=attributes), name)


def _percentages(count: int) -> list[str]:
    """Split 100 % into `count` shares of two decimals that add up to exactly 100."""
    if count == 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    shares = [share] * (count - 1) + [Decimal(100) - share * (count - 1)]
    return [str(value) for value in shares]


def _sectors(element: etree._Element, activity: Activity) -> None:
    sectors = sorted({code for link in activity.links if link.theme and (code := _sector(link.theme))})
    for code, share in zip(sectors, _percentages(len(sectors)), strict=True):
        etree.SubElement(element, "sector", vocabulary=DAC_VOCABULARY, code=code, percentage=share)


def _sector(theme: Any) -> str:
    return str(theme.iati_sector)


def _budgets(element: etree._Element, activity: Activity) -> None:
    planned: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in activity.budget:
        planned[(line.year, line.currency)] += line.planned
    for (year, currency), amount in sorted(planned.items()):
        budget = etree.SubElement(element, "budget", type=ORIGINAL_BUDGET, status=INDICATIVE)
        etree.SubElement(budget, "period-start", attrib={"iso-date": f"{year}-01-01"})
        etree.SubElement(budget, "period-end", attrib={"iso-date": f"{year}-12-31"})
        value = _text(budget, "value", _number(amount))
        value.set("currency", currency)
        value.set("value-date", f"{year}-01-01")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _result(result: Result, plan: Plan) -> etree._Element:
    element = etree.Element("result", type=result.iati_code, attrib={"aggregation-status": "0"})
    _narratives(etree.SubElement(element, "title"), result, plan)
    for indicator in result.indicators.all():
        element.append(_indicator(indicator, plan))
    if not len(element.findall("indicator")):
        raise IatiError(f"the result “{result.title}” has no indicator; IATI requires at least one")
    return element


def _indicator(indicator: Indicator, plan: Plan) -> etree._Element:
    attributes = {"measure": indicator.iati_measure}
    if indicator.measure != Measure.QUALITATIVE:
        attributes["ascending"] = "1" if indicator.ascending else "0"
    element = etree.Element("indicator", attrib=attributes)
    _narratives(etree.SubElement(element, "title"), indicator, plan)
    if indicator.baseline_date and indicator.baseline_value is not None:
        baseline = etree.SubElement(element, "baseline", year=str(indicator.baseline_date.year))
        baseline.set("iso-date", indicator.baseline_date.isoformat())
        if indicator.measure != Measure.QUALITATIVE:
            baseline.set("value", _number(indicator.baseline_value))
    for start, end, targets, actuals in _periods(indicator):
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", attrib={"iso-date": start.isoformat()})
        etree.SubElement(period, "period-end", attrib={"iso-date": end.isoformat()})
        for target in targets:
            _measured(period, "target", target.value, target.comment, indicator)
        for actual in actuals:
            _measured(period, "actual", actual.value, actual.comment or actual.text, indicator)
    return element


def _periods(
    indicator: Indicator,
) -> list[tuple[datetime.date, datetime.date, list[Target], list[IndicatorValue]]]:
    periods: dict[tuple[datetime.date, datetime.date], tuple[list[Target], list[IndicatorValue]]] = {}
    for target in indicator.targets.all():
        periods.setdefault((target.period_start, target.period_end), ([], []))[0].append(target)
    for value in indicator.values.all():
        # Only the totals: a value split by sex or place is one part of a whole.
        if not (value.sex or value.age_group or value.place):
            periods.setdefault((value.period_start, value.period_end), ([], []))[1].append(value)
    return [(start, end, *lists) for (start, end), lists in sorted(periods.items())]


def _measured(
    period: etree._Element, tag: str, value: Decimal | None, comment: str, indicator: Indicator
) -> None:
    element = etree.SubElement(period, tag)
    if value is not None and indicator.measure != Measure.QUALITATIVE:
        element.set("value", _number(value))
    if comment:
        _narrative(etree.SubElement(element, "comment"), comment)


def reporting_org_from_settings(plan: Plan, *, ref: str = "", name: str = "", type: str = "") -> ReportingOrg:
    """Return the reporting organisation: the arguments given, else the settings, else the plan."""
    from django.conf import settings

    return ReportingOrg(
        ref=ref or settings.JALON_IATI_ORGANISATION_REF,
        name=name or settings.JALON_IATI_ORGANISATION_NAME or plan.organisation,
        type=type or settings.JALON_IATI_ORGANISATION_TYPE,
    )


def iati_document(plan: Plan, *, level: Level, reporting_org: ReportingOrg) -> bytes:
    """Return the plan as valid IATI 2.03 XML, or raise IatiError naming every problem."""
    document = activities_xml(plan, level=level, reporting_org=reporting_org)
    found = problems(document)
    if found:
        raise IatiError("; ".join(_summary(found)))
    return document


def _summary(found: list[Any]) -> list[str]:
    """Return each distinct problem once, at its first line, with how often it recurs."""
    first: dict[str, Any] = {}
    count: dict[str, int] = defaultdict(int)
    for problem in found:
        first.setdefault(problem.message, problem)
        count[problem.message] += 1
    return [f"{problem}" + (f" (×{count[m]})" if count[m] > 1 else "") for m, problem in first.items()]
