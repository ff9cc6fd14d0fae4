"""The plan's world in the API: the directory, the links from items to it, results and
indicators, and budgets. Writes go through the same forms and services as the pages."""

from decimal import Decimal
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_action, can_edit_directory, can_edit_plan
from jalon.directory import overview as directory_overview
from jalon.directory import services as directory_services
from jalon.directory.forms import CountryForm, PartnerForm, PlaceForm, ThemeForm
from jalon.directory.models import ItemLink, Partner, Place, PlaceKind, Theme
from jalon.plans.models import Plan
from jalon.results import services as results_services
from jalon.results.budget import Amounts, funder_budget, plan_budget, plan_budget_by_year
from jalon.results.forms import IndicatorForm
from jalon.results.models import BudgetLine, Indicator, IndicatorValue, Result, Target
from jalon.results.views import indicator_row

from . import world_schemas as schemas
from .base import ERRORS, ApiError, Pages, checked, item_of, reader, writer

router = Router()
CENTS = Decimal("0.01")
CLEARABLE = frozenset({"baseline_value", "baseline_date", "responsible"})


# The directory


@router.get("/partners", response={200: list[schemas.PartnerOut], **ERRORS}, tags=["directory"])
@paginate(Pages, page_size=100)
def partners(request: HttpRequest, q: str = "", funder: bool | None = None) -> QuerySet[Partner]:
    reader(request)
    found = Partner.objects.select_related("country").order_by("name", "pk")
    if q:
        found = found.filter(Q(name__icontains=q) | Q(acronym__icontains=q))
    if funder is not None:
        found = found.filter(is_funder=funder)
    return found


@router.get("/partners/{pk}", response={200: schemas.PartnerOut, **ERRORS}, tags=["directory"])
def partner(request: HttpRequest, pk: int) -> Partner:
    reader(request)
    return get_object_or_404(Partner.objects.select_related("country"), pk=pk)


@router.post("/partners", response={201: schemas.PartnerOut, **ERRORS}, tags=["directory"])
def partner_create(request: HttpRequest, data: schemas.PartnerIn) -> Any:
    writer(request, can_edit_directory(request.user))
    return Reply(201, _partner_saved(data, None))


@router.put("/partners/{pk}", response={200: schemas.PartnerOut, **ERRORS}, tags=["directory"])
def partner_replace(request: HttpRequest, pk: int, data: schemas.PartnerIn) -> Partner:
    writer(request, can_edit_directory(request.user))
    return _partner_saved(data, get_object_or_404(Partner, pk=pk))


def _partner_saved(data: schemas.PartnerIn, instance: Partner | None) -> Partner:
    fields: dict[str, Any] = data.dict()
    fields["country"] = _country_key(data.country)
    saved: Partner = _form_saved(PartnerForm, fields, instance)
    return saved


def _form_saved(form_class: type[ModelForm], fields: dict[str, Any], instance: Model | None) -> Any:
    # The page's form checks the fields, so the API accepts exactly what the page does.
    form = form_class(_form_data(fields), instance=instance)
    checked(form)
    return form.save()


def _form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Return the fields as a page's form posts them: lists typed one per line, and no key
    at all for an unticked box or an empty choice (a zero is a value, so not by truth)."""
    return {
        key: "\n".join(value) if isinstance(value, list) else value
        for key, value in fields.items()
        if value is not None and value is not False
    }


def _country_key(iso_code: str | None) -> int | None:
    if not iso_code:
        return None
    found = Place.objects.countries().filter(iso_code=iso_code.upper()).first()
    if found is None:
        raise ApiError(422, "invalid", _("No country has the code %(code)s.") % {"code": iso_code})
    return found.pk


@router.get("/places", response={200: list[schemas.PlaceOut], **ERRORS}, tags=["directory"])
@paginate(Pages, page_size=100)
def places(request: HttpRequest, kind: str = "", q: str = "") -> QuerySet[Place]:
    reader(request)
    found = Place.objects.order_by("kind", "name_fr", "pk")
    if kind:
        found = found.filter(kind=kind)
    if q:
        found = found.filter(Q(name_fr__icontains=q) | Q(name_en__icontains=q) | Q(iso_code__iexact=q))
    return found


@router.post("/places/countries", response={200: schemas.CountriesAdded, **ERRORS}, tags=["directory"])
def countries_add(request: HttpRequest) -> dict[str, int]:
    # Declared before /places/{pk}, which would otherwise take "countries" for a key.
    writer(request, can_edit_directory(request.user))
    return {"added": directory_services.countries_load()}


@router.get("/places/{pk}", response={200: schemas.PlaceOut, **ERRORS}, tags=["directory"])
def place(request: HttpRequest, pk: int) -> Place:
    reader(request)
    return get_object_or_404(Place, pk=pk)


@router.post("/places", response={201: schemas.PlaceOut, **ERRORS}, tags=["directory"])
def place_create(request: HttpRequest, data: schemas.PlaceIn) -> Any:
    writer(request, can_edit_directory(request.user))
    return Reply(201, _form_saved(PlaceForm, data.dict(), None))


@router.put("/places/{pk}", response={200: schemas.PlaceOut, **ERRORS}, tags=["directory"])
def place_replace(request: HttpRequest, pk: int, data: schemas.PlaceIn) -> Place:
    """Replace a place; a country keeps its kind, ISO code and parent, only its names change."""
    writer(request, can_edit_directory(request.user))
    found = get_object_or_404(Place, pk=pk)
    if found.kind == PlaceKind.COUNTRY:
        names = schemas.CountryIn(name_fr=data.name_fr, name_en=data.name_en, other_names=data.other_names)
        saved: Place = _form_saved(CountryForm, names.dict(), found)
        return saved
    saved = _form_saved(PlaceForm, data.dict(), found)
    return saved


@router.get("/themes", response={200: list[schemas.ThemeOut], **ERRORS}, tags=["directory"])
def themes(request: HttpRequest) -> QuerySet[Theme]:
    reader(request)
    return Theme.objects.all()


@router.get("/themes/{pk}", response={200: schemas.ThemeOut, **ERRORS}, tags=["directory"])
def theme(request: HttpRequest, pk: int) -> Theme:
    reader(request)
    return get_object_or_404(Theme, pk=pk)


@router.post("/themes", response={201: schemas.ThemeOut, **ERRORS}, tags=["directory"])
def theme_create(request: HttpRequest, data: schemas.ThemeIn) -> Any:
    writer(request, can_edit_directory(request.user))
    return Reply(201, _form_saved(ThemeForm, data.dict(), None))


@router.put("/themes/{pk}", response={200: schemas.ThemeOut, **ERRORS}, tags=["directory"])
def theme_replace(request: HttpRequest, pk: int, data: schemas.ThemeIn) -> Theme:
    writer(request, can_edit_directory(request.user))
    saved: Theme = _form_saved(ThemeForm, data.dict(), get_object_or_404(Theme, pk=pk))
    return saved


# The items of each directory entry, as on its page


@router.get("/partners/{pk}/items", response={200: list[schemas.LinkedItemOut], **ERRORS}, tags=["directory"])
@paginate(Pages, page_size=100)
def partner_items(request: HttpRequest, pk: int) -> list[directory_overview.LinkedItem]:
    reader(request)
    return directory_overview.linked_items(get_object_or_404(Partner, pk=pk).item_links.all())


@router.get("/places/{pk}/items", response={200: list[schemas.LinkedItemOut], **ERRORS}, tags=["directory"])
@paginate(Pages, page_size=100)
def place_items(request: HttpRequest, pk: int) -> list[directory_overview.LinkedItem]:
    """The items linked to the place or to a place directly inside it, as on the place's page."""
    reader(request)
    return directory_overview.linked_items(ItemLink.objects.in_place(get_object_or_404(Place, pk=pk)))


@router.get("/themes/{pk}/items", response={200: list[schemas.LinkedItemOut], **ERRORS}, tags=["directory"])
@paginate(Pages, page_size=100)
def theme_items(request: HttpRequest, pk: int) -> list[directory_overview.LinkedItem]:
    reader(request)
    return directory_overview.linked_items(get_object_or_404(Theme, pk=pk).item_links.all())


# Links from items to the directory


@router.get("/items/{pk}/links", response={200: list[schemas.LinkOut], **ERRORS}, tags=["links"])
def item_links(request: HttpRequest, pk: int, status: str = "") -> QuerySet[ItemLink]:
    reader(request)
    links = item_of(pk).directory_links.select_related("partner", "place", "theme").order_by("pk")
    return links.filter(status=status) if status else links


@router.post("/plans/{slug}/links/detect", response={200: schemas.Detected, **ERRORS}, tags=["links"])
def links_detect(request: HttpRequest, slug: str) -> dict[str, int]:
    plan = get_object_or_404(Plan, slug=slug)
    writer(request, can_edit_plan(request.user, plan))
    return {"proposed": directory_services.links_propose(plan=plan)}


@router.patch("/links/{pk}", response={200: schemas.LinkOut, **ERRORS}, tags=["links"])
def link_decide(request: HttpRequest, pk: int, decision: schemas.LinkDecision) -> ItemLink:
    link = get_object_or_404(
        ItemLink.objects.select_related("item__plan", "partner", "place", "theme"), pk=pk
    )
    user = writer(request, can_edit_plan(request.user, link.item.plan))
    return directory_services.link_decide(link=link, user=user, accept=decision.accept)


@router.post("/plans/{slug}/links/decide-all", response={200: schemas.Decided, **ERRORS}, tags=["links"])
def links_decide_all(request: HttpRequest, slug: str, decision: schemas.LinkDecision) -> dict[str, int]:
    plan = get_object_or_404(Plan, slug=slug)
    user = writer(request, can_edit_plan(request.user, plan))
    return {"decided": directory_services.links_decide_all(plan=plan, user=user, accept=decision.accept)}


# Results and indicators


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


@router.get("/items/{pk}/results", response={200: list[schemas.ResultOut], **ERRORS}, tags=["results"])
def results(request: HttpRequest, pk: int) -> QuerySet[Result]:
    reader(request)
    return _results(item_of(pk).pk)


@router.post("/items/{pk}/results", response={201: schemas.ResultOut, **ERRORS}, tags=["results"])
def result_add(request: HttpRequest, pk: int, data: schemas.ResultIn) -> Any:
    item = item_of(pk)
    writer(request, can_edit_action(request.user, item))
    result = results_services.result_add(item=item, **data.dict())
    return Reply(201, _results(item.pk).get(pk=result.pk))


def _indicator(pk: int) -> Indicator:
    indicators = Indicator.objects.select_related("result__item__plan", "responsible")
    return get_object_or_404(indicators, pk=pk)


@router.get("/indicators/{pk}", response={200: schemas.IndicatorOut, **ERRORS}, tags=["results"])
def indicator(request: HttpRequest, pk: int) -> Indicator:
    reader(request)
    return _indicator(pk)


@router.patch("/indicators/{pk}", response={200: schemas.IndicatorOut, **ERRORS}, tags=["results"])
def indicator_edit(request: HttpRequest, pk: int, change: schemas.IndicatorChange) -> Indicator:
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
    form = IndicatorForm(_form_data(fields))
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
    "/plans/{slug}/indicators", response={200: list[schemas.PlanIndicatorOut], **ERRORS}, tags=["results"]
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


@router.post("/results/{pk}/indicators", response={201: schemas.IndicatorOut, **ERRORS}, tags=["results"])
def indicator_add(request: HttpRequest, pk: int, data: schemas.IndicatorIn) -> Any:
    result = get_object_or_404(Result.objects.select_related("item__plan"), pk=pk)
    writer(request, can_edit_action(request.user, result.item))
    return Reply(201, results_services.indicator_add(result=result, **data.dict()))


@router.put("/indicators/{pk}/targets", response={200: schemas.IndicatorOut, **ERRORS}, tags=["results"])
def target_set(request: HttpRequest, pk: int, data: schemas.TargetIn) -> Indicator:
    indicator = _indicator(pk)
    writer(request, can_edit_action(request.user, indicator.result.item))
    results_services.target_set(indicator=indicator, **data.dict())
    return _indicator(pk)


@router.post("/indicators/{pk}/values", response={201: schemas.ValueOut, **ERRORS}, tags=["results"])
def value_record(request: HttpRequest, pk: int, data: schemas.ValueIn) -> Any:
    indicator = _indicator(pk)
    user = writer(request, can_edit_action(request.user, indicator.result.item))
    return Reply(201, results_services.value_record(indicator=indicator, user=user, **data.dict()))


# Budgets


@router.get("/items/{pk}/budget", response={200: list[schemas.BudgetLineOut], **ERRORS}, tags=["budget"])
def budget(request: HttpRequest, pk: int) -> QuerySet[BudgetLine]:
    reader(request)
    return item_of(pk).budget_lines.order_by("year", "currency", "pk")


@router.put("/items/{pk}/budget", response={200: schemas.BudgetLineOut, **ERRORS}, tags=["budget"])
def budget_line_set(request: HttpRequest, pk: int, data: schemas.BudgetLineIn) -> BudgetLine:
    item = item_of(pk)
    writer(request, can_edit_action(request.user, item))
    funder = get_object_or_404(Partner, pk=data.funder) if data.funder is not None else None
    fields = data.dict(exclude={"funder"})
    return results_services.budget_line_set(item=item, funder=funder, **fields)


@router.get("/plans/{slug}/budget", response={200: schemas.PlanBudgetOut, **ERRORS}, tags=["budget"])
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
