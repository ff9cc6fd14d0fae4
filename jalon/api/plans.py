"""Plans and their items: the tree, its editing, publication and the import report."""

from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.permissions import can_edit_plan
from jalon.plans import services as plan_services
from jalon.plans.forms import ItemForm, ItemMoveForm
from jalon.plans.models import Anomaly, Item, Plan
from jalon.tracking import reads
from jalon.tracking.models import Status
from jalon.tracking.rollups import Rollup, plan_rollups

from .base import ERRORS, ApiError, Pages, checked, item_of, items_of_any_plan, progress_out, reader, writer
from .plans_schemas import (
    AnomalyOut,
    ItemChange,
    ItemIn,
    ItemMove,
    ItemOut,
    PlanDetail,
    PlanOut,
    Publication,
    PublicationOut,
)

router = Router()


def _plan_out(plan: Plan) -> dict[str, Any]:
    fields = (
        "slug", "title", "organisation", "status", "language", "period_start", "period_end", "levels",
        "published_at",
    )  # fmt: skip
    return {name: getattr(plan, name) for name in fields} | {"item_count": plan.item_count}  # type: ignore[attr-defined]


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, tags=["plans"])
@paginate(Pages, page_size=50)
def plans(request: HttpRequest) -> QuerySet[Plan]:
    reader(request)
    return Plan.objects.with_item_count().order_by("title", "pk")  # type: ignore[return-value]


def _plan(slug: str) -> Plan:
    return get_object_or_404(Plan.objects.with_item_count(), slug=slug)


@router.get("/plans/{slug}", response={200: PlanDetail, **ERRORS}, tags=["plans"])
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
        items = reads.with_status(items, filters.status)
    if filters.lead:
        items = items.filter(tracking__leads__username=filters.lead)
    if filters.late:
        items = reads.late(items)
    return items


def item_out(item: Item) -> dict[str, Any]:
    return ItemOut.from_orm(item).dict()


@router.get("/plans/{slug}/items", response={200: list[ItemOut], **ERRORS}, tags=["items"])
@paginate(Pages, page_size=100)
def plan_items(request: HttpRequest, slug: str, filters: Query[ItemFilters]) -> QuerySet[Item]:
    reader(request)
    return _filtered(_items(_plan(slug)), filters)


@router.post(
    "/plans/{slug}/items",
    response={201: ItemOut, **ERRORS},
    tags=["items"],
    operation_id="jalon_api_editing_item_add",
)
def item_add(request: HttpRequest, slug: str, data: ItemIn) -> Any:
    plan = get_object_or_404(Plan, slug=slug)
    user = writer(request, can_edit_plan(request.user))
    parent = _parent_in(plan, data.parent)
    form = checked(ItemForm(data.dict(include={"code", "title", "title_en", "body"})))
    item = plan_services.item_add(plan=plan, user=user, parent=parent, position=data.position, **form.texts())
    return Reply(201, item_of(item.pk))


def _parent_in(plan: Plan, pk: int | None) -> Item | None:
    if pk is None:
        return None
    parent = Item.objects.filter(plan=plan, pk=pk).first()
    if parent is None:
        raise ApiError(422, "invalid", _("This plan has no item %(id)s.") % {"id": pk}, {"parent": pk})
    return parent


@router.get("/items/{pk}", response={200: ItemOut, **ERRORS}, tags=["items"])
def item_detail(request: HttpRequest, pk: int) -> Item:
    reader(request)
    return item_of(pk)


@router.patch("/items/{pk}", response={200: ItemOut, **ERRORS}, tags=["items"])
def item_change(request: HttpRequest, pk: int, change: ItemChange) -> Item:
    item = item_of(pk)
    user = writer(request, can_edit_plan(request.user))  # type: ignore[arg-type]
    changes = change.dict(exclude_unset=True, exclude={"version"})
    try:
        plan_services.item_edit(item=item, user=user, expected_version=change.version, changes=changes)
    except plan_services.ItemEditConflict as conflict:
        raise ApiError(409, "conflict", str(conflict), item_out(item_of(pk))) from conflict
    return item_of(pk)


@router.delete(
    "/items/{pk}",
    response={204: None, **ERRORS},
    tags=["items"],
    operation_id="jalon_api_editing_item_delete",
)
def item_delete(request: HttpRequest, pk: int, confirm: bool = False) -> Any:
    item = item_of(pk)
    user = writer(request, can_edit_plan(request.user))
    below = Item.objects.subtree(item).count() - 1  # type: ignore[attr-defined]
    if below and not confirm:
        # The page asks before deleting what lies below; a program confirms with ?confirm=true.
        message = _("%(count)s items lie below this one; send confirm=true to delete them too.")
        raise ApiError(409, "confirmation_needed", message % {"count": below}, {"below": below})
    plan_services.item_delete(item=item, user=user)
    return Reply(204, None)


@router.post(
    "/items/{pk}/move",
    response={200: ItemOut, **ERRORS},
    tags=["items"],
    operation_id="jalon_api_editing_item_move",
)
def item_move(request: HttpRequest, pk: int, data: ItemMove) -> Item:
    item = item_of(pk)
    user = writer(request, can_edit_plan(request.user))
    # The page's form counts positions from 1; the API from 0, as items read.
    fields = {"parent": data.parent or "", "position": data.position + 1}
    form = checked(ItemMoveForm(fields, item=item))
    try:
        plan_services.item_move(
            item=item, user=user, parent=form.cleaned_data["parent"], position=data.position
        )
    except ValueError as error:
        raise ApiError(422, "invalid", str(error), {"parent": data.parent}) from error
    return item_of(pk)


@router.get(
    "/plans/{slug}/publication",
    response={200: PublicationOut, **ERRORS},
    tags=["plans"],
    operation_id="jalon_api_editing_publication",
)
def publication(request: HttpRequest, slug: str) -> Plan:
    reader(request)
    return _plan_with_publisher(slug)


@router.put(
    "/plans/{slug}/publication",
    response={200: PublicationOut, **ERRORS},
    tags=["plans"],
    operation_id="jalon_api_editing_publication_set",
)
def publication_set(request: HttpRequest, slug: str, data: Publication) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    user = writer(request, can_edit_plan(request.user))
    if not data.published:
        plan_services.plan_unpublish(plan=plan, user=user)
        return _plan_with_publisher(slug)
    try:
        plan_services.plan_publish(plan=plan, user=user)
    except plan_services.PublishRefused as refusal:
        raise ApiError(422, "publish_refused", str(refusal), {"status": plan.status}) from refusal
    return _plan_with_publisher(slug)


def _plan_with_publisher(slug: str) -> Plan:
    return get_object_or_404(Plan.objects.select_related("published_by"), slug=slug)


@router.get(
    "/plans/{slug}/anomalies",
    response={200: list[AnomalyOut], **ERRORS},
    tags=["plans"],
    operation_id="jalon_api_exchange_anomalies",
)
@paginate(Pages, page_size=100)
def anomalies(request: HttpRequest, slug: str) -> QuerySet[Anomaly]:
    reader(request)
    # In the order of the source, as on the page; those without a line come last.
    found = _plan(slug).anomalies.select_related("item")
    return found.order_by(F("line").asc(nulls_last=True), "position")
