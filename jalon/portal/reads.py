"""What the public portal reads, and only that: every function here leaves out whatever is
internal (notes, anomalies, internal updates, people, partners that did not agree).

No person is named on the portal, leads included: leads are staff and volunteers who
never agreed to be listed publicly, and an update's author is a person too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce

from jalon.directory.models import ItemLink, Partner
from jalon.plans.models import Item, Plan
from jalon.tracking.markdown import render_markdown
from jalon.tracking.models import Attachment, Status, Update
from jalon.tracking.rollups import Rollup


def plan_totals(plans: Iterable[Plan]) -> dict[int, Rollup]:
    """Return each plan's overall rollup by plan key, in one query for all of them."""
    totals: dict[int, Rollup] = {}
    rows = (
        Item.objects.filter(plan__in=list(plans))
        .leaves()
        .annotate(
            effective_status=Coalesce("tracking__status", Value(Status.NOT_STARTED)),
            effective_progress=Coalesce("tracking__progress", Value(0), output_field=IntegerField()),
        )
        .values("plan_id", "effective_status")
        .annotate(count=Count("pk"), progress_sum=Sum("effective_progress"))
        .order_by()
    )
    for row in rows:
        rollup = totals.setdefault(row["plan_id"], Rollup())
        rollup.add(row["effective_status"], row["count"], row["progress_sum"] or 0)
    return totals


def public_updates(item: Item) -> list[Update]:
    """Return the item's public updates newest first, rendered, with links and file names.

    The author is left out on purpose: see the module's docstring."""
    updates = list(
        item.updates.public()
        .newest_first()
        .prefetch_related("links", Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    for update in updates:
        update.text_html = render_markdown(update.text)  # type: ignore[attr-defined]
    return updates


def item_links(item: Item) -> list[ItemLink]:
    """Return the item's accepted links to places, themes and partners that agreed to be shown."""
    return list(
        ItemLink.objects.accepted()
        .filter(item=item)
        .filter(Q(partner__isnull=True) | Q(partner__public=True))
        .select_related("partner", "place", "theme")
        .order_by("pk")
    )


@dataclass
class PublicPartner:
    partner: Partner
    items: list[Item] = field(default_factory=list)


def public_partners(plan: Plan) -> list[PublicPartner]:
    """Return the partners that agreed to be shown, each with the plan's items linked to it."""
    links = (
        ItemLink.objects.accepted()
        .of_plan(plan)
        .filter(partner__public=True)
        .select_related("partner", "partner__country", "item")
        .order_by("partner__name", "partner_id", "item__path")
    )
    partners: dict[int, PublicPartner] = {}
    for link in links:
        assert link.partner is not None
        link.item.plan = plan  # the template asks each item for its plan's level names
        partners.setdefault(link.partner.pk, PublicPartner(link.partner)).items.append(link.item)
    return list(partners.values())
