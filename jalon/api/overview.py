"""The overview pages in the API: a plan's dashboard, timeline, filtered actions and map,
and the actions of the token's owner. Members and above read them, as on the web, and
every figure comes from the same reads as the pages (tracking/overview.py,
directory/map_views.py), with a fixed number of queries whatever the plan's size."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from jalon.accounts.models import User
from jalon.directory.map_views import country_counts, map_rows, plan_map_svg
from jalon.directory.models import ItemLink, Place
from jalon.plans.models import Item, Plan
from jalon.tracking import overview
from jalon.tracking.models import Tracking, Update
from jalon.tracking.overview_views import ActionFilterForm
from jalon.tracking.rollups import Rollup, plan_rollups

from . import overview_schemas as out
from . import schemas
from .base import ERRORS, Pages, checked, progress_out, reader

router = Router(tags=["overview"])

# The dashboard lists the first 50 of each kind of action, as the page does.
LISTED = 50


def _plan(slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


# Dashboard


def _action_row(item: Item) -> dict[str, Any]:
    tracking = item.tracking_or_none
    return {
        "id": item.pk,
        "plan": item.plan.slug,
        "code": item.code,
        "title": item.title,
        "status": tracking.status if tracking else schemas.UNTRACKED["status"],
        "progress": tracking.progress if tracking else 0,
        "due_date": tracking.due_date if tracking else None,
        "leads": [lead.username for lead in tracking.leads.all()] if tracking else [],
    }


def _action_list(items: QuerySet[Item]) -> dict[str, Any]:
    return {"count": items.count(), "items": [_action_row(item) for item in items[:LISTED]]}


def _recent_update(update: Update) -> dict[str, Any]:
    return {
        "id": update.pk,
        "item": update.item_id,  # type: ignore[attr-defined]
        "code": update.item.code,
        "title": update.item.title,
        "date": update.date,
        "author": update.author.username if update.author else None,
        "text": update.text,
    }


def _axes(plan: Plan, by_path: dict[str, Rollup]) -> list[dict[str, Any]]:
    return [
        {
            "id": axis.pk,
            "code": axis.code,
            "title": axis.title,
            "progress": progress_out(by_path.get(axis.path, Rollup())),
        }
        for axis in plan.items.roots().in_document_order()  # type: ignore[attr-defined]
    ]


@router.get("/plans/{slug}/dashboard", response={200: out.Dashboard, **ERRORS})
def dashboard(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = _plan(slug)
    total, by_path = plan_rollups(plan)
    actions = overview.actions(plan)
    return {
        "plan": plan.slug,
        "title": plan.title,
        "progress": progress_out(total),
        "axes": _axes(plan, by_path),
        "late": _action_list(overview.late(actions).order_by("tracking__due_date", "path")),
        "without_lead": _action_list(overview.without_lead(actions)),
        "stale": _action_list(overview.stale(actions)),
        "recent_updates": [_recent_update(update) for update in overview.recent_updates(plan)],
    }


# Timeline


def _entry(entry: overview.Entry) -> dict[str, Any]:
    milestone = entry.milestone
    return {
        "date": entry.date,
        "item": entry.item.pk,
        "code": entry.item.code,
        "title": entry.item.title,
        "milestone": {"id": milestone.pk, "title": milestone.title, "done_on": milestone.done_on}
        if milestone
        else None,
    }


@router.get("/plans/{slug}/timeline", response={200: out.Timeline, **ERRORS})
def timeline(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = _plan(slug)
    quarters, undated = overview.timeline(plan)
    return {
        "plan": plan.slug,
        "quarters": [
            {
                "year": quarter.year,
                "quarter": quarter.number,
                "label": quarter.label,
                "entries": [_entry(entry) for entry in quarter.entries],
            }
            for quarter in quarters
        ],
        "undated": [_entry(entry) for entry in undated],
    }


# The actions list, with the page's filters


class ActionFilters(Schema):
    q: str = ""
    axis: int | None = None
    status: str = ""
    lead: str = ""
    late: bool = False


def _form_data(filters: ActionFilters) -> dict[str, Any]:
    # The page's form takes a lead by key; the API, like GET /plans/{slug}/items, by username.
    data = filters.dict() | {"lead": _lead_key(filters.lead) if filters.lead else None}
    return {key: value for key, value in data.items() if value not in (None, "", False)}


def _lead_key(username: str) -> int:
    found = User.objects.filter(username=username).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError({"lead": [_("Nobody is called %(names)s.") % {"names": username}]})
    return found


@router.get("/plans/{slug}/actions", response={200: list[schemas.ItemOut], **ERRORS})
@paginate(Pages, page_size=100)
def actions(request: HttpRequest, slug: str, filters: Query[ActionFilters]) -> QuerySet[Item]:
    reader(request)
    plan = _plan(slug)
    form = ActionFilterForm(_form_data(filters), plan=plan)
    checked(form)
    return form.filter(overview.actions(plan).prefetch_related("tracking__team", "children"))


# My actions


def _my_action(tracking: Tracking) -> dict[str, Any]:
    item = tracking.item
    return {
        "id": item.pk,
        "plan": item.plan.slug,
        "plan_title": item.plan.title,
        "code": item.code,
        "title": item.title,
        "status": tracking.status,
        "progress": tracking.progress,
        "due_date": tracking.due_date,
        "late": bool(tracking.is_late),  # type: ignore[attr-defined]
    }


@router.get("/me/actions", response={200: list[out.MyAction], **ERRORS})
def my_actions(request: HttpRequest) -> list[dict[str, Any]]:
    user = reader(request)
    return [_my_action(tracking) for tracking in overview.actions_of_user(user)]


# The map


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


@router.get("/plans/{slug}/map", response={200: out.PlanMap, **ERRORS})
def plan_map(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = _plan(slug)
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


@router.get("/plans/{slug}/map.svg", response={200: None, **ERRORS}, openapi_extra={"responses": {200: SVG}})
def plan_map_image(request: HttpRequest, slug: str) -> HttpResponse:
    reader(request)
    plan = _plan(slug)
    counts = country_counts(plan)
    svg = plan_map_svg(counts, map_rows(counts))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-map.svg"'
    return response
