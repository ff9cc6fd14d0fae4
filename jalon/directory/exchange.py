"""The directory part of Jalon's JSON (docs/json-format.md): what a plan's export carries
of the partners, places and themes its accepted links name, checked when a document is
read and stored after an import (SECTION, which the whole-plan exchange hands to the
tree's reader and writer).

Entries are named in the document by a "ref" ("partner-12") that only ties an item's links
to the directory section; the importer matches entries by ISO code, acronym, slug or name."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.plans.document import DocumentSection, SectionValues
from jalon.plans.importers import json_checks as check
from jalon.plans.importers.base import ParsedItem, ParsedPlan
from jalon.plans.models import Plan

from .models import ItemLink, Partner, Place, Theme
from .services import links_import

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


# Reading: the directory entries the plan's accepted links name, and the links on each
# item. Both are optional: a plan without links has neither. Kept as checked dictionaries
# for links_import, which runs right after plan_import.

DIRECTORY_KEYS = {
    "partners": (
        "ref", "name", "acronym", "other_names", "organisation_type", "country", "website", "is_funder",
    ),
    "places": ("ref", "kind", "iso_code", "name_fr", "name_en", "other_names", "parent"),
    "themes": ("ref", "slug", "name_fr", "name_en", "keywords"),
}  # fmt: skip
LINK_KEYS = ("ref", "name", "iso_code", "evidence")
PLACE_KINDS = ("country", "subnational", "region")
# The lengths the directory's tables hold.
DIRECTORY_LIMITS = {
    "name": 300, "acronym": 50, "organisation_type": 10, "website": 200, "kind": 20, "iso_code": 2,
    "name_fr": 200, "name_en": 200, "slug": 100,
}  # fmt: skip


def _read_directory(value: Any) -> dict[str, list[dict[str, Any]]]:
    if value is None:
        return {kind: [] for kind in DIRECTORY_KEYS}
    data = check.object_of(value, "directory", tuple(DIRECTORY_KEYS))
    directory = {
        kind: [
            _directory_entry(entry, f"directory.{kind}[{index}]", keys)
            for index, entry in enumerate(check.field(data, kind, "directory", list, default=[]))
        ]
        for kind, keys in DIRECTORY_KEYS.items()
    }
    _check_references(directory)
    return directory


def _directory_entry(value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    data = check.object_of(value, path, keys)
    entry: dict[str, Any] = {"ref": check.text(data, "ref", path)}
    for key in keys[1:]:
        if key in ("other_names", "keywords"):
            entry[key] = _texts(data, key, path)
        elif key in ("country", "parent"):
            entry[key] = check.field(data, key, path, str, default=None, nullable=True)
        elif key == "is_funder":
            entry[key] = check.field(data, key, path, bool, default=False)
        else:
            required = check.REQUIRED if key in ("name", "slug", "kind") else ""
            entry[key] = check.text(data, key, path, default=required, limit=DIRECTORY_LIMITS.get(key))
    if entry.get("kind", "country") not in PLACE_KINDS:
        raise check.Invalid(path, _("“%(value)s” is not a kind of place.") % {"value": entry["kind"]})
    if "name_fr" in entry and not (entry["name_fr"] or entry["name_en"]):
        raise check.Invalid(path, _("“name_fr” or “name_en” is needed."))
    return entry


def _texts(data: dict[str, Any], key: str, path: str) -> list[str]:
    values = check.field(data, key, path, list, default=[])
    if not all(isinstance(value, str) for value in values):
        raise check.Invalid(path, _("“%(key)s” should be a list of text.") % {"key": key})
    return list(values)


def _refs(directory: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Return the kind ("partners", "places", "themes") of every ref the directory defines."""
    refs: dict[str, str] = {}
    for kind, entries in directory.items():
        for index, entry in enumerate(entries):
            if entry["ref"] in refs:
                raise check.Invalid(
                    f"directory.{kind}[{index}]",
                    _("the ref “%(ref)s” is used twice.") % {"ref": entry["ref"]},
                )
            refs[entry["ref"]] = kind
    return refs


def _check_references(directory: dict[str, list[dict[str, Any]]]) -> None:
    places = {entry["ref"] for entry in directory["places"]}
    for kind, key in (("partners", "country"), ("places", "parent")):
        for index, entry in enumerate(directory[kind]):
            if entry[key] is not None and entry[key] not in places:
                raise check.Invalid(
                    f"directory.{kind}[{index}].{key}",
                    _("“%(ref)s” names no place of the directory.") % {"ref": entry[key]},
                )


def _read_links(values: list[Any], items: list[ParsedItem], path: str, refs: dict[str, str]) -> None:
    """Store each item's links in its extra fields, as (kind, ref, evidence)."""
    for index, (value, item) in enumerate(zip(values, items, strict=True)):
        here = f"{path}[{index}]"
        item.extra["links"] = _item_links(value.get("links"), f"{here}.links", refs)
        _read_links(value.get("children", []), item.children, f"{here}.children", refs)


def _item_links(value: Any, path: str, refs: dict[str, str]) -> list[tuple[str, str, str]]:
    if value is None:
        return []
    data = check.object_of(value, path, tuple(DIRECTORY_KEYS))
    links = []
    for kind in DIRECTORY_KEYS:
        for index, entry in enumerate(check.field(data, kind, path, list, default=[])):
            link = check.object_of(entry, f"{path}.{kind}[{index}]", LINK_KEYS)
            target = check.text(link, "ref", f"{path}.{kind}[{index}]")
            if refs.get(target) != kind:
                raise check.Invalid(
                    f"{path}.{kind}[{index}]",
                    _("“%(ref)s” names no entry of the directory's %(kind)s.")
                    % {"ref": target, "kind": kind},
                )
            links.append((kind[:-1], target, check.text(link, "evidence", path, default="")))
    return links


def _read(document: dict[str, Any], items: list[ParsedItem], parsed: ParsedPlan) -> None:
    directory = _read_directory(document.get("directory"))
    _read_links(document.get("items", []), items, "items", _refs(directory))
    parsed.extra["directory"] = directory


def _write(plan: Plan) -> SectionValues:
    directory, links = plan_links(plan)
    # Only a plan with accepted links carries a directory.
    return SectionValues(
        plan={"directory": directory} if links else {},
        items={pk: {"links": value} for pk, value in links.items()},
    )


def _store(plan: Plan, parsed: ParsedPlan, user: User | None) -> list[str]:
    links_import(plan=plan, parsed=parsed, user=user)
    return []


SECTION = DocumentSection(
    item_keys=("links",), plan_keys=("directory",), read=_read, write=_write, store=_store
)
