"""The directory of partners, places and themes: its models, countries, codelist, demo data and pages."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from jalon.accounts.models import Role, User
from jalon.directory.codelists import organisation_type_choices, organisation_types
from jalon.directory.countries import countries
from jalon.directory.demo import PARTNERS, directory_create
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind, Theme
from jalon.directory.services import countries_load
from jalon.plans.models import Item, Plan
from jalon.tracking.models import Status, Tracking

from .factories import anonymous, item, item_coded, make_plan, person, queries_to_read, signed_in

pytestmark = pytest.mark.django_db


def link(target: Partner | Place | Theme, on: Item, status: str = LinkStatus.ACCEPTED) -> ItemLink:
    field = type(target).__name__.lower()
    return ItemLink.objects.create(item=on, status=status, evidence="mots", **{field: target})


def track(on: Item, status: str, progress: int) -> None:
    Tracking.objects.create(item=on, status=status, progress=progress)


@pytest.fixture
def honduras() -> Place:
    return Place.objects.create(kind=PlaceKind.COUNTRY, iso_code="HN", name_fr="Honduras", name_en="Honduras")


@pytest.fixture
def partner(honduras: Place) -> Partner:
    return Partner.objects.create(
        name="FOTSSIEH", acronym="FOTSSIEH", country=honduras, organisation_type="22"
    )


# Countries


def test_it_loads_every_country_with_its_iso_code_and_french_and_english_names() -> None:
    assert countries_load() >= 249
    names = {place.iso_code: (place.name_fr, place.name_en) for place in Place.objects.countries()}
    assert names["CD"] == ("République démocratique du Congo", "Democratic Republic of the Congo")
    assert names["HT"] == ("Haïti", "Haiti")
    assert names["SD"] == ("Soudan", "Sudan")
    assert names["TN"] == ("Tunisie", "Tunisia")
    assert names["IN"] == ("Inde", "India")
    assert names["PS"] == ("État de Palestine", "State of Palestine")
    assert "Palestine" in Place.objects.get(iso_code="PS").other_names


def test_loading_the_countries_again_adds_nothing_and_keeps_what_people_changed() -> None:
    countries_load()
    Place.objects.filter(iso_code="PS").update(name_fr="Palestine")
    count = Place.objects.count()
    assert countries_load() == 0
    assert Place.objects.count() == count
    assert Place.objects.get(iso_code="PS").name_fr == "Palestine"


def test_a_short_name_shared_by_two_countries_is_not_given_to_either() -> None:
    countries_load()
    assert "Congo" not in Place.objects.get(iso_code="CD").other_names
    assert Place.objects.get(iso_code="CG").name_en == "Congo"


def test_a_short_name_is_kept_only_where_the_rest_names_a_form_of_state() -> None:
    by_code = {country.iso_code: country for country in countries()}
    assert "Russie" in by_code["RU"].other_names
    assert "Christmas" not in by_code["CX"].other_names  # "Christmas, Île"


def test_a_name_falls_back_to_the_other_language() -> None:
    place = Place(kind=PlaceKind.REGION, name_fr="Sud global", name_en="")
    assert place.name("en") == place.name("fr") == "Sud global"
    assert Theme(name_fr="", name_en="Youth", slug="youth").name("fr") == "Youth"


def test_two_countries_cannot_share_an_iso_code(honduras: Place) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(kind=PlaceKind.COUNTRY, iso_code="HN", name_fr="Autre")


# The IATI codelist


def test_the_organisation_types_come_from_the_iati_codelist_in_both_languages() -> None:
    codes = {code.code: code for code in organisation_types()}
    assert set(codes) >= {"10", "21", "22", "60", "80", "90"}
    assert codes["22"].name("fr") == "ONG nationale"
    assert codes["22"].name("en") == "National NGO"
    assert codes["11"].name("fr") == "Local Government"  # untranslated in the codelist


def test_the_type_choices_follow_the_interface_language() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert ("21", "International NGO") in organisation_type_choices()
    with translation.override("fr"):
        assert ("21", "ONG internationale") in organisation_type_choices()


# Links


def test_a_link_points_to_exactly_one_entry(plan: Plan, partner: Partner, honduras: Place) -> None:
    action = item_coded(plan, "1.1.1.")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemLink.objects.create(item=action, partner=partner, place=honduras)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemLink.objects.create(item=action)


def test_an_item_links_to_the_same_partner_only_once(plan: Plan, partner: Partner) -> None:
    action = item_coded(plan, "1.1.1.")
    link(partner, action)
    with pytest.raises(IntegrityError), transaction.atomic():
        link(partner, action, LinkStatus.PROPOSED)


def test_links_are_read_by_status_and_by_plan(plan: Plan, partner: Partner, honduras: Place) -> None:
    other = make_plan(slug="autre")
    accepted = link(partner, item_coded(plan, "1.1.1."))
    proposed = link(honduras, item_coded(plan, "1.1.1."), LinkStatus.PROPOSED)
    elsewhere = link(partner, item_coded(other, "1.1.1."))
    assert list(ItemLink.objects.accepted().of_plan(plan)) == [accepted]
    assert list(ItemLink.objects.proposed()) == [proposed]
    assert set(ItemLink.objects.of_plan(other)) == {elsewhere}
    assert accepted.kind == "partner" and proposed.kind == "place" and proposed.target == honduras


def test_editing_a_partner_keeps_its_history(partner: Partner) -> None:
    partner.notes = "Rencontre en mai"
    partner.save()
    assert [entry.notes for entry in partner.history.all()] == ["Rencontre en mai", ""]


# The demo directory


def test_the_demo_directory_holds_the_partners_places_and_themes_of_the_plan() -> None:
    directory_create()
    acronyms = set(Partner.objects.values_list("acronym", flat=True))
    assert {"FOTSSIEH", "CAIME", "FTDES", "ITECA", "ICWI", "APC", "AQOCI"} <= acronyms
    names = set(Partner.objects.values_list("name", flat=True))
    assert {"Teacher Creativity Center", "LabDelta", "Concertation pour Haïti"} <= names
    parents = dict(Place.objects.filter(parent__isnull=False).values_list("name_fr", "parent__iso_code"))
    assert parents["Sud-Kivu"] == "CD" and parents["Gaza"] == "PS" and parents["Monastir"] == "TN"
    assert parents["Aquin"] == "HT" and parents["Québec"] == "CA"
    regions = set(Place.objects.filter(kind=PlaceKind.REGION).values_list("name_fr", flat=True))
    assert {"Amérique centrale", "Sud global", "Afrique subsaharienne"} <= regions
    assert Theme.objects.count() == 8
    assert all(theme.keywords for theme in Theme.objects.all())
    assert Partner.objects.funders().exists()


def test_the_demo_directory_can_be_created_twice() -> None:
    directory_create()
    counts = (Partner.objects.count(), Place.objects.count(), Theme.objects.count())
    directory_create()
    assert (Partner.objects.count(), Place.objects.count(), Theme.objects.count()) == counts
    assert Partner.objects.count() == len(PARTNERS)
    assert Place.objects.get(iso_code="CD").other_names.count("RDC") == 1


# Pages: reading


def test_a_member_reads_the_three_tabs_without_edit_buttons(member_client: Client, partner: Partner) -> None:
    Theme.objects.create(name_fr="Jeunesse", name_en="Youth", slug="jeunesse")
    partners = member_client.get(reverse("directory:index")).content.decode()
    assert "FOTSSIEH" in partners and partner.get_absolute_url() in partners
    assert reverse("directory:partner_create") not in partners
    places = member_client.get(reverse("directory:places")).content.decode()
    assert "Honduras" in places and reverse("directory:place_create") not in places
    themes = member_client.get(reverse("directory:themes")).content.decode()
    assert "Jeunesse" in themes and reverse("directory:theme_create") not in themes


def test_a_coordinator_sees_the_buttons_to_add_entries(coordinator: User) -> None:
    client = signed_in(coordinator)
    assert reverse("directory:partner_create") in client.get(reverse("directory:index")).content.decode()
    assert reverse("directory:theme_create") in client.get(reverse("directory:themes")).content.decode()


def test_the_places_tab_hides_countries_without_links_until_asked(
    member_client: Client, honduras: Place
) -> None:
    Place.objects.create(kind=PlaceKind.COUNTRY, iso_code="SD", name_fr="Soudan", name_en="Sudan")
    Place.objects.create(kind=PlaceKind.REGION, name_fr="Sud global", name_en="Global South")
    page = member_client.get(reverse("directory:places")).content.decode()
    assert "Sud global" in page and "Soudan" not in page
    assert "Soudan" in member_client.get(reverse("directory:places") + "?pays=tous").content.decode()


def test_a_coordinator_loads_the_countries_on_a_new_server(coordinator: User) -> None:
    client = signed_in(coordinator, language="en")
    assert reverse("directory:countries_add") in client.get(reverse("directory:places")).content.decode()
    response = client.post(reverse("directory:countries_add"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("directory:places")
    assert "countries added" in response.content.decode()
    assert Place.objects.countries().count() >= 249
    assert reverse("directory:countries_add") not in client.get(reverse("directory:places")).content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_only_coordinators_load_the_countries(role: str) -> None:
    client = signed_in(person("quelqu-un", role))
    assert reverse("directory:countries_add") not in client.get(reverse("directory:places")).content.decode()
    assert client.post(reverse("directory:countries_add")).status_code == 403
    assert not Place.objects.exists()


def test_a_partner_page_shows_its_accepted_items_with_status_and_progress(
    member: User, plan: Plan, partner: Partner
) -> None:
    action, hidden = item_coded(plan, "1.1.1."), item_coded(plan, "1.1.2")
    orientation = item_coded(plan, "1.4")
    track(action, Status.IN_PROGRESS, 40)
    track(item_coded(plan, "1.4").children.order_by("path")[0], Status.DONE, 100)
    link(partner, action)
    link(partner, orientation)
    link(partner, hidden, LinkStatus.REJECTED)
    page = signed_in(member, language="en").get(partner.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page and orientation.get_absolute_url() in page
    assert hidden.get_absolute_url() not in page
    assert "In progress" in page and 'value="40"' in page
    assert 'value="50"' in page  # the orientation: one action done, one not started
    assert "National NGO" in page and honduras_url(partner) in page


def honduras_url(partner: Partner) -> str:
    assert partner.country is not None
    return partner.country.get_absolute_url()


def test_a_place_page_shows_its_names_the_places_inside_and_partners_based_there(
    member_client: Client, partner: Partner, honduras: Place
) -> None:
    Place.objects.create(kind=PlaceKind.SUBNATIONAL, name_fr="Pablo Sula", name_en="", parent=honduras)
    page = member_client.get(honduras.get_absolute_url()).content.decode()
    assert "Pablo Sula" in page and partner.get_absolute_url() in page
    assert "Aucun élément" in page or "No item is linked yet." in page


def test_a_country_page_lists_the_items_of_the_places_inside_it_once(
    member_client: Client, plan: Plan
) -> None:
    congo = Place.objects.create(
        kind=PlaceKind.COUNTRY, iso_code="CD", name_fr="République démocratique du Congo"
    )
    kivu = Place.objects.create(kind=PlaceKind.SUBNATIONAL, name_fr="Sud-Kivu", parent=congo)
    both, inside = item_coded(plan, "1.1.1."), item_coded(plan, "1.1.2")
    link(congo, both)
    link(kivu, both)
    link(kivu, inside)
    page = member_client.get(congo.get_absolute_url()).content.decode()
    assert page.count(f'href="{both.get_absolute_url()}"') == 1
    assert inside.get_absolute_url() in page


def test_names_show_in_the_interface_language(member: User) -> None:
    kivu = Place.objects.create(kind=PlaceKind.SUBNATIONAL, name_fr="Sud-Kivu", name_en="South Kivu")
    english, french = signed_in(member, language="en"), signed_in(member, language="fr")
    assert "<h1>South Kivu</h1>" in english.get(kivu.get_absolute_url()).content.decode()
    assert "<h1>Sud-Kivu</h1>" in french.get(kivu.get_absolute_url()).content.decode()


def test_a_theme_page_lists_its_items(member_client: Client, plan: Plan) -> None:
    youth = Theme.objects.create(name_fr="Jeunesse", name_en="Youth", slug="jeunesse", keywords=["jeunes"])
    link(youth, item_coded(plan, "1.4.4"))
    page = member_client.get(youth.get_absolute_url()).content.decode()
    assert item_coded(plan, "1.4.4").get_absolute_url() in page and "jeunes" in page


def test_text_typed_into_the_directory_is_escaped(member_client: Client, plan: Plan) -> None:
    hostile = Partner.objects.create(name="<script>alert(1)</script>", notes="<b>gras</b>")
    link(hostile, item_coded(plan, "1.1.1."))
    for url in (
        reverse("directory:index"),
        hostile.get_absolute_url(),
        item_coded(plan, "1.1.1.").get_absolute_url(),
    ):
        page = member_client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page, url


def test_the_item_page_links_its_accepted_partners_places_and_themes(
    member_client: Client, plan: Plan, partner: Partner, honduras: Place
) -> None:
    action = item_coded(plan, "1.1.1.")
    theme = Theme.objects.create(name_fr="Droits des femmes", name_en="Women's rights", slug="femmes")
    link(partner, action)
    link(honduras, action, LinkStatus.PROPOSED)
    link(theme, action)
    page = member_client.get(action.get_absolute_url()).content.decode()
    assert partner.get_absolute_url() in page and theme.get_absolute_url() in page
    assert honduras.get_absolute_url() not in page


def test_the_item_page_reads_as_many_queries_for_many_links_as_for_one(
    member_client: Client, plan: Plan, partner: Partner
) -> None:
    action = item_coded(plan, "1.1.1.")
    link(partner, action)
    queries_to_read(member_client, action.get_absolute_url())
    one = queries_to_read(member_client, action.get_absolute_url())
    for number in range(5):
        link(Theme.objects.create(name_fr=f"Thème {number}", slug=f"theme-{number}"), action)
        link(Partner.objects.create(name=f"Partenaire {number}"), action)
    assert queries_to_read(member_client, action.get_absolute_url()) == one


def test_a_visitor_who_has_not_signed_in_is_sent_to_the_login_page(partner: Partner) -> None:
    for url in (reverse("directory:index"), partner.get_absolute_url(), reverse("directory:partner_create")):
        response = anonymous().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_only_a_web_address_becomes_a_link(member_client: Client) -> None:
    imported = Partner.objects.create(name="Importé", website="javascript:alert(1)")
    page = member_client.get(imported.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page


def test_an_unknown_entry_is_not_found(member_client: Client) -> None:
    for name in ("directory:partner", "directory:place", "directory:theme"):
        assert member_client.get(reverse(name, args=[999])).status_code == 404


# Pages: writing


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_a_coordinator_or_an_administrator_creates_a_partner(role: str, honduras: Place) -> None:
    coordinator = person("redacteur", role)
    data = {
        "name": "Centro de Atención Integral para las Mujeres Emprendedoras",
        "acronym": "CAIME",
        "other_names": "Centre CAIME\n\n Centre CAIME \nCAIME Honduras",
        "organisation_type": "22",
        "country": honduras.pk,
        "website": "https://caime.example.org",
        "is_funder": "",
    }
    response = signed_in(coordinator).post(reverse("directory:partner_create"), data)
    created = Partner.objects.get(acronym="CAIME")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.other_names == ["Centre CAIME", "CAIME Honduras"]
    assert created.country == honduras and not created.public
    assert created.history.first().history_user == coordinator


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"organisation_type": "99"},
        {"website": "javascript:alert(1)"},
        {"country": "999999"},
        {"other_names": "x" * 201},
    ],
)
def test_a_partner_form_with_bad_input_is_shown_again_with_its_errors(
    coordinator_client: Client, bad: dict[str, str]
) -> None:
    data = {"name": "ITECA", "organisation_type": "22", **bad}
    response = coordinator_client.post(reverse("directory:partner_create"), data)
    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()
    assert not Partner.objects.exists()


def test_a_coordinator_edits_a_partner(coordinator: User, partner: Partner) -> None:
    client = signed_in(coordinator)
    assert client.get(reverse("directory:partner_edit", args=[partner.pk])).status_code == 200
    data = {"name": "FOTSSIEH", "acronym": "FOTSSIEH", "notes": "Syndicats", "public": "on"}
    response = client.post(reverse("directory:partner_edit", args=[partner.pk]), data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.notes == "Syndicats" and partner.public and partner.country is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_members_and_leads_cannot_change_the_directory(role: str, partner: Partner, honduras: Place) -> None:
    theme = Theme.objects.create(name_fr="Jeunesse", slug="jeunesse")
    client = signed_in(person("quelqu-un", role))
    urls = [
        reverse("directory:partner_create"),
        reverse("directory:partner_edit", args=[partner.pk]),
        reverse("directory:place_create"),
        reverse("directory:place_edit", args=[honduras.pk]),
        reverse("directory:theme_create"),
        reverse("directory:theme_edit", args=[theme.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Pirate", "name_fr": "Pirate"}).status_code == 403, url
    assert not Partner.objects.filter(name="Pirate").exists()
    assert not Place.objects.filter(name_fr="Pirate").exists()


def test_a_coordinator_creates_a_place_inside_a_country(coordinator_client: Client, honduras: Place) -> None:
    data = {"kind": PlaceKind.SUBNATIONAL, "name_fr": "Pablo Sula", "name_en": "", "parent": honduras.pk}
    response = coordinator_client.post(reverse("directory:place_create"), data)
    assert response.status_code == 302
    assert Place.objects.get(name_fr="Pablo Sula").parent == honduras


@pytest.mark.parametrize(
    "bad",
    [
        {"name_fr": "", "name_en": ""},
        {"kind": PlaceKind.COUNTRY},
        {"kind": "planet"},
    ],
)
def test_a_place_form_refuses_bad_input(coordinator_client: Client, bad: dict[str, str]) -> None:
    data = {"kind": PlaceKind.REGION, "name_fr": "Sahel", "name_en": "Sahel", **bad}
    response = coordinator_client.post(reverse("directory:place_create"), data)
    assert response.status_code == 400
    assert not Place.objects.exists()


def test_a_place_cannot_be_put_inside_itself(coordinator_client: Client) -> None:
    americas = Place.objects.create(kind=PlaceKind.REGION, name_fr="Amériques")
    central = Place.objects.create(kind=PlaceKind.REGION, name_fr="Amérique centrale", parent=americas)
    data = {"kind": PlaceKind.REGION, "name_fr": "Amériques", "parent": central.pk}
    response = coordinator_client.post(reverse("directory:place_edit", args=[americas.pk]), data)
    assert response.status_code == 400
    americas.refresh_from_db()
    assert americas.parent is None


def test_a_country_keeps_its_code_and_kind_when_its_names_are_edited(
    coordinator_client: Client, honduras: Place
) -> None:
    data = {"name_fr": "Honduras", "name_en": "Honduras", "other_names": "Honduras (pays)", "kind": "region"}
    response = coordinator_client.post(reverse("directory:place_edit", args=[honduras.pk]), data)
    assert response.status_code == 302
    honduras.refresh_from_db()
    assert (honduras.kind, honduras.iso_code, honduras.other_names) == ("country", "HN", ["Honduras (pays)"])


def test_a_coordinator_creates_a_theme_whose_identifier_comes_from_its_name(
    coordinator_client: Client,
) -> None:
    data = {
        "name_fr": "Souveraineté alimentaire",
        "name_en": "Food sovereignty",
        "keywords": "agricole\nfood",
    }
    response = coordinator_client.post(reverse("directory:theme_create"), data)
    assert response.status_code == 302
    theme = Theme.objects.get()
    assert theme.slug == "souverainete-alimentaire" and theme.keywords == ["agricole", "food"]


def test_two_themes_cannot_share_an_identifier(coordinator_client: Client) -> None:
    Theme.objects.create(name_fr="Jeunesse", slug="jeunesse")
    data = {"name_fr": "Jeunesse", "name_en": "Youth"}
    response = coordinator_client.post(reverse("directory:theme_create"), data)
    assert response.status_code == 400 and Theme.objects.count() == 1


# Queries do not grow with the directory


def wide_plan(size: int, slug: str) -> Plan:
    actions = [item(f"1.{number}", f"Appuyer la FOTSSIEH {number}") for number in range(1, size + 1)]
    return make_plan(slug=slug, items=[item("1", "Axe", *actions)])


def test_a_partner_page_reads_as_many_queries_for_30_items_as_for_2(member_client: Client) -> None:
    small, large = Partner.objects.create(name="Petit"), Partner.objects.create(name="Grand")
    for target, size, slug in ((small, 2, "petit"), (large, 30, "grand")):
        for action in wide_plan(size, slug).items.leaves():
            track(action, Status.ONGOING, 50)
            link(target, action)
        link(target, Item.objects.get(plan__slug=slug, code="1"))
    queries_to_read(member_client, small.get_absolute_url())
    assert queries_to_read(member_client, large.get_absolute_url()) == queries_to_read(
        member_client, small.get_absolute_url()
    )


def grow_directory(plan: Plan, size: int) -> None:
    """Add partners, countries and themes, each linked to an action."""
    countries_load()
    action = item_coded(plan, "1.1.1.")
    for country in Place.objects.countries().exclude(item_links__isnull=False)[:size]:
        partner = Partner.objects.create(name=f"Partenaire {country.iso_code}", country=country)
        theme = Theme.objects.create(name_fr=f"Thème {country.iso_code}", slug=country.iso_code.lower())
        for target in (partner, country, theme):
            link(target, action)


def test_the_index_pages_read_as_many_queries_for_a_large_directory_as_for_a_small_one(
    member_client: Client, plan: Plan
) -> None:
    urls = [
        reverse("directory:index"),
        reverse("directory:places"),
        reverse("directory:places") + "?pays=tous",
        reverse("directory:themes"),
    ]
    grow_directory(plan, 2)
    queries_to_read(member_client, urls[0])
    small = [queries_to_read(member_client, url) for url in urls]
    grow_directory(plan, 40)
    assert [queries_to_read(member_client, url) for url in urls] == small
    assert max(small) <= 5
