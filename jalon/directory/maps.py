"""The map of a plan: the countries where its items take place, shaded by their number
(the internal map page, the portal and the API draw it from here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, When
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from jalon.plans.models import Plan

from .countries import countries
from .models import ItemLink, Place, PlaceKind
from .worldmap import world_map_svg

# The country a linked place is in: itself, its parent or its grandparent (Gaza in
# Palestine; a town in Sud-Kivu in the DR Congo), whichever is the first country.
COUNTRY_CODE = Case(
    When(place__kind=PlaceKind.COUNTRY, then=F("place__iso_code")),
    When(place__parent__kind=PlaceKind.COUNTRY, then=F("place__parent__iso_code")),
    When(place__parent__parent__kind=PlaceKind.COUNTRY, then=F("place__parent__parent__iso_code")),
    output_field=CharField(),
)


@dataclass(frozen=True)
class MapRow:
    name: str
    code: str
    count: int
    url: str


def country_counts(plan: Plan) -> dict[str, int]:
    """Return, by ISO code, how many distinct items of the plan take place in each country, in one query."""
    rows = (
        ItemLink.objects.accepted()
        .of_plan(plan)
        .filter(place__isnull=False)
        .annotate(country=COUNTRY_CODE)
        .exclude(country__isnull=True)
        .exclude(country="")
        .values("country")
        .annotate(count=Count("item", distinct=True))
        .order_by()
    )
    return {row["country"]: row["count"] for row in rows}


def map_rows(counts: dict[str, int]) -> list[MapRow]:
    """Return the table's rows, the most actions first, with each country's directory page."""
    places = Place.objects.countries().filter(iso_code__in=counts)
    rows = [
        MapRow(place.name(), place.iso_code, counts[place.iso_code], place.get_absolute_url())
        for place in places
    ]
    return sorted(rows, key=lambda row: (-row.count, row.name))


def _names(rows: list[MapRow]) -> dict[str, str]:
    """Return every country's name in the interface language, as the directory spells it if there."""
    french = (get_language() or "fr")[:2] == "fr"
    names = {country.iso_code: country.name_fr if french else country.name_en for country in countries()}
    return names | {row.code: row.name for row in rows}


def plan_map_svg(counts: dict[str, int], rows: list[MapRow]) -> SafeString:
    """Return the shaded world map of a plan's country counts (the portal draws it too)."""
    names = _names(rows)

    def label(code: str, count: int) -> str:
        name = names.get(code, code)
        return ngettext("%(name)s: %(count)s action", "%(name)s: %(count)s actions", count) % {
            "name": name,
            "count": count,
        }

    return world_map_svg(counts, title=gettext("Countries where the plan's items take place"), label=label)
