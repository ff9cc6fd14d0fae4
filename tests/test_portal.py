"""The public portal: a coordinator publishes an adopted plan, journal entries are marked
public one by one, and anyone reads the published plan without signing in, but nothing
internal (internal updates, notes, anomalies, people, partners that did not agree)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind
from jalon.plans.models import Item, Plan, PlanStatus
from jalon.plans.services import PublishRefused, plan_publish, plan_unpublish
from jalon.tracking.models import Tracking, Update
from jalon.tracking.services import attachment_add, update_post, update_publish

from .factories import anonymous, make_plan, person, signed_in
from .routes import PUBLIC, named_routes, path_of

pytestmark = pytest.mark.django_db

PUBLIC_NEWS = "Atelier public tenu avec les partenaires."
INTERNAL_NEWS = "Conflit interne avec le bailleur, ne pas diffuser."
NOTE = "Note confidentielle de la coordination."


def adopted_plan(slug: str) -> Plan:
    plan = make_plan(slug=slug)
    plan.status = PlanStatus.ADOPTED
    plan.save(update_fields=["status"])
    return plan


@pytest.fixture
def adopted(coordinator: User) -> Plan:
    return adopted_plan("plan-2024")


@pytest.fixture
def published(adopted: Plan, coordinator: User) -> Plan:
    return plan_publish(plan=adopted, user=coordinator)


def action(plan: Plan, code: str = "1.1.1.") -> Item:
    return plan.items.select_related("plan").get(code=code)


@pytest.fixture
def journal(published: Plan, media: Path) -> dict[str, Update]:
    """An action with a lead, a note, one public update with a file and one internal update."""
    lead = person("rosalie", Role.LEAD, first_name="Rosalie", last_name="Responsable")
    item = action(published)
    tracking = Tracking.objects.create(item=item, status="in_progress", progress=40, notes=NOTE)
    tracking.leads.set([lead])
    public = update_post(item=item, author=lead, text=PUBLIC_NEWS, public=True)
    attachment_add(update=public, upload=SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4"))
    internal = update_post(item=item, author=lead, text=INTERNAL_NEWS)
    return {"public": public, "internal": internal}


# Publishing


def test_a_coordinator_publishes_an_adopted_plan_with_history(adopted: Plan, coordinator: User) -> None:
    plan_publish(plan=adopted, user=coordinator)
    adopted.refresh_from_db()
    assert adopted.published_at is not None
    assert adopted.published_by == coordinator
    last = adopted.history.first()  # type: ignore[attr-defined]
    assert last.published_at == adopted.published_at
    assert last.history_user == coordinator


@translation.override("en")
def test_it_refuses_to_publish_a_draft_and_says_why(coordinator: User) -> None:
    draft = make_plan(slug="brouillon")
    with pytest.raises(PublishRefused, match="adopted"):
        plan_publish(plan=draft, user=coordinator)
    draft.refresh_from_db()
    assert draft.published_at is None


def test_unpublishing_takes_the_plan_off_the_portal(published: Plan, coordinator: User) -> None:
    plan_unpublish(plan=published, user=coordinator)
    published.refresh_from_db()
    assert published.published_at is None
    assert anonymous().get(reverse("portal:plan", args=[published.slug])).status_code == 404


def test_marking_an_update_public_is_recorded_in_its_history(
    journal: dict[str, Update], coordinator: User
) -> None:
    update = journal["internal"]
    update_publish(update=update, user=coordinator, public=True)
    update.refresh_from_db()
    assert update.public
    assert update.history.first().history_user == coordinator  # type: ignore[attr-defined]
    assert list(Update.objects.public().order_by("pk")) == [journal["public"], update]


def test_a_coordinator_publishes_from_the_plan_page_and_a_member_cannot(
    adopted: Plan, coordinator: User, member: User
) -> None:
    url = reverse("plans:publish", args=[adopted.slug])
    assert signed_in(member).post(url, {"publish": "1"}).status_code == 403
    page = signed_in(coordinator).get(adopted.get_absolute_url()).content.decode()
    assert url in page
    assert url not in signed_in(member).get(adopted.get_absolute_url()).content.decode()
    english = signed_in(coordinator, language="en")
    response = english.post(url, {"publish": "1"}, follow=True)
    assert "Published on the public portal since" in response.content.decode().replace("\n", " ")
    adopted.refresh_from_db()
    assert adopted.published_at is not None
    signed_in(coordinator).post(url, {"publish": "0"})
    adopted.refresh_from_db()
    assert adopted.published_at is None


def test_the_plan_page_explains_why_a_draft_is_not_published(coordinator: User) -> None:
    draft = make_plan(slug="brouillon")
    client = signed_in(coordinator, language="en")
    response = client.post(reverse("plans:publish", args=[draft.slug]), {"publish": "1"}, follow=True)
    assert "Only an adopted plan can be published: this one is draft." in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_a_lead_marks_a_journal_entry_public_and_a_member_cannot(
    journal: dict[str, Update], member: User
) -> None:
    update = journal["internal"]
    url = reverse("tracking:update_publish", args=[update.pk])
    assert signed_in(member).post(url, {"public": "1"}).status_code == 403
    lead = User.objects.get(username="rosalie")
    item_page = signed_in(lead).get(update.item.get_absolute_url()).content.decode()
    assert url in item_page
    assert url not in signed_in(member).get(update.item.get_absolute_url()).content.decode()
    assert signed_in(lead).post(url, {"public": "1"}).status_code == 302
    update.refresh_from_db()
    assert update.public
    signed_in(lead).post(url, {"public": "0"})
    update.refresh_from_db()
    assert not update.public


def test_the_update_form_publishes_only_when_the_box_is_ticked(published: Plan, coordinator: User) -> None:
    item = action(published)
    url = reverse("tracking:update_post", args=[item.pk])
    client = signed_in(coordinator)
    assert 'name="public"' in client.get(item.get_absolute_url()).content.decode()
    client.post(url, {"date": "2025-03-01", "text": "Cochée", "public": "on"})
    client.post(url, {"date": "2025-03-02", "text": "Pas cochée"})
    assert dict(Update.objects.values_list("text", "public")) == {"Cochée": True, "Pas cochée": False}


# The portal


def portal_urls(plan: Plan, item: Item) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:plan", args=[plan.slug]),
        reverse("portal:item", args=[plan.slug, item.pk]),
        reverse("portal:map", args=[plan.slug]),
        reverse("portal:partners", args=[plan.slug]),
    ]


def test_an_anonymous_visitor_reads_every_portal_page(journal: dict[str, Update]) -> None:
    item = journal["public"].item
    for url in portal_urls(item.plan, item):
        response = anonymous().get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_the_portal_lists_published_plans_only(published: Plan) -> None:
    make_plan(slug="brouillon", title="Un brouillon secret")
    page = anonymous().get(reverse("portal:home")).content.decode()
    assert published.title.replace("'", "&#x27;") in page
    assert "Un brouillon secret" not in page


def test_every_page_of_an_unpublished_plan_is_not_found(adopted: Plan) -> None:
    item = action(adopted)
    for url in portal_urls(adopted, item)[1:]:
        assert anonymous().get(url).status_code == 404, url


def test_a_published_plan_sent_back_to_draft_leaves_the_portal(published: Plan) -> None:
    published.status = PlanStatus.DRAFT
    published.save(update_fields=["status"])
    for url in portal_urls(published, action(published))[1:]:
        assert anonymous().get(url).status_code == 404, url


def test_an_item_of_another_plan_is_not_found_under_a_published_plan(published: Plan) -> None:
    other = adopted_plan("autre")
    url = reverse("portal:item", args=[published.slug, action(other).pk])
    assert anonymous().get(url).status_code == 404


def test_an_action_shows_its_public_news_and_nothing_internal(journal: dict[str, Update]) -> None:
    item = journal["public"].item
    page = anonymous().get(reverse("portal:item", args=[item.plan.slug, item.pk])).content.decode()
    assert PUBLIC_NEWS in page
    assert "compte-rendu.pdf" in page
    assert reverse("tracking:attachment", args=[journal["public"].attachments.get().pk]) not in page
    for secret in (INTERNAL_NEWS, NOTE, "Rosalie", "Responsable", "rosalie"):
        assert secret not in page
    assert "40 %" in page


def test_the_portal_names_only_the_partners_that_agreed(published: Plan) -> None:
    item = action(published)
    shown = Partner.objects.create(name="Réseau solidaire", acronym="RS", public=True)
    hidden = Partner.objects.create(name="Fondation discrète", acronym="FD")
    place = Place.objects.create(
        kind=PlaceKind.COUNTRY, name_fr="Honduras", name_en="Honduras", iso_code="HN"
    )
    for target in ({"partner": shown}, {"partner": hidden}, {"place": place}):
        ItemLink.objects.create(item=item, status=LinkStatus.ACCEPTED, **target)
    for url in portal_urls(published, item):
        page = anonymous().get(url).content.decode()
        assert "Fondation discrète" not in page and "(FD)" not in page, url
    partners = anonymous().get(reverse("portal:partners", args=[published.slug])).content.decode()
    assert "Réseau solidaire" in partners
    assert reverse("portal:item", args=[published.slug, item.pk]) in partners
    item_page = anonymous().get(reverse("portal:item", args=[published.slug, item.pk])).content.decode()
    assert "Réseau solidaire" in item_page and "Honduras" in item_page
    map_page = anonymous().get(reverse("portal:map", args=[published.slug])).content.decode()
    assert "Honduras" in map_page
    assert place.get_absolute_url() not in map_page


INTERNAL_HREF = re.compile(r'href="(/(?!public/|static/|comptes/connexion/)[^"]*)"')


def test_the_portal_links_to_no_internal_page_and_shows_no_internal_menu(
    journal: dict[str, Update],
) -> None:
    item = journal["public"].item
    for url in portal_urls(item.plan, item):
        page = anonymous().get(url).content.decode()
        assert INTERNAL_HREF.findall(page) == [], url
        assert "anomal" not in page.lower(), url
        assert reverse("directory:index") not in page


def test_a_signed_in_reader_previews_the_portal_and_finds_the_way_back(published: Plan) -> None:
    member = person("membre", Role.MEMBER, first_name="Maxime", last_name="Membre")
    page = signed_in(member).get(reverse("portal:plan", args=[published.slug])).content.decode()
    assert f'href="{reverse("plans:home")}"' in page
    assert "Maxime" not in page
    assert f'href="{reverse("accounts:login")}"' not in page
    assert f'href="{reverse("accounts:login")}"' in anonymous().get(reverse("portal:home")).content.decode()


def test_the_sign_in_page_offers_a_visitor_the_portal_and_no_internal_menu() -> None:
    page = anonymous().get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("portal:home")}"' in page
    assert f'href="{reverse("directory:index")}"' not in page


def test_a_visitor_switches_the_portal_to_english(published: Plan) -> None:
    client = anonymous()
    home = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="fr' in home
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert '<html lang="en"' in client.get(reverse("portal:home")).content.decode()


def pages_queries(django_assert_max_num_queries: Callable, plan: Plan, item: Item, budget: int) -> None:
    for url in portal_urls(plan, item):
        with django_assert_max_num_queries(budget):
            assert anonymous().get(url).status_code == 200


@pytest.mark.parametrize("extra_plans", [0, 3])
def test_portal_pages_read_the_same_number_of_queries_whatever_the_data(
    journal: dict[str, Update], django_assert_max_num_queries: Callable, extra_plans: int, coordinator: User
) -> None:
    item = journal["public"].item
    for number in range(extra_plans):
        other = adopted_plan(f"autre-{number}")
        plan_publish(plan=other, user=coordinator)
        for count in range(3):
            update_post(item=item, author=coordinator, text=f"Nouvelle {number}-{count}", public=True)
    pages_queries(django_assert_max_num_queries, item.plan, item, budget=8)


# The demo, walked as an anonymous visitor with its real identifiers


@pytest.fixture
def demo(settings: Any, media: Path) -> Plan:
    settings.JALON_DEMO_ALLOWED = True
    call_command("demo", stdout=StringIO())
    plan = Plan.objects.get()
    # The demo attaches no file: one is added so that attachment routes get a real id too.
    update = Update.objects.filter(item__plan=plan).order_by("pk").first()
    assert update is not None
    attachment_add(update=update, upload=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4"))
    tracking = Tracking.objects.filter(item__plan=plan).order_by("pk").first()
    assert tracking is not None
    tracking.notes = NOTE
    tracking.save(update_fields=["notes"])
    return plan


def real_ids() -> list[int]:
    """Return the first and last keys of every table of Jalon's apps: items, updates,
    attachments, milestones, partners, places, results, indicators, people..."""
    ids = set()
    for config in apps.get_app_configs():
        if config.name.startswith("jalon."):
            for model in config.get_models():
                keys = model._default_manager.order_by("pk").values_list("pk", flat=True)
                ids |= {key for key in (keys.first(), keys.last()) if isinstance(key, int)}
    return sorted(ids)


def real_paths(route: str, plan: Plan, ids: list[int]) -> list[str]:
    return sorted({path_of(route, {"slug": plan.slug, "int": str(number), "str": "json"}) for number in ids})


def test_every_internal_page_of_the_demo_sends_an_anonymous_visitor_to_sign_in(demo: Plan) -> None:
    ids = real_ids()
    assert len(ids) > 3
    login = reverse("accounts:login") + "?next="
    walked = 0
    for name, route in named_routes():
        if name in PUBLIC:
            continue
        for path in real_paths(route, demo, ids):
            for method in ("get", "post"):
                response = getattr(anonymous(), method)(path)
                walked += 1
                if name.startswith("api:"):
                    assert response.status_code in (401, 405), f"{method} {path}: {response.status_code}"
                else:
                    assert response.status_code == 302, f"{method} {path}: {response.status_code}"
                    assert response["Location"].startswith(login), path
    assert walked > 100


def words_of_the_plan(plan: Plan) -> str:
    """Return the plan's own text, public once the plan is: it may name a partner itself."""
    texts = plan.items.values_list("title", "title_en", "body")
    return " ".join([plan.preamble, *(" ".join(row) for row in texts)])


def shows(text: str, page: str) -> bool:
    # As whole words: an acronym such as "AMC" may turn up inside a random CSRF token.
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", page) is not None


def test_no_portal_page_of_the_demo_shows_anything_internal(demo: Plan) -> None:
    internal_news = set(Update.objects.filter(public=False).values_list("text", flat=True))
    public_news = set(Update.objects.filter(public=True).values_list("text", flat=True))
    assert internal_news and public_news and not internal_news & public_news
    plan_text = words_of_the_plan(demo)
    hidden_partners = [
        name
        for partner in Partner.objects.filter(public=False)
        for name in (partner.name, partner.acronym)
        if len(name) > 2 and name not in plan_text
    ]
    shown_partners = Partner.objects.filter(public=True, item_links__item__plan=demo).distinct()
    assert hidden_partners and shown_partners
    people = [user.get_full_name() for user in User.objects.all()]
    urls = portal_urls(demo, demo.items.first())[:-1]
    urls += [reverse("portal:item", args=[demo.slug, pk]) for pk in demo.items.values_list("pk", flat=True)]
    seen = ""
    for url in urls:
        response = anonymous().get(url)
        assert response.status_code == 200, url
        page = html.unescape(response.content.decode())
        for secret in [*internal_news, *hidden_partners, *people, NOTE]:
            assert not shows(secret, page), f"{secret!r} on {url}"
        assert "anomal" not in page.lower(), url
        seen += page
    partners_page = html.unescape(
        anonymous().get(reverse("portal:partners", args=[demo.slug])).content.decode()
    )
    for secret in hidden_partners:
        assert not shows(secret, partners_page)
    assert all(partner.name in partners_page for partner in shown_partners)
    assert all(text in seen for text in public_news)
