"""Detection: finding partners, places and themes in a plan's text, then proposing links."""

from __future__ import annotations

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jalon.directory.countries import countries
from jalon.directory.demo import directory_create
from jalon.directory.detection import DEMONYMS, Candidate, find, first_mentions
from jalon.directory.models import ItemLink, LinkStatus
from jalon.directory.services import links_propose
from jalon.plans.models import Plan

from .factories import import_seed


@pytest.fixture
def seed_plan(db: None) -> Plan:
    directory_create()
    return import_seed()


def proposals_by_code(plan: Plan, kind: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for link in ItemLink.objects.of_plan(plan).select_related("item", "partner", "place", "theme"):
        if link.kind == kind:
            target = link.target
            label = getattr(target, "iso_code", "") or getattr(target, "acronym", "") or str(target)
            found[link.item.code].add(label)
    return dict(found)


# What the seed names, read item by item: partners by acronym (or name), countries by ISO code.
EXPECTED_PARTNERS = {
    "1.1.1.": {"FOTSSIEH"},
    "1.1.2": {"CAIME"},
    "1.1.4": {"TCC"},
    "1.1.5": {"FTDES"},
    "1.1.6": {"ITECA"},
    "1.3.2": {
        "AQOCI",
        "CPH",
        "RQGE",
        "CJPP",
        "Coalition pour la souveraineté alimentaire",
        "Coalition Québec Urgence Palestine",
    },
    "1.3.3": {"ICWI"},
    "1.3.4": {"APC", "LabDelta"},
}
EXPECTED_COUNTRIES = {
    "1.1": {"CD", "PS", "HT"},
    "1.1.1.": {"HN"},
    "1.1.2": {"HN"},  # through Pablo Sula
    "1.1.3": {"CD"},
    "1.1.4": {"PS"},
    "1.1.5": {"TN"},
    "1.1.6": {"HT"},
    "1.2.1": {"HT", "SD"},
    "1.3.2": {"CA"},
    "1.3.3": {"IN"},
    "1.3.4": {"CA"},
    "1.4": {"CA", "PS"},
    "1.4.4": {"CA"},
    "1.4.5": {"CA"},
    "3.3": {"CA"},
    "3.3.3": {"CA"},
}
EXPECTED_OTHER_PLACES = {
    "1.1": {"Amérique centrale"},
    "1.1.2": {"Pablo Sula"},
    "1.1.3": {"Sud-Kivu"},
    "1.1.4": {"Gaza"},
    "1.1.5": {"Monastir"},
    "1.1.6": {"Aquin"},
    "1.2.1": {"Sud global", "Afrique subsaharienne"},
    "1.3.3": set(),
}


def country_candidates() -> list[Candidate]:
    return [
        Candidate(
            "place",
            country.iso_code,
            [country.name_fr, country.name_en, *country.other_names, *DEMONYMS.get(country.iso_code, [])],
        )
        for country in countries()
    ]


CANDIDATES = [
    *country_candidates(),
    Candidate("partner", "fotssieh", ["FOTSSIEH"], ["FOTSSIEH"]),
    Candidate("partner", "icwi", ["India Civil Watch International"], ["ICWI"]),
    Candidate("partner", "apc", ["Association du progrès pour les communications"], ["APC"]),
    Candidate("place", "sud-kivu", ["Sud-Kivu", "South Kivu"], implies=[("place", "CD")]),
    Candidate("place", "quebec", ["Québec"], implies=[("place", "CA")]),
    Candidate("theme", "women", ["Droits des femmes", "femmes", "women"]),
    Candidate("theme", "palestine", ["Palestine"]),
]


def found(text: str) -> set[tuple[str, object]]:
    return {(match.kind, match.key) for match in find(text, CANDIDATES)}


def test_it_finds_a_partner_and_a_country_named_with_french_articles() -> None:
    assert found("Nous appuyons la FOTSSIEH au Honduras.") == {("partner", "fotssieh"), ("place", "HN")}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nos partenaires en Haïti", "HT"),
        ("Our partners in Haiti", "HT"),
        ("les femmes d'Haïti", "HT"),
        ("les femmes d’Haïti", "HT"),
        ("au Soudan", "SD"),
        ("in Sudan", "SD"),
        ("aux États-Unis", "US"),
        ("aux Etats Unis", "US"),
        ("les coopératives du Honduras", "HN"),
        ("EN HAÏTI", "HT"),
        ("en Inde", "IN"),
    ],
)
def test_it_finds_a_country_whatever_its_accents_case_and_preposition(text: str, code: str) -> None:
    assert ("place", code) in found(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("les jeunes femmes haïtiennes", "HT"),
        ("Haitian cooperatives", "HT"),
        ("les travailleuses tunisiennes", "TN"),
        ("Sudanese refugees", "SD"),
        ("les enfants palestiniens", "PS"),
    ],
)
def test_it_finds_a_country_by_the_adjectives_of_its_small_table(text: str, code: str) -> None:
    assert ("place", code) in found(text)


def test_it_leaves_ambiguous_adjectives_alone() -> None:
    assert found("les peuples indiens et les Quebecers") == set()


def test_it_matches_whole_words_only() -> None:
    assert found("l'indépendance des Indes occidentales et la Nigérienne") == set()


def test_it_matches_short_acronyms_as_written() -> None:
    assert ("partner", "icwi") in found("avec ICWI")
    assert ("partner", "icwi") not in found("avec Icwi ou icwi")
    assert found("une APC, l'apc") == {("partner", "apc")}


def test_a_longer_name_hides_the_shorter_ones_inside_it() -> None:
    text = "dans le Sud-Kivu en République démocratique du Congo, avec India Civil Watch International"
    assert found(text) == {("place", "sud-kivu"), ("place", "CD"), ("partner", "icwi")}


def test_a_place_inside_a_country_names_the_country_with_its_own_words() -> None:
    matches = first_mentions(find("Soutenir des femmes dans le Sud Kivu.", CANDIDATES))
    assert matches[("place", "CD")].evidence == "Sud Kivu"
    assert matches[("place", "CD")].implied
    assert matches[("place", "sud-kivu")].evidence == "Sud Kivu"


def test_a_direct_mention_is_preferred_to_an_implied_one() -> None:
    matches = first_mentions(find("au Québec et au Canada", CANDIDATES))
    assert matches[("place", "CA")].evidence == "Canada"


def test_themes_are_found_even_inside_a_partner_name() -> None:
    candidates = [*CANDIDATES, Candidate("partner", "cqup", ["Coalition Québec Urgence Palestine"])]
    keys = {match.key for match in find("la Coalition Québec Urgence Palestine", candidates)}
    assert keys == {"cqup", "palestine"}


def test_the_evidence_is_the_text_as_written_even_after_ligatures() -> None:
    text = "Nous œuvrons avec les FEMMES du Québec"
    matches = first_mentions(find(text, CANDIDATES))
    assert matches[("theme", "women")].evidence == "FEMMES"
    assert matches[("place", "quebec")].evidence == "Québec"
    match = matches[("place", "quebec")]
    assert text[match.start : match.end] == "Québec"


@pytest.mark.parametrize(
    "text", ["", "Quebecers", "   ", "d'", "-- ' --", "Women's rights in the Gaza Strip"]
)
def test_it_does_not_crash_on_odd_text(text: str) -> None:
    find(text, CANDIDATES)


def test_it_ignores_candidates_without_names() -> None:
    assert find("Haïti", [Candidate("partner", 1, ["", " "], [""])]) == []


def test_on_the_seed_it_proposes_every_partner_the_plan_names_and_no_other(seed_plan: Plan) -> None:
    links_propose(plan=seed_plan)
    assert proposals_by_code(seed_plan, "partner") == EXPECTED_PARTNERS


def test_on_the_seed_it_proposes_every_country_the_plan_names(seed_plan: Plan) -> None:
    links_propose(plan=seed_plan)
    countries_found = countries_by_code(seed_plan)
    missing = {code: want - countries_found.get(code, set()) for code, want in EXPECTED_COUNTRIES.items()}
    assert {code: codes for code, codes in missing.items() if codes} == {}
    extra = {
        (code, iso)
        for code, codes in countries_found.items()
        for iso in codes - EXPECTED_COUNTRIES.get(code, set())
    }
    assert len(extra) <= 2, extra


def test_on_the_seed_it_proposes_the_places_inside_countries_and_the_regions(seed_plan: Plan) -> None:
    links_propose(plan=seed_plan)
    others = {
        code: {name for name in names if len(name) != 2}
        for code, names in proposals_by_code(seed_plan, "place").items()
    }
    for code, want in EXPECTED_OTHER_PLACES.items():
        assert want <= others.get(code, set()), code


def test_on_the_seed_every_proposal_carries_its_evidence(seed_plan: Plan) -> None:
    assert links_propose(plan=seed_plan) > 40
    links = ItemLink.objects.of_plan(seed_plan)
    assert not links.filter(evidence="").exists()
    assert set(links.values_list("status", flat=True)) == {LinkStatus.PROPOSED}
    assert links.get(item__code="1.1.5", partner__acronym="FTDES").evidence == (
        "Forum tunisien des trois économiques et sociaux"
    )


def test_on_the_seed_the_themes_are_proposed_where_the_plan_speaks_of_them(seed_plan: Plan) -> None:
    links_propose(plan=seed_plan)
    themes = proposals_by_code(seed_plan, "theme")
    assert "Palestine" in themes["1.1.4"]
    assert "Droits des femmes" in themes["1.1.3"]
    assert "Financement" in themes["3.2"]
    assert "Jeunesse" in themes["3.1"]


def countries_by_code(plan: Plan) -> dict[str, set[str]]:
    return {
        code: {label for label in labels if len(label) == 2 and label.isupper()}
        for code, labels in proposals_by_code(plan, "place").items()
    }


@pytest.mark.django_db
def test_the_demo_is_the_seed_with_its_links_found_and_accepted() -> None:
    call_command("demo", verbosity=0, stdout=StringIO())
    call_command("demo", verbosity=0, stdout=StringIO())
    plan = Plan.objects.get()
    links = ItemLink.objects.of_plan(plan)
    assert set(links.values_list("status", flat=True)) == {LinkStatus.ACCEPTED}
    assert links.get(item__code="1.1.4", partner__acronym="TCC").evidence == "Teacher Creativity Center"
    assert countries_by_code(plan)["1.3.3"] == {"IN"}


def test_the_detect_command_proposes_the_links_of_a_plan_named_on_the_command_line(seed_plan: Plan) -> None:
    out = StringIO()
    call_command("detect", seed_plan.slug, stdout=out)
    assert ItemLink.objects.of_plan(seed_plan).proposed().count() > 40
    with pytest.raises(CommandError):
        call_command("detect", "nothing-here", stdout=out)
