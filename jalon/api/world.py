"""The plan's world in the API: the directory, the links from items to it, results and
indicators, and budgets. Writes go through the same forms and services as the pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.permissions import can_edit_action, can_edit_directory, can_edit_plan
from jalon.directory import services as directory_services
from jalon.directory.forms import PartnerForm
from jalon.directory.models import ItemLink, Partner, Place, Theme
from jalon.plans.models import Plan
from jalon.results import services as results_services
from jalon.results.models import BudgetLine, Indicator, IndicatorValue, Result, Target

from . import world_schemas as schemas
from .base import ERRORS, ApiError, Pages, item_of, reader, writer

router = Router()


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
    # The page's form checks the fields, so the API accepts exactly what the page does.
    fields: dict[str, Any] = data.dict()
    fields["other_names"] = "\n".join(data.other_names)
    fields["country"] = _country_key(data.country)
    form = PartnerForm(
        {key: value for key, value in fields.items() if value not in (None, False)}, instance=instance
    )
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())  # type: ignore[arg-type]
    saved: Partner = form.save()
    return saved


def _country_key(iso_code: str | None) -> int | None:
    if not iso_code:
        return None
    found = Place.objects.countries().filter(iso_code=iso_code.upper()).first()
    if found is None:
        raise ApiError(422, "invalid", f"No country has the code {iso_code}.")
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


@router.get("/themes", response={200: list[schemas.ThemeOut], **ERRORS}, tags=["directory"])
def themes(request: HttpRequest) -> QuerySet[Theme]:
    reader(request)
    return Theme.objects.all()


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


# Results and indicators


def _results(pk: int) -> QuerySet[Result]:
    indicators = Indicator.objects.order_by("position", "pk").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_start")),
        Prefetch("values", queryset=IndicatorValue.objects.order_by("period_start", "pk")),
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
    return get_object_or_404(Indicator.objects.select_related("result__item__plan"), pk=pk)


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
