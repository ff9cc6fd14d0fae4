"""Results, indicators and budgets: the item page's section, its forms and two plan pages.

Each form is its own page (GET shows it, POST checks it and redirects back to the item:
Post/Redirect/Get). Everyone signed in reads; coordinators and the item's leads write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item, Plan
from jalon.tracking.permissions import can_edit_action

from . import services
from .budget import funder_budget, item_budget, plan_budget
from .forms import BudgetLineForm, IndicatorForm, ResultForm, TargetForm, ValueForm
from .indicators import indicator_row, indicators_prefetch
from .models import Indicator, Result


def results_context(request: HttpRequest, item: Item) -> dict[str, Any]:
    """Return what the item page needs for its results, indicators and budget section."""
    if not can_read_internal(request.user):
        return {}
    results = list(Result.objects.filter(item=item).prefetch_related(indicators_prefetch()))
    for result in results:
        result.rows = [indicator_row(indicator) for indicator in result.indicators.all()]  # type: ignore[attr-defined]
    budget_by_year, budget_totals = item_budget(item)
    return {
        "results": results,
        "budget_by_year": budget_by_year,
        "budget_totals": budget_totals,
        "can_edit_results": can_edit_action(request.user, item),
    }


@require_safe
def plan_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    if not can_read_internal(request.user):
        raise PermissionDenied
    indicators = (
        Indicator.objects.filter(result__item__plan=plan)
        .with_schedule()
        .select_related("result__item", "responsible")
        .prefetch_related("targets", "values")
        .order_by("result__item__path", "result__position", "result__pk", "position", "pk")
    )
    rows = [indicator_row(indicator, chart=False) for indicator in indicators]
    return render(request, "results/plan_indicators.html", {"plan": plan, "rows": rows})


@require_safe
def plan_budget_page(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    if not can_read_internal(request.user):
        raise PermissionDenied
    by_path, totals = plan_budget(plan, depth=1)
    items = plan.items.filter(depth__lte=1).in_document_order()
    rows = [(item, by_path.get(item.path, [])) for item in items]
    context = {
        "plan": plan,
        "rows": [row for row in rows if row[1]],
        "totals": totals,
        "by_funder": funder_budget(plan),
    }
    return render(request, "results/plan_budget.html", context)


def _editable_item(request: HttpRequest, pk: int) -> Item:
    item = get_object_or_404(Item.objects.select_related("plan"), pk=pk)
    if not can_edit_action(request.user, item):
        raise PermissionDenied
    return item


def _back(item: Item) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{item.get_absolute_url()}#resultats")


def _form_view(
    request: HttpRequest,
    item: Item,
    form: Any,
    save: Callable[[dict[str, Any]], object],
    *,
    title: str,
    **context: Any,
) -> HttpResponse:
    """Show the form, or save it and go back to the item; service errors go beside the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return _back(item)
    status = 400 if request.method == "POST" else 200
    page = {"item": item, "plan": item.plan, "form": form, "title": title, **context}
    return render(request, "results/form.html", page, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def result_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable_item(request, pk)
    form = ResultForm(request.POST or None)

    def save(data: dict[str, Any]) -> object:
        return services.result_add(item=item, **data)

    return _form_view(request, item, form, save, title=_("Add a result"))


def _result_for(request: HttpRequest, pk: int) -> Result:
    result = get_object_or_404(Result.objects.select_related("item__plan"), pk=pk)
    if not can_edit_action(request.user, result.item):
        raise PermissionDenied
    return result


def _indicator_for(request: HttpRequest, pk: int) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related("result__item__plan"), pk=pk)
    if not can_edit_action(request.user, indicator.result.item):
        raise PermissionDenied
    return indicator


@require_http_methods(["GET", "HEAD", "POST"])
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result_for(request, pk)
    form = IndicatorForm(request.POST or None)

    def save(data: dict[str, Any]) -> object:
        return services.indicator_add(result=result, **data)

    return _form_view(request, result.item, form, save, title=_("Add an indicator"), result=result)


@require_http_methods(["GET", "HEAD", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for(request, pk)
    form = IndicatorForm(request.POST) if request.method == "POST" else IndicatorForm.for_indicator(indicator)

    def save(data: dict[str, Any]) -> object:
        return services.indicator_edit(indicator=indicator, changes=data)

    item = indicator.result.item
    return _form_view(request, item, form, save, title=_("Edit the indicator"), indicator=indicator)


@require_http_methods(["GET", "HEAD", "POST"])
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for(request, pk)
    form = TargetForm(request.POST or None, indicator=indicator)

    def save(data: dict[str, Any]) -> object:
        return services.target_set(indicator=indicator, **data)

    item = indicator.result.item
    targets = list(indicator.targets.all())
    return _form_view(
        request, item, form, save, title=_("Set a target"), indicator=indicator, targets=targets
    )


def _next_period(indicator: Indicator) -> dict[str, Any]:
    period = Indicator.objects.with_schedule().get(pk=indicator.pk).next_period()
    return {"period_start": period[0], "period_end": period[1]} if period else {}


@require_http_methods(["GET", "HEAD", "POST"])
def value_record(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for(request, pk)
    form = ValueForm(request.POST or None, indicator=indicator, initial=_next_period(indicator))

    def save(data: dict[str, Any]) -> object:
        return services.value_record(indicator=indicator, user=request.user, **data)  # type: ignore[arg-type]

    item = indicator.result.item
    return _form_view(request, item, form, save, title=_("Record a value"), indicator=indicator)


@require_http_methods(["GET", "HEAD", "POST"])
def budget_line_set(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable_item(request, pk)
    form = BudgetLineForm(request.POST or None)

    def save(data: dict[str, Any]) -> object:
        return services.budget_line_set(item=item, **data)

    return _form_view(request, item, form, save, title=_("Set a budget line"))
