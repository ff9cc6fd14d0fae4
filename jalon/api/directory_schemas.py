"""The shapes of the directory, the links and the map in the API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from .schemas import Progress


class PartnerOut(Schema):
    id: int
    name: str
    acronym: str
    other_names: list[str]
    organisation_type: str = Field(description="A code of IATI's OrganisationType codelist, or empty.")
    country: str | None = Field(description="ISO 3166-1 alpha-2 code of its country.")
    website: str
    is_funder: bool
    public: bool = Field(description="Agreed to be named on the public portal.")

    @staticmethod
    def resolve_country(partner: Any) -> str | None:
        return partner.country.iso_code if partner.country else None


class PartnerIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    acronym: str = ""
    other_names: list[str] = []
    organisation_type: str = ""
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    website: str = ""
    contact: str = ""
    notes: str = ""
    is_funder: bool = False
    public: bool = False


class PlaceOut(Schema):
    id: int
    kind: str
    iso_code: str
    name_fr: str
    name_en: str
    other_names: list[str]
    parent: int | None
    iati_region: str

    @staticmethod
    def resolve_parent(place: Any) -> int | None:
        return place.parent_id  # type: ignore[no-any-return]


class PlaceIn(Schema):
    kind: str = Field("subnational", description="subnational or region; countries come from ISO 3166.")
    name_fr: str = ""
    name_en: str = ""
    other_names: list[str] = []
    parent: int | None = Field(None, description="The key of the country or region it lies in.")
    iati_region: str = Field("", description="A code of IATI's Region codelist, for regions.")


class CountryIn(Schema):
    name_fr: str = ""
    name_en: str = ""
    other_names: list[str] = []


class CountriesAdded(Schema):
    added: int = Field(description="How many countries were missing and are now in the directory.")


class ThemeOut(Schema):
    id: int
    slug: str
    name_fr: str
    name_en: str
    keywords: list[str]
    iati_sector: str


class ThemeIn(Schema):
    name_fr: str = ""
    name_en: str = ""
    slug: str = Field("", description="Left empty, it is made from the name.")
    keywords: list[str] = []
    iati_sector: str = Field("", description="A code of the OECD DAC sectors (IATI Sector codelist).")


class LinkedItemOut(Schema):
    """An item with an accepted link to a directory entry, and the progress of its actions."""

    id: int
    plan: str = Field(description="The slug of its plan.")
    code: str
    title: str
    depth: int
    is_action: bool
    evidence: str
    progress: Progress

    @staticmethod
    def resolve_id(entry: Any) -> int:
        return entry.item.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_plan(entry: Any) -> str:
        return entry.item.plan.slug  # type: ignore[no-any-return]

    @staticmethod
    def resolve_code(entry: Any) -> str:
        return entry.item.code  # type: ignore[no-any-return]

    @staticmethod
    def resolve_title(entry: Any) -> str:
        return entry.item.title  # type: ignore[no-any-return]

    @staticmethod
    def resolve_depth(entry: Any) -> int:
        return entry.item.depth  # type: ignore[no-any-return]

    @staticmethod
    def resolve_progress(entry: Any) -> dict[str, Any]:
        rollup = entry.rollup
        return {"actions": rollup.actions, "progress": rollup.progress, "by_status": dict(rollup.counts)}


class LinkOut(Schema):
    id: int
    item: int
    kind: str = Field(description="partner, place or theme")
    target: int = Field(description="The key of the partner, place or theme.")
    name: str
    status: str = Field(description="proposed, accepted or rejected")
    evidence: str = Field(description="The words of the item's text that proposed the link.")

    @staticmethod
    def resolve_item(link: Any) -> int:
        return link.item_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_kind(link: Any) -> str:
        return "partner" if link.partner_id else "place" if link.place_id else "theme"

    @staticmethod
    def resolve_target(link: Any) -> int:
        return link.partner_id or link.place_id or link.theme_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_name(link: Any) -> str:
        return str(link.partner or link.place or link.theme)


class LinkDecision(Schema):
    accept: bool


class Detected(Schema):
    proposed: int


class Decided(Schema):
    decided: int = Field(description="How many proposed links were accepted or rejected.")


class MapCountry(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    count: int = Field(description="Distinct items linked to the country or to a place inside it.")


class MapPlace(Schema):
    id: int
    kind: str
    name: str
    iso_code: str
    count: int = Field(description="Distinct items with an accepted link to this very place.")


class PlanMap(Schema):
    plan: str
    countries: list[MapCountry] = Field(description="The table beside the map, the most actions first.")
    places: list[MapPlace]
