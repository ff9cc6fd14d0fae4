"""Plans, items, tracking, the journal and milestones: what the plan pages read and write."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.forms import ProfileForm
from jalon.accounts.models import User
from jalon.accounts.permissions import can_edit_action, can_edit_plan, can_post_update
from jalon.plans import services as plan_services
from jalon.plans.models import Item, Plan
from jalon.tracking import overview
from jalon.tracking import services as tracking_services
from jalon.tracking.models import Attachment, Milestone, Status, Update
from jalon.tracking.rollups import Rollup, plan_rollups

from . import schemas
from .base import ERRORS, ApiError, Pages, checked, item_of, items_of_any_plan, progress_out, reader, writer

router = Router()


# Who I am


@router.get("/me", response={200: schemas.Me, **ERRORS}, tags=["people"])
def me(request: HttpRequest) -> dict[str, Any]:
    return _me(reader(request), request)


@router.patch("/me", response={200: schemas.Me, **ERRORS}, tags=["people"])
def me_change(request: HttpRequest, change: schemas.MeChange) -> dict[str, Any]:
    # Everyone may change their own profile, as on the profile page; the form checks it.
    user = writer(request, True)
    current = {name: getattr(user, name) for name in ("first_name", "last_name", "email", "language")}
    form = ProfileForm(current | change.dict(exclude_unset=True, exclude_none=True), instance=user)
    checked(form)
    return _me(form.save(), request)


def _me(user: User, request: HttpRequest) -> dict[str, Any]:
    fields = ("username", "first_name", "last_name", "email", "role", "language")
    return {name: getattr(user, name) for name in fields} | {
        "full_name": user.get_full_name(),
        "scope": request.token.scope,  # type: ignore[attr-defined]
    }


# Plans


def _plan_out(plan: Plan) -> dict[str, Any]:
    fields = (
        "slug", "title", "organisation", "status", "language", "period_start", "period_end", "levels",
        "published_at",
    )  # fmt: skip
    return {name: getattr(plan, name) for name in fields} | {"item_count": plan.item_count}  # type: ignore[attr-defined]


@router.get("/plans", response={200: list[schemas.PlanOut], **ERRORS}, tags=["plans"])
@paginate(Pages, page_size=50)
def plans(request: HttpRequest) -> QuerySet[Plan]:
    reader(request)
    return Plan.objects.with_item_count().order_by("title", "pk")  # type: ignore[return-value]


def _plan(slug: str) -> Plan:
    return get_object_or_404(Plan.objects.with_item_count(), slug=slug)


@router.get("/plans/{slug}", response={200: schemas.PlanDetail, **ERRORS}, tags=["plans"])
def plan_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    reader(request)
    plan = _plan(slug)
    total, by_path = plan_rollups(plan)
    axes = [
        {
            "id": axis.pk,
            "code": axis.code,
            "title": axis.title,
            "progress": progress_out(by_path.get(axis.path, Rollup())),
        }
        for axis in plan.items.roots().in_document_order()
    ]
    return _plan_out(plan) | {"preamble": plan.preamble, "progress": progress_out(total), "axes": axes}


# Items


class ItemFilters(Schema):
    depth: int | None = None
    status: Status | None = None
    lead: str | None = None
    late: bool = False
    q: str | None = None
    actions_only: bool = False


def _items(plan: Plan) -> QuerySet[Item]:
    return items_of_any_plan().filter(plan=plan).in_document_order()  # type: ignore[attr-defined,no-any-return]


def _filtered(items: QuerySet[Item], filters: ItemFilters) -> QuerySet[Item]:
    if filters.q:
        items = items.search(filters.q)  # type: ignore[attr-defined]
    if filters.depth is not None:
        items = items.filter(depth=filters.depth)
    if filters.actions_only:
        items = items.leaves()  # type: ignore[attr-defined]
    if filters.status:
        items = overview.with_status(items, filters.status)
    if filters.lead:
        items = items.filter(tracking__leads__username=filters.lead)
    if filters.late:
        items = overview.late(items)
    return items


def _item_out(item: Item) -> dict[str, Any]:
    return schemas.ItemOut.from_orm(item).dict()


@router.get("/plans/{slug}/items", response={200: list[schemas.ItemOut], **ERRORS}, tags=["items"])
@paginate(Pages, page_size=100)
def plan_items(request: HttpRequest, slug: str, filters: Query[ItemFilters]) -> QuerySet[Item]:
    reader(request)
    return _filtered(_items(_plan(slug)), filters)


@router.get("/items/{pk}", response={200: schemas.ItemOut, **ERRORS}, tags=["items"])
def item_detail(request: HttpRequest, pk: int) -> Item:
    reader(request)
    return item_of(pk)


@router.patch("/items/{pk}", response={200: schemas.ItemOut, **ERRORS}, tags=["items"])
def item_change(request: HttpRequest, pk: int, change: schemas.ItemChange) -> Item:
    item = item_of(pk)
    user = writer(request, can_edit_plan(request.user, item.plan))  # type: ignore[arg-type]
    changes = change.dict(exclude_unset=True, exclude={"version"})
    try:
        plan_services.item_edit(item=item, user=user, expected_version=change.version, changes=changes)
    except plan_services.ItemEditConflict as conflict:
        raise ApiError(409, "conflict", str(conflict), _item_out(item_of(pk))) from conflict
    return item_of(pk)


@router.patch("/items/{pk}/tracking", response={200: schemas.ItemOut, **ERRORS}, tags=["tracking"])
def tracking_change(request: HttpRequest, pk: int, change: schemas.TrackingChange) -> Item:
    item = item_of(pk)
    user = writer(request, can_edit_action(request.user, item))
    if item.children.all():
        raise ApiError(422, "not_an_action", _("Only actions (items without children) are tracked."))
    fields = change.dict(exclude_unset=True, exclude={"version", "leads", "team"})
    try:
        tracking_services.action_update(
            item=item,
            user=user,
            expected_version=change.version,
            changes=fields,
            leads=_people(change.leads),
            team=_people(change.team),
        )
    except tracking_services.EditConflict as conflict:
        raise ApiError(409, "conflict", str(conflict), _item_out(item_of(pk))) from conflict
    return item_of(pk)


def _people(usernames: list[str] | None) -> list[User] | None:
    if usernames is None:
        return None
    people = list(User.objects.filter(username__in=usernames, is_active=True))
    unknown = sorted(set(usernames) - {person.username for person in people})
    if unknown:
        raise ApiError(
            422, "unknown_people", _("Nobody is called %(names)s.") % {"names": ", ".join(unknown)}
        )
    return people


# Journal


@router.get("/items/{pk}/updates", response={200: list[schemas.UpdateOut], **ERRORS}, tags=["journal"])
@paginate(Pages, page_size=50)
def updates(request: HttpRequest, pk: int) -> QuerySet[Update]:
    reader(request)
    item = item_of(pk)
    rows = (
        item.updates.newest_first()
        .select_related("author")
        .prefetch_related("links", Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    return rows


@router.post("/items/{pk}/updates", response={201: schemas.UpdateOut, **ERRORS}, tags=["journal"])
def update_post(request: HttpRequest, pk: int, data: schemas.UpdateIn) -> Any:
    item = item_of(pk)
    user = writer(request, can_post_update(request.user, item))
    try:
        update = tracking_services.update_post(
            item=item,
            author=user,
            text=data.text,
            date=data.date,
            status=data.status or "",
            progress=data.progress,
            links=[tracking_services.LinkData(url=link.url, label=link.label) for link in data.links],
            expected_version=data.version,
        )
    except tracking_services.EditConflict as conflict:
        raise ApiError(409, "conflict", str(conflict), _item_out(item_of(pk))) from conflict
    return Reply(201, update)


# Milestones


@router.get("/items/{pk}/milestones", response={200: list[schemas.MilestoneOut], **ERRORS}, tags=["tracking"])
def milestones(request: HttpRequest, pk: int) -> QuerySet[Milestone]:
    reader(request)
    return item_of(pk).milestones.all()


@router.post("/items/{pk}/milestones", response={201: schemas.MilestoneOut, **ERRORS}, tags=["tracking"])
def milestone_add(request: HttpRequest, pk: int, data: schemas.MilestoneIn) -> Any:
    item = item_of(pk)
    user = writer(request, can_edit_action(request.user, item))
    milestone = tracking_services.milestone_add(
        item=item, user=user, title=data.title, due_date=data.due_date
    )
    return Reply(201, milestone)


@router.patch("/milestones/{pk}", response={200: schemas.MilestoneOut, **ERRORS}, tags=["tracking"])
def milestone_mark(request: HttpRequest, pk: int, change: schemas.MilestoneChange) -> Milestone:
    milestone = get_object_or_404(Milestone.objects.select_related("item__plan"), pk=pk)
    user = writer(request, can_edit_action(request.user, milestone.item))
    return tracking_services.milestone_mark(milestone=milestone, user=user, done_on=change.done_on)


# Search


@router.get("/search", response={200: list[schemas.ItemOut], **ERRORS}, tags=["items"])
@paginate(Pages, page_size=50)
def search(request: HttpRequest, q: str) -> QuerySet[Item]:
    reader(request)
    if not q.strip():
        return Item.objects.none()
    return items_of_any_plan().search(q).order_by("plan__title", "plan_id", "path")  # type: ignore[attr-defined,no-any-return]
