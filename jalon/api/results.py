"""Results, indicators with their targets and values, and budgets."""

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja import Status as Reply

from jalon.accounts.models import User
from jalon.directory.models import Partner
from jalon.plans.models import Plan
from jalon.results import services as results_services
from jalon.results.budget import Amounts, funder_budget, plan_budget, plan_budget_by_year
from jalon.results.forms import IndicatorForm
from jalon.results.indicators import indicator_row
from jalon.results.models import BudgetLine, Indicator, IndicatorValue, Result, Target
from jalon.tracking.permissions import can_edit_action

from .base import ERRORS, ApiError, checked, form_data, item_of, reader, writer
from .results_schemas import (
    BudgetLineIn,
    BudgetLineOut,
    IndicatorChange,
    IndicatorIn,
    IndicatorOut,
    PlanBudgetOut,
    PlanIndicatorOut,
    ResultIn,
    ResultOut,
    TargetIn,
    ValueIn,
    ValueOut,
)

router = Router()
# What an indicator's change may set back to empty (null).
CLEARABLE = frozenset({"baseline_value", "baseline_date", "responsible"})


CENTS = Decimal("0.01")


def _results(pk: int) -> QuerySet[Result]:
    indicators = (
        Indicator.objects.select_related("responsible")
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("period_start")),
            Prefetch("values", queryset=IndicatorValue.objects.order_by("period_start", "pk")),
        )
    )
    results = Result.objects.filter(item_id=pk).order_by("position", "pk")
    return results.prefetch_related(Prefetch("indicators", queryset=indicators))


@router.get(
    "/items/{pk}/results",
    response={200: list[ResultOut], **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_results",
)
def results(request: HttpRequest, pk: int) -> QuerySet[Result]:
    reader(request)
    return _results(item_of(pk).pk)


@router.post(
    "/items/{pk}/results",
    response={201: ResultOut, **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_result_add",
)
def result_add(request: HttpRequest, pk: int, data: ResultIn) -> Any:
    item = item_of(pk)
    writer(request, can_edit_action(request.user, item))
    result = results_services.result_add(item=item, **data.dict())
    return Reply(201, _results(item.pk).get(pk=result.pk))


def _indicator(pk: int) -> Indicator:
    indicators = Indicator.objects.select_related("result__item__plan", "responsible")
    return get_object_or_404(indicators, pk=pk)


@router.get(
    "/indicators/{pk}",
    response={200: IndicatorOut, **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_indicator",
)
def indicator(request: HttpRequest, pk: int) -> Indicator:
    reader(request)
    return _indicator(pk)


@router.patch(
    "/indicators/{pk}",
    response={200: IndicatorOut, **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_indicator_edit",
)
def indicator_edit(request: HttpRequest, pk: int, change: IndicatorChange) -> Indicator:
    indicator = _indicator(pk)
    writer(request, can_edit_action(request.user, indicator.result.item))
    # The page's form checks the whole indicator, so the fields left out keep their value.
    fields = {name: getattr(indicator, name) for name in IndicatorForm.base_fields}
    fields["responsible"] = indicator.responsible_id
    # A null clears what may be empty (baseline, person responsible) and keeps the rest.
    fields |= {
        name: value
        for name, value in change.dict(exclude_unset=True).items()
        if value is not None or name in CLEARABLE
    }
    if "responsible" in change.model_fields_set:
        fields["responsible"] = _person_key(change.responsible)
    form = IndicatorForm(form_data(fields))
    checked(form)
    results_services.indicator_edit(indicator=indicator, changes=form.cleaned_data)
    return _indicator(pk)


def _person_key(username: str | None) -> int | None:
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise ApiError(422, "unknown_people", _("Nobody is called %(names)s.") % {"names": username})
    return found.pk


@router.get(
    "/plans/{slug}/indicators",
    response={200: list[PlanIndicatorOut], **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_plan_indicators",
)
def plan_indicators(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Every indicator of the plan in document order, where it stands, as on the plan's page."""
    reader(request)
    plan = get_object_or_404(Plan, slug=slug)
    indicators = (
        Indicator.objects.filter(result__item__plan=plan)
        .with_schedule()
        .select_related("result__item")
        .prefetch_related("targets", "values")
        .order_by("result__item__path", "result__position", "result__pk", "position", "pk")
    )
    return [_indicator_line(indicator) for indicator in indicators]


def _indicator_line(indicator: Indicator) -> dict[str, Any]:
    row = indicator_row(indicator, chart=False)
    fields = ("id", "title", "title_en", "measure", "unit")
    return {name: getattr(indicator, name) for name in fields} | {
        "item": indicator.result.item_id,
        "item_code": indicator.result.item.code,
        "result": indicator.result_id,
        "status": row.status,
        "late": row.late,
        "latest": row.latest,
        "target": row.latest_target,
    }


@router.post(
    "/results/{pk}/indicators",
    response={201: IndicatorOut, **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_indicator_add",
)
def indicator_add(request: HttpRequest, pk: int, data: IndicatorIn) -> Any:
    result = get_object_or_404(Result.objects.select_related("item__plan"), pk=pk)
    writer(request, can_edit_action(request.user, result.item))
    return Reply(201, results_services.indicator_add(result=result, **data.dict()))


@router.put(
    "/indicators/{pk}/targets",
    response={200: IndicatorOut, **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_target_set",
)
def target_set(request: HttpRequest, pk: int, data: TargetIn) -> Indicator:
    indicator = _indicator(pk)
    writer(request, can_edit_action(request.user, indicator.result.item))
    results_services.target_set(indicator=indicator, **data.dict())
    return _indicator(pk)


@router.post(
    "/indicators/{pk}/values",
    response={201: ValueOut, **ERRORS},
    tags=["results"],
    operation_id="jalon_api_world_value_record",
)
def value_record(request: HttpRequest, pk: int, data: ValueIn) -> Any:
    indicator = _indicator(pk)
    user = writer(request, can_edit_action(request.user, indicator.result.item))
    return Reply(201, results_services.value_record(indicator=indicator, user=user, **data.dict()))


@router.get(
    "/items/{pk}/budget",
    response={200: list[BudgetLineOut], **ERRORS},
    tags=["budget"],
    operation_id="jalon_api_world_budget",
)
def budget(request: HttpRequest, pk: int) -> QuerySet[BudgetLine]:
    reader(request)
    return item_of(pk).budget_lines.order_by("year", "currency", "pk")


@router.put(
    "/items/{pk}/budget",
    response={200: BudgetLineOut, **ERRORS},
    tags=["budget"],
    operation_id="jalon_api_world_budget_line_set",
)
def budget_line_set(request: HttpRequest, pk: int, data: BudgetLineIn) -> BudgetLine:
    item = item_of(pk)
    writer(request, can_edit_action(request.user, item))
    funder = get_object_or_404(Partner, pk=data.funder) if data.funder is not None else None
    fields = data.dict(exclude={"funder"})
    return results_services.budget_line_set(item=item, funder=funder, **fields)


@router.get(
    "/plans/{slug}/budget",
    response={200: PlanBudgetOut, **ERRORS},
    tags=["budget"],
    operation_id="jalon_api_world_plan_budget_figures",
)
def plan_budget_figures(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The figures of the plan's budget page, each currency on its own line, and by year."""
    reader(request)
    plan = get_object_or_404(Plan, slug=slug)
    by_path, totals = plan_budget(plan, depth=1)
    items = [
        {
            "id": item.pk,
            "code": item.code,
            "title": item.title,
            "depth": item.depth,
            "amounts": [_amounts(amounts) for amounts in by_path[item.path]],
        }
        for item in plan.items.filter(depth__lte=1).in_document_order()
        if item.path in by_path
    ]
    by_funder = [
        _amounts(line)
        | {"funder": line.funder.pk if line.funder else None, "funder_name": str(line.funder or "")}
        for line in funder_budget(plan)
    ]
    by_year = [_amounts(line) | {"year": line.year} for line in plan_budget_by_year(plan)]
    return {
        "totals": [_amounts(line) for line in totals],
        "by_year": by_year,
        "by_funder": by_funder,
        "items": items,
    }


def _amounts(amounts: Amounts) -> dict[str, Any]:
    # Sums come back from SQLite without their two decimals; every amount is sent with them.
    return {
        "currency": amounts.currency,
        "planned": amounts.planned.quantize(CENTS),
        "spent": amounts.spent.quantize(CENTS),
        "percent_spent": amounts.percent_spent,
    }
