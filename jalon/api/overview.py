"""A plan's dashboard, timeline and filtered actions, my actions, and the search."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from jalon.accounts.models import User
from jalon.overview.forms import ActionFilterForm
from jalon.overview.timeline import Entry, plan_timeline
from jalon.plans.models import Item, Plan
from jalon.tracking import reads
from jalon.tracking.models import Tracking, Update
from jalon.tracking.rollups import Rollup, plan_rollups

from .base import ERRORS, Pages, checked, items_of_any_plan, plan_of, progress_out, reader
from .overview_schemas import Dashboard, MyAction, Timeline
from .plans_schemas import UNTRACKED, ItemOut

router = Router(tags=["overview"])


# The dashboard lists the first 50 of each kind of action, as the page does.
LISTED = 50


def _action_row(item: Item) -> dict[str, Any]:
    tracking = item.tracking_or_none
    return {
        "id": item.pk,
        "plan": item.plan.slug,
        "code": item.code,
        "title": item.title,
        "status": tracking.status if tracking else UNTRACKED["status"],
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


@router.get("/plans/{slug}/dashboard", response={200: Dashboard, **ERRORS})
def dashboard(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = plan_of(slug)
    total, by_path = plan_rollups(plan)
    actions = reads.actions(plan)
    return {
        "plan": plan.slug,
        "title": plan.title,
        "progress": progress_out(total),
        "axes": _axes(plan, by_path),
        "late": _action_list(reads.late(actions).order_by("tracking__due_date", "path")),
        "without_lead": _action_list(reads.without_lead(actions)),
        "stale": _action_list(reads.stale(actions)),
        "recent_updates": [_recent_update(update) for update in reads.recent_updates(plan)],
    }


def _entry(entry: Entry) -> dict[str, Any]:
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


@router.get("/plans/{slug}/timeline", response={200: Timeline, **ERRORS})
def timeline(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = plan_of(slug)
    quarters, undated = plan_timeline(plan)
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


@router.get("/plans/{slug}/actions", response={200: list[ItemOut], **ERRORS})
@paginate(Pages, page_size=100)
def actions(request: HttpRequest, slug: str, filters: Query[ActionFilters]) -> QuerySet[Item]:
    reader(request)
    plan = plan_of(slug)
    form = ActionFilterForm(_form_data(filters), plan=plan)
    checked(form)
    return form.filter(reads.actions(plan).prefetch_related("tracking__team", "children"))


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


@router.get("/me/actions", response={200: list[MyAction], **ERRORS})
def my_actions(request: HttpRequest) -> list[dict[str, Any]]:
    user = reader(request)
    return [_my_action(tracking) for tracking in reads.actions_of_user(user)]


@router.get(
    "/search", response={200: list[ItemOut], **ERRORS}, tags=["items"], operation_id="jalon_api_plans_search"
)
@paginate(Pages, page_size=50)
def search(request: HttpRequest, q: str) -> QuerySet[Item]:
    reader(request)
    if not q.strip():
        return Item.objects.none()
    return items_of_any_plan().search(q).order_by("plan__title", "plan_id", "path")  # type: ignore[attr-defined,no-any-return]
