"""Alternatives' directory for the demo: the partners, places and themes its plan names.

Names are data, as the organisation writes them (French first), not interface strings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .models import Partner, Place, PlaceKind, Theme
from .services import countries_load

# Spellings the ISO catalogue lacks but plans use.
COUNTRY_NAMES = {
    "CD": ["RDC", "RD Congo", "DR Congo", "DRC", "Congo-Kinshasa"],
    "PS": ["Palestine", "Territoires palestiniens", "Palestinian territories"],
}


@dataclass(frozen=True)
class DemoPlace:
    name_fr: str
    name_en: str
    kind: str
    parent: str = ""  # ISO code of the country, or French name of a region
    other_names: list[str] = field(default_factory=list)
    iati_region: str = ""  # IATI Region codelist (OECD DAC)


PLACES = [
    DemoPlace("Amériques", "Americas", PlaceKind.REGION, other_names=["les Amériques", "the Americas"]),
    DemoPlace(
        "Amérique centrale", "Central America", PlaceKind.REGION, parent="Amériques", iati_region="389"
    ),
    DemoPlace("Sud global", "Global South", PlaceKind.REGION, other_names=["Sud Global"], iati_region="998"),
    DemoPlace(
        "Afrique subsaharienne",
        "Sub-Saharan Africa",
        PlaceKind.REGION,
        other_names=["Afrique sub-saharienne", "Subsaharan Africa"],
        iati_region="289",
    ),
    DemoPlace("Sud-Kivu", "South Kivu", PlaceKind.SUBNATIONAL, "CD", ["Sud Kivu", "South-Kivu"]),
    DemoPlace("Gaza", "Gaza", PlaceKind.SUBNATIONAL, "PS", ["bande de Gaza", "Gaza Strip"]),
    DemoPlace("Monastir", "Monastir", PlaceKind.SUBNATIONAL, "TN", ["gouvernorat de Monastir"]),
    DemoPlace("Aquin", "Aquin", PlaceKind.SUBNATIONAL, "HT", ["commune d'Aquin"]),
    DemoPlace("Pablo Sula", "Pablo Sula", PlaceKind.SUBNATIONAL, "HN"),
    DemoPlace("Québec", "Quebec", PlaceKind.SUBNATIONAL, "CA", ["Quebec", "province de Québec"]),
]


@dataclass(frozen=True)
class DemoPartner:
    name: str
    acronym: str = ""
    country: str = ""  # ISO code
    organisation_type: str = "22"  # National NGO
    other_names: list[str] = field(default_factory=list)
    is_funder: bool = False
    website: str = ""


PARTNERS = [
    DemoPartner("FOTSSIEH", "FOTSSIEH", "HN"),
    DemoPartner("Centro de Atención Integral para las Mujeres Emprendedoras", "CAIME", "HN"),
    DemoPartner("Teacher Creativity Center", "TCC", "PS", other_names=["Teacher Creativity Centre"]),
    DemoPartner(
        "Forum tunisien des droits économiques et sociaux",
        "FTDES",
        "TN",
        # The plan misspells it; the misspelling is what detection meets.
        other_names=["Forum tunisien des trois économiques et sociaux"],
    ),
    DemoPartner("ITECA", "ITECA", "HT"),
    DemoPartner("India Civil Watch International", "ICWI", organisation_type="21"),
    DemoPartner(
        "Association du progrès pour les communications",
        "APC",
        organisation_type="21",
        other_names=["Association for Progressive Communications"],
        website="https://www.apc.org/",
    ),
    DemoPartner("LabDelta", "", "CA"),
    DemoPartner("Association québécoise des organismes de coopération internationale", "AQOCI", "CA"),
    DemoPartner("Concertation pour Haïti", "CPH", "CA", other_names=["Concertation pour Haiti"]),
    DemoPartner("Réseau québécois des groupes écologistes", "RQGE", "CA"),
    DemoPartner("Coalition pour la justice et la paix en Palestine", "CJPP", "CA"),
    DemoPartner("Coalition pour la souveraineté alimentaire", "", "CA"),
    DemoPartner("Coalition Québec Urgence Palestine", "", "CA"),
    DemoPartner(
        "Affaires mondiales Canada",
        "AMC",
        "CA",
        organisation_type="10",
        other_names=["Global Affairs Canada"],
        is_funder=True,
    ),
]


@dataclass(frozen=True)
class DemoTheme:
    slug: str
    name_fr: str
    name_en: str
    keywords: list[str]
    iati_sector: str = ""  # IATI Sector codelist (OECD DAC, five digits)


THEMES = [
    DemoTheme(
        "droits-des-femmes",
        "Droits des femmes",
        "Women's rights",
        ["droits des femmes", "femmes", "travailleuses", "filles", "féministe", "women", "feminist"],
        iati_sector="15170",
    ),
    DemoTheme(
        "climat-environnement",
        "Climat et environnement",
        "Climate and environment",
        [
            "environnement",
            "environnementale",
            "climatique",
            "climat",
            "écologistes",
            "climate",
            "environment",
        ],
        iati_sector="41010",
    ),
    DemoTheme("palestine", "Palestine", "Palestine", ["Palestine", "palestiniens", "Gaza", "Palestinian"]),
    DemoTheme(
        "jeunesse",
        "Jeunesse",
        "Youth",
        ["jeunes", "jeunesse", "relève", "étudiantes", "stages", "youth", "young people"],
        iati_sector="16020",
    ),
    DemoTheme(
        "democratie",
        "Démocratie",
        "Democracy",
        ["vie démocratique", "démocratie", "fascisme", "droites xénophobes", "democracy"],
        iati_sector="15150",
    ),
    DemoTheme(
        "droit-information",
        "Droit à l'information",
        "Right to information",
        ["droits à l'information", "droit à l'information", "plateformes numériques", "right to information"],
        iati_sector="15153",
    ),
    DemoTheme(
        "souverainete-alimentaire",
        "Souveraineté alimentaire",
        "Food sovereignty",
        ["souveraineté alimentaire", "agroalimentaire", "agricole", "food sovereignty"],
        iati_sector="43071",
    ),
    DemoTheme(
        "financement",
        "Financement",
        "Fundraising",
        ["financement", "collecte de fonds", "dons", "bailleurs", "philanthropique", "fundraising"],
    ),
]


@transaction.atomic
def directory_create() -> None:
    """Create Alternatives' directory; running it again adds only what is missing."""
    countries_load()
    countries = {place.iso_code: place for place in Place.objects.countries()}
    for code, names in COUNTRY_NAMES.items():
        _add_names(countries[code], names)
    regions: dict[str, Place] = {}
    for demo in PLACES:
        parent = countries.get(demo.parent) or regions.get(demo.parent)
        regions[demo.name_fr] = _place(demo, parent)
    for partner in PARTNERS:
        _partner(partner, countries.get(partner.country))
    for theme in THEMES:
        Theme.objects.get_or_create(
            slug=theme.slug,
            defaults={
                "name_fr": theme.name_fr,
                "name_en": theme.name_en,
                "keywords": theme.keywords,
                "iati_sector": theme.iati_sector,
            },
        )


def _add_names(place: Place, names: list[str]) -> None:
    missing = [
        name for name in names if name not in place.other_names and name not in (place.name_fr, place.name_en)
    ]
    if missing:
        place.other_names = [*place.other_names, *missing]
        place.save(update_fields=["other_names"])


def _place(demo: DemoPlace, parent: Place | None) -> Place:
    place, _created = Place.objects.get_or_create(
        kind=demo.kind,
        name_fr=demo.name_fr,
        defaults={
            "name_en": demo.name_en,
            "parent": parent,
            "other_names": demo.other_names,
            "iati_region": demo.iati_region,
        },
    )
    return place


def _partner(demo: DemoPartner, country: Place | None) -> Partner:
    partner, _created = Partner.objects.get_or_create(
        name=demo.name,
        defaults={
            "acronym": demo.acronym,
            "country": country,
            "organisation_type": demo.organisation_type,
            "other_names": demo.other_names,
            "is_funder": demo.is_funder,
            "website": demo.website,
        },
    )
    return partner
