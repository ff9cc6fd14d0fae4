"""The directory of partners, places and themes, the links between them and the items, and the map."""

from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.permissions import can_edit_directory, can_edit_plan
from jalon.directory import overview as directory_overview
from jalon.directory import services as directory_services
from jalon.directory.forms import CountryForm, PartnerForm, PlaceForm, ThemeForm
from jalon.directory.maps import country_counts, map_rows, plan_map_svg
from jalon.directory.models import ItemLink, Partner, Place, PlaceKind, Theme
from jalon.plans.models import Plan

from .base import ERRORS, ApiError, Pages, checked, form_data, item_of, plan_of, reader, writer
from .directory_schemas import (
    CountriesAdded,
    CountryIn,
    Decided,
    Detected,
    LinkDecision,
    LinkedItemOut,
    LinkOut,
    PartnerIn,
    PartnerOut,
    PlaceIn,
    PlaceOut,
    PlanMap,
    ThemeIn,
    ThemeOut,
)

router = Router()


@router.get(
    "/partners",
    response={200: list[PartnerOut], **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_partners",
)
@paginate(Pages, page_size=100)
def partners(request: HttpRequest, q: str = "", funder: bool | None = None) -> QuerySet[Partner]:
    reader(request)
    found = Partner.objects.select_related("country").order_by("name", "pk")
    if q:
        found = found.filter(Q(name__icontains=q) | Q(acronym__icontains=q))
    if funder is not None:
        found = found.filter(is_funder=funder)
    return found


@router.get(
    "/partners/{pk}",
    response={200: PartnerOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_partner",
)
def partner(request: HttpRequest, pk: int) -> Partner:
    reader(request)
    return get_object_or_404(Partner.objects.select_related("country"), pk=pk)


@router.post(
    "/partners",
    response={201: PartnerOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_partner_create",
)
def partner_create(request: HttpRequest, data: PartnerIn) -> Any:
    writer(request, can_edit_directory(request.user))
    return Reply(201, _partner_saved(data, None))


@router.put(
    "/partners/{pk}",
    response={200: PartnerOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_partner_replace",
)
def partner_replace(request: HttpRequest, pk: int, data: PartnerIn) -> Partner:
    writer(request, can_edit_directory(request.user))
    return _partner_saved(data, get_object_or_404(Partner, pk=pk))


def _partner_saved(data: PartnerIn, instance: Partner | None) -> Partner:
    fields: dict[str, Any] = data.dict()
    fields["country"] = _country_key(data.country)
    saved: Partner = _form_saved(PartnerForm, fields, instance)
    return saved


def _form_saved(form_class: type[ModelForm], fields: dict[str, Any], instance: Model | None) -> Any:
    # The page's form checks the fields, so the API accepts exactly what the page does.
    form = form_class(form_data(fields), instance=instance)
    checked(form)
    return form.save()


def _country_key(iso_code: str | None) -> int | None:
    if not iso_code:
        return None
    found = Place.objects.countries().filter(iso_code=iso_code.upper()).first()
    if found is None:
        raise ApiError(422, "invalid", _("No country has the code %(code)s.") % {"code": iso_code})
    return found.pk


@router.get(
    "/places",
    response={200: list[PlaceOut], **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_places",
)
@paginate(Pages, page_size=100)
def places(request: HttpRequest, kind: str = "", q: str = "") -> QuerySet[Place]:
    reader(request)
    found = Place.objects.order_by("kind", "name_fr", "pk")
    if kind:
        found = found.filter(kind=kind)
    if q:
        found = found.filter(Q(name_fr__icontains=q) | Q(name_en__icontains=q) | Q(iso_code__iexact=q))
    return found


@router.post(
    "/places/countries",
    response={200: CountriesAdded, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_countries_add",
)
def countries_add(request: HttpRequest) -> dict[str, int]:
    # Declared before /places/{pk}, which would otherwise take "countries" for a key.
    writer(request, can_edit_directory(request.user))
    return {"added": directory_services.countries_load()}


@router.get(
    "/places/{pk}",
    response={200: PlaceOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_place",
)
def place(request: HttpRequest, pk: int) -> Place:
    reader(request)
    return get_object_or_404(Place, pk=pk)


@router.post(
    "/places",
    response={201: PlaceOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_place_create",
)
def place_create(request: HttpRequest, data: PlaceIn) -> Any:
    writer(request, can_edit_directory(request.user))
    return Reply(201, _form_saved(PlaceForm, data.dict(), None))


@router.put(
    "/places/{pk}",
    response={200: PlaceOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_place_replace",
)
def place_replace(request: HttpRequest, pk: int, data: PlaceIn) -> Place:
    """Replace a place; a country keeps its kind, ISO code and parent, only its names change."""
    writer(request, can_edit_directory(request.user))
    found = get_object_or_404(Place, pk=pk)
    if found.kind == PlaceKind.COUNTRY:
        names = CountryIn(name_fr=data.name_fr, name_en=data.name_en, other_names=data.other_names)
        saved: Place = _form_saved(CountryForm, names.dict(), found)
        return saved
    saved = _form_saved(PlaceForm, data.dict(), found)
    return saved


@router.get(
    "/themes",
    response={200: list[ThemeOut], **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_themes",
)
def themes(request: HttpRequest) -> QuerySet[Theme]:
    reader(request)
    return Theme.objects.all()


@router.get(
    "/themes/{pk}",
    response={200: ThemeOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_theme",
)
def theme(request: HttpRequest, pk: int) -> Theme:
    reader(request)
    return get_object_or_404(Theme, pk=pk)


@router.post(
    "/themes",
    response={201: ThemeOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_theme_create",
)
def theme_create(request: HttpRequest, data: ThemeIn) -> Any:
    writer(request, can_edit_directory(request.user))
    return Reply(201, _form_saved(ThemeForm, data.dict(), None))


@router.put(
    "/themes/{pk}",
    response={200: ThemeOut, **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_theme_replace",
)
def theme_replace(request: HttpRequest, pk: int, data: ThemeIn) -> Theme:
    writer(request, can_edit_directory(request.user))
    saved: Theme = _form_saved(ThemeForm, data.dict(), get_object_or_404(Theme, pk=pk))
    return saved


@router.get(
    "/partners/{pk}/items",
    response={200: list[LinkedItemOut], **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_partner_items",
)
@paginate(Pages, page_size=100)
def partner_items(request: HttpRequest, pk: int) -> list[directory_overview.LinkedItem]:
    reader(request)
    return directory_overview.linked_items(get_object_or_404(Partner, pk=pk).item_links.all())


@router.get(
    "/places/{pk}/items",
    response={200: list[LinkedItemOut], **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_place_items",
)
@paginate(Pages, page_size=100)
def place_items(request: HttpRequest, pk: int) -> list[directory_overview.LinkedItem]:
    """The items linked to the place or to a place directly inside it, as on the place's page."""
    reader(request)
    return directory_overview.linked_items(ItemLink.objects.in_place(get_object_or_404(Place, pk=pk)))


@router.get(
    "/themes/{pk}/items",
    response={200: list[LinkedItemOut], **ERRORS},
    tags=["directory"],
    operation_id="jalon_api_world_theme_items",
)
@paginate(Pages, page_size=100)
def theme_items(request: HttpRequest, pk: int) -> list[directory_overview.LinkedItem]:
    reader(request)
    return directory_overview.linked_items(get_object_or_404(Theme, pk=pk).item_links.all())


@router.get(
    "/items/{pk}/links",
    response={200: list[LinkOut], **ERRORS},
    tags=["links"],
    operation_id="jalon_api_world_item_links",
)
def item_links(request: HttpRequest, pk: int, status: str = "") -> QuerySet[ItemLink]:
    reader(request)
    links = item_of(pk).directory_links.select_related("partner", "place", "theme").order_by("pk")
    return links.filter(status=status) if status else links


@router.post(
    "/plans/{slug}/links/detect",
    response={200: Detected, **ERRORS},
    tags=["links"],
    operation_id="jalon_api_world_links_detect",
)
def links_detect(request: HttpRequest, slug: str) -> dict[str, int]:
    plan = get_object_or_404(Plan, slug=slug)
    writer(request, can_edit_plan(request.user))
    return {"proposed": directory_services.links_propose(plan=plan)}


@router.patch(
    "/links/{pk}",
    response={200: LinkOut, **ERRORS},
    tags=["links"],
    operation_id="jalon_api_world_link_decide",
)
def link_decide(request: HttpRequest, pk: int, decision: LinkDecision) -> ItemLink:
    link = get_object_or_404(
        ItemLink.objects.select_related("item__plan", "partner", "place", "theme"), pk=pk
    )
    user = writer(request, can_edit_plan(request.user))
    return directory_services.link_decide(link=link, user=user, accept=decision.accept)


@router.post(
    "/plans/{slug}/links/decide-all",
    response={200: Decided, **ERRORS},
    tags=["links"],
    operation_id="jalon_api_world_links_decide_all",
)
def links_decide_all(request: HttpRequest, slug: str, decision: LinkDecision) -> dict[str, int]:
    plan = get_object_or_404(Plan, slug=slug)
    user = writer(request, can_edit_plan(request.user))
    return {"decided": directory_services.links_decide_all(plan=plan, user=user, accept=decision.accept)}


def _places(plan: Plan) -> list[dict[str, Any]]:
    counts = dict(
        ItemLink.objects.accepted()
        .of_plan(plan)
        .filter(place__isnull=False)
        .values_list("place")
        .annotate(count=Count("item", distinct=True))
        .order_by()
    )
    places = Place.objects.in_bulk(list(counts))
    rows = [
        {"id": pk, "kind": place.kind, "name": place.name(), "iso_code": place.iso_code, "count": counts[pk]}
        for pk, place in places.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["name"], row["id"]))


@router.get(
    "/plans/{slug}/map",
    response={200: PlanMap, **ERRORS},
    tags=["overview"],
    operation_id="jalon_api_overview_plan_map",
)
def plan_map(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = plan_of(slug)
    rows = map_rows(country_counts(plan))
    return {
        "plan": plan.slug,
        "countries": [{"code": row.code, "name": row.name, "count": row.count} for row in rows],
        "places": _places(plan),
    }


SVG = {
    "description": "The world map of the page, as SVG.",
    "content": {"image/svg+xml": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get(
    "/plans/{slug}/map.svg",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: SVG}},
    tags=["overview"],
    operation_id="jalon_api_overview_plan_map_image",
)
def plan_map_image(request: HttpRequest, slug: str) -> HttpResponse:
    reader(request)
    plan = plan_of(slug)
    counts = country_counts(plan)
    svg = plan_map_svg(counts, map_rows(counts))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-map.svg"'
    return response
