"""Writes across the directory's models, shared by the web, the command line and the API."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jalon.accounts.models import User
from jalon.plans.importers.base import ParsedPlan
from jalon.plans.models import Item, Plan

from .countries import countries
from .detection import DEMONYMS, Candidate, find, first_mentions
from .models import ItemLink, LinkStatus, Partner, Place, PlaceKind, Theme


@transaction.atomic
def countries_load() -> int:
    """Create the place of every country not yet in the directory; return how many were added.

    Safe to run again: countries already there (by ISO code) are left as people edited them.
    """
    present = set(Place.objects.countries().exclude(iso_code="").values_list("iso_code", flat=True))
    new = [
        Place(
            kind=PlaceKind.COUNTRY,
            iso_code=country.iso_code,
            name_fr=country.name_fr,
            name_en=country.name_en,
            other_names=country.other_names,
        )
        for country in countries()
        if country.iso_code not in present
    ]
    Place.objects.bulk_create(new, batch_size=500)
    return len(new)


def link_candidates() -> list[Candidate]:
    """Return everything in the directory that detection may find, read in three queries."""
    partners = [
        Candidate("partner", partner.pk, [partner.name, *partner.other_names], [partner.acronym])
        for partner in Partner.objects.all()
    ]
    places = [_place_candidate(place) for place in Place.objects.select_related("parent")]
    themes = [
        Candidate("theme", theme.pk, [theme.name_fr, theme.name_en, *theme.keywords])
        for theme in Theme.objects.all()
    ]
    return partners + places + themes


def _place_candidate(place: Place) -> Candidate:
    # A place inside a country names that country too ("Sud-Kivu" proposes DR Congo).
    implies: list[tuple[str, Hashable]] = (
        [("place", place.parent_id)] if place.kind == PlaceKind.SUBNATIONAL and place.parent_id else []
    )
    names = [place.name_fr, place.name_en, *place.other_names, *DEMONYMS.get(place.iso_code, [])]
    return Candidate("place", place.pk, names, implies=implies)


def item_text(item: Item) -> str:
    """Return the words of an item that detection reads."""
    return "\n".join(part for part in (item.title, item.title_en, item.body) if part)


@transaction.atomic
def links_propose(*, plan: Plan) -> int:
    """Propose a link from each item of the plan to what its text names; return how many are new.

    A link already there, whatever its status, is left alone: a rejected proposal is not
    made again, an accepted one is not asked again.
    """
    # A new server's directory has no countries until someone loads them: do it here, so
    # that the first detection already finds "au Honduras".
    countries_load()
    candidates = link_candidates()
    rows = ItemLink.objects.of_plan(plan).values_list("item_id", "partner_id", "place_id", "theme_id")
    taken = {
        (item_id, kind, key)
        for item_id, partner_id, place_id, theme_id in rows
        for kind, key in (("partner", partner_id), ("place", place_id), ("theme", theme_id))
        if key
    }
    new = []
    for item in plan.items.all():
        for (kind, key), match in first_mentions(find(item_text(item), candidates)).items():
            if (item.pk, kind, key) not in taken:
                new.append(ItemLink(item=item, evidence=match.evidence, **{f"{kind}_id": key}))
    ItemLink.objects.bulk_create(new, batch_size=500)
    return len(new)


def link_decide(*, link: ItemLink, user: User | None, accept: bool) -> ItemLink:
    """Accept or reject one link, noting who decided and when."""
    link.status = LinkStatus.ACCEPTED if accept else LinkStatus.REJECTED
    link.decided_by = user
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    return link


def links_decide_all(*, plan: Plan, user: User | None, accept: bool) -> int:
    """Accept or reject every proposed link of the plan at once; return how many were decided."""
    return (
        ItemLink.objects.of_plan(plan)
        .proposed()
        .update(
            status=LinkStatus.ACCEPTED if accept else LinkStatus.REJECTED,
            decided_by=user,
            decided_at=timezone.now(),
        )
    )


@transaction.atomic
def links_import(*, plan: Plan, parsed: ParsedPlan, user: User | None = None) -> int:
    """Store the accepted links a parsed plan carries (Jalon's JSON); return how many.

    Called right after plan_import, inside the same transaction. Directory entries the
    document names are matched with this server's (by ISO code, acronym, slug or name) and
    created when missing, so a plan moves between two servers with its links.
    """
    directory = parsed.extra.get("directory") or {}
    targets: dict[str, Partner | Place | Theme] = {}
    for entry in directory.get("places", []):
        targets[entry["ref"]] = _imported_place(entry, targets)
    for entry in directory.get("partners", []):
        targets[entry["ref"]] = _imported_partner(entry, targets)
    for entry in directory.get("themes", []):
        targets[entry["ref"]] = _imported_theme(entry)
    items = list(plan.items.in_document_order())
    links: dict[tuple[int, str, int], ItemLink] = {}
    now = timezone.now()
    for (_depth, parsed_item), item in zip(parsed.walk(), items, strict=True):
        for kind, ref, evidence in parsed_item.extra.get("links", []):
            target = targets[ref]
            links.setdefault(
                (item.pk, kind, target.pk),
                ItemLink(
                    item=item,
                    status=LinkStatus.ACCEPTED,
                    evidence=evidence,
                    decided_by=user,
                    decided_at=now,
                    **{kind: target},
                ),
            )
    ItemLink.objects.bulk_create(links.values(), batch_size=500)
    return len(links)


def _imported_place(entry: dict[str, Any], targets: dict[str, Partner | Place | Theme]) -> Place:
    # Parents come first in the document, so a place's parent is already resolved.
    found = Place.objects.filter(iso_code=entry["iso_code"]) if entry["iso_code"] else _named_place(entry)
    place = found.first()
    if place is None:
        parent = targets.get(entry["parent"] or "")
        place = Place.objects.create(
            kind=entry["kind"],
            iso_code=entry["iso_code"],
            name_fr=entry["name_fr"],
            name_en=entry["name_en"],
            other_names=entry["other_names"],
            parent=parent if isinstance(parent, Place) else None,
        )
    return place


def _named_place(entry: dict[str, Any]) -> QuerySet[Place]:
    names = Q(name_fr=entry["name_fr"]) if entry["name_fr"] else Q(name_en=entry["name_en"])
    return Place.objects.filter(names, kind=entry["kind"])


def _imported_partner(entry: dict[str, Any], targets: dict[str, Partner | Place | Theme]) -> Partner:
    found = Partner.objects.filter(acronym=entry["acronym"]) if entry["acronym"] else Partner.objects.none()
    partner = found.first() or Partner.objects.filter(name=entry["name"]).first()
    if partner is None:
        country = targets.get(entry["country"] or "")
        partner = Partner.objects.create(
            name=entry["name"],
            acronym=entry["acronym"],
            other_names=entry["other_names"],
            organisation_type=entry["organisation_type"],
            country=country if isinstance(country, Place) else None,
            website=entry["website"],
            is_funder=entry["is_funder"],
        )
    return partner


def _imported_theme(entry: dict[str, Any]) -> Theme:
    theme = Theme.objects.filter(slug=entry["slug"]).first()
    if theme is None and entry["name_fr"]:
        theme = Theme.objects.filter(name_fr=entry["name_fr"]).first()
    if theme is None:
        theme = Theme.objects.create(
            slug=entry["slug"], name_fr=entry["name_fr"], name_en=entry["name_en"], keywords=entry["keywords"]
        )
    return theme
