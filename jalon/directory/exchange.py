"""The directory part of Jalon's JSON (docs/json-format.md): what a plan's export carries
of the partners, places and themes its accepted links name.

Entries are named in the document by a "ref" ("partner-12") that only ties an item's links
to the directory section; the importer matches entries by ISO code, acronym, slug or name."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jalon.plans.models import Plan

from .models import ItemLink, Partner, Place, Theme

Entries = dict[str, list[dict[str, Any]]]
# By item id: "partners", "places", "themes", each a list of links.
ItemLinks = dict[int, Entries]


def ref(target: Partner | Place | Theme) -> str:
    return f"{type(target).__name__.lower()}-{target.pk}"


def plan_links(plan: Plan) -> tuple[Entries, ItemLinks]:
    """Return the directory section and, by item id, the accepted links of each item."""
    links = list(
        ItemLink.objects.of_plan(plan)
        .accepted()
        .select_related("partner__country", "place", "theme")
        .order_by("pk")
    )
    partners = {link.partner.pk: link.partner for link in links if link.partner}
    themes = {link.theme.pk: link.theme for link in links if link.theme}
    places = _with_parents(
        [link.place for link in links if link.place] + [p.country for p in partners.values() if p.country]
    )
    by_item: ItemLinks = defaultdict(lambda: {"partners": [], "places": [], "themes": []})
    for link in links:
        by_item[link.item_id][f"{link.kind}s"].append(_item_link(link))
    directory = {
        "partners": [_partner(partner) for partner in partners.values()],
        "places": [_place(place) for place in places],
        "themes": [_theme(theme) for theme in themes.values()],
    }
    # Kinds in a fixed order, empty ones left out, so that two exports are the same bytes.
    return directory, {
        item_id: {kind: entries for kind, entries in kinds.items() if entries}
        for item_id, kinds in by_item.items()
    }


def _with_parents(places: list[Place]) -> list[Place]:
    """Return the places and every place they sit in, parents first, each once."""
    found = {place.pk: place for place in places}
    missing = {place.parent_id for place in found.values() if place.parent_id} - set(found)
    while missing:  # one query per level of nesting: region, country, province
        for parent in Place.objects.filter(pk__in=missing):
            found[parent.pk] = parent
        missing = {place.parent_id for place in found.values() if place.parent_id} - set(found)
    ordered: list[Place] = []

    def add(place: Place) -> None:
        if place in ordered:
            return
        if place.parent_id:
            add(found[place.parent_id])
        ordered.append(place)

    for place in sorted(found.values(), key=lambda place: place.pk):
        add(place)
    return ordered


def _partner(partner: Partner) -> dict[str, Any]:
    # Contact and notes stay on this server: they may name people.
    return {
        "ref": ref(partner),
        "name": partner.name,
        "acronym": partner.acronym,
        "other_names": list(partner.other_names),
        "organisation_type": partner.organisation_type,
        "country": ref(partner.country) if partner.country else None,
        "website": partner.website,
        "is_funder": partner.is_funder,
    }


def _place(place: Place) -> dict[str, Any]:
    return {
        "ref": ref(place),
        "kind": place.kind,
        "iso_code": place.iso_code,
        "name_fr": place.name_fr,
        "name_en": place.name_en,
        "other_names": list(place.other_names),
        "parent": f"place-{place.parent_id}" if place.parent_id else None,
    }


def _theme(theme: Theme) -> dict[str, Any]:
    return {
        "ref": ref(theme),
        "slug": theme.slug,
        "name_fr": theme.name_fr,
        "name_en": theme.name_en,
        "keywords": list(theme.keywords),
    }


def _item_link(link: ItemLink) -> dict[str, Any]:
    target = link.target
    assert target is not None
    entry: dict[str, Any] = {"ref": ref(target), "name": str(target)}
    if link.place:
        entry["iso_code"] = link.place.iso_code
    entry["evidence"] = link.evidence
    return entry
