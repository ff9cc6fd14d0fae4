"""Reads behind the directory pages, each a fixed number of queries whatever the directory's size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from jalon.plans.models import Item
from jalon.tracking.models import Status
from jalon.tracking.rollups import Rollup

from .models import ItemLink, ItemLinkQuerySet, LinkStatus, Partner, Place, PlaceKind, Theme

ACCEPTED_LINKS = Count("item_links", filter=Q(item_links__status=LinkStatus.ACCEPTED), distinct=True)


@dataclass
class LinkedItem:
    """An item linked to a partner, place or theme, with the progress of the actions under it."""

    item: Item
    evidence: str
    rollup: Rollup = field(default_factory=Rollup)
    is_action: bool = False


def linked_items(links: ItemLinkQuerySet) -> list[LinkedItem]:
    """Return the items of the accepted links, in plan and document order, in two queries.

    An orientation may be linked as well as an action: its progress is rolled up from
    the actions under it, read in the same single query as the actions' own."""
    rows = list(
        links.accepted()
        .select_related("item__plan")
        .order_by("item__plan__title", "item__plan_id", "item__path")
    )
    # An item linked twice (to Sud-Kivu and to the DR Congo, on the country's page) shows once.
    entries = list(
        {link.item_id: LinkedItem(item=link.item, evidence=link.evidence) for link in rows}.values()
    )
    if not entries:
        return []
    under_any = Q()
    for entry in entries:
        under_any |= Q(plan_id=entry.item.plan_id, path__startswith=entry.item.path)
    actions = Item.objects.filter(under_any).leaves().order_by()
    for plan_id, path, status, progress in actions.values_list(
        "plan_id", "path", "tracking__status", "tracking__progress"
    ):
        for entry in entries:
            if entry.item.plan_id == plan_id and path.startswith(entry.item.path):
                entry.rollup.add(status or Status.NOT_STARTED, 1, progress or 0)
                entry.is_action = entry.is_action or path == entry.item.path
    return entries


def partners() -> QuerySet[Partner]:
    return Partner.objects.select_related("country").annotate(link_count=ACCEPTED_LINKS)


def places(*, every_country: bool = False) -> QuerySet[Place]:
    """Return the places, with the countries only where something is linked or based there.

    The 249 countries are all in the directory so that detection finds any of them;
    listing them all would bury the few the organisation works in."""
    rows = Place.objects.select_related("parent").annotate(
        link_count=ACCEPTED_LINKS, partner_count=Count("partners", distinct=True)
    )
    if every_country:
        return rows
    return rows.filter(~Q(kind=PlaceKind.COUNTRY) | Q(link_count__gt=0) | Q(partner_count__gt=0))


def themes() -> QuerySet[Theme]:
    return Theme.objects.annotate(link_count=ACCEPTED_LINKS)


def item_links(item: Item) -> dict[str, list[ItemLink]]:
    """Return an item's accepted links by kind, for its page, in one query."""
    by_kind: dict[str, list[ItemLink]] = {"partner": [], "place": [], "theme": []}
    for link in item.directory_links.accepted().select_related("partner", "place", "theme").order_by("pk"):
        by_kind[link.kind].append(link)
    return by_kind
