"""Proposing links and deciding on them: the service, the command and the review page.

People read the pages in English, so that messages read the same before and after the
French catalogue."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from jalon.accounts.models import Role, User
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind, Theme
from jalon.directory.services import link_decide, links_decide_all, links_propose
from jalon.plans.models import Plan

from .factories import anonymous, item, make_plan, person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    directory()
    return make_plan(
        items=[
            item(
                "1.1",
                "Soutenir nos partenaires au Honduras",
                item("1.1.1", "Avec la FOTSSIEH, renforcer les travailleuses <script>alert(1)</script>"),
                item("1.1.2", "Soutenir les femmes dans le Sud-Kivu"),
            )
        ]
    )


def directory() -> None:
    honduras = Place.objects.create(
        kind=PlaceKind.COUNTRY, iso_code="HN", name_fr="Honduras", name_en="Honduras"
    )
    congo = Place.objects.create(
        kind=PlaceKind.COUNTRY, iso_code="CD", name_fr="République démocratique du Congo", other_names=["RDC"]
    )
    Place.objects.create(kind=PlaceKind.SUBNATIONAL, name_fr="Sud-Kivu", parent=congo)
    Partner.objects.create(name="FOTSSIEH", acronym="FOTSSIEH", country=honduras)
    Theme.objects.create(slug="femmes", name_fr="Droits des femmes", keywords=["femmes", "travailleuses"])


def targets(plan: Plan, status: str = LinkStatus.PROPOSED) -> set[tuple[str, str]]:
    links = (
        ItemLink.objects.of_plan(plan)
        .filter(status=status)
        .select_related("item", "partner", "place", "theme")
    )
    return {(link.item.code, str(link.target)) for link in links}


def review_url(plan: Plan) -> str:
    return reverse("directory:links_review", args=[plan.slug])


def test_it_proposes_links_with_the_words_that_triggered_them(plan: Plan) -> None:
    assert links_propose(plan=plan) == 6
    assert targets(plan) == {
        ("1.1", "Honduras"),
        ("1.1.1", "FOTSSIEH"),
        ("1.1.1", "Droits des femmes"),
        ("1.1.2", "Droits des femmes"),
        ("1.1.2", "Sud-Kivu"),
        ("1.1.2", "République démocratique du Congo"),
    }
    # The partner's country is not implied: only a place inside a country implies it.
    assert ("1.1.1", "Honduras") not in targets(plan)
    congo = ItemLink.objects.get(place__iso_code="CD")
    assert congo.evidence == "Sud-Kivu"


def test_detecting_again_proposes_nothing_already_decided(plan: Plan) -> None:
    links_propose(plan=plan)
    link_decide(link=ItemLink.objects.get(partner__acronym="FOTSSIEH"), user=None, accept=False)
    links_decide_all(plan=plan, user=None, accept=True)
    assert links_propose(plan=plan) == 0
    assert targets(plan, LinkStatus.REJECTED) == {("1.1.1", "FOTSSIEH")}
    assert len(targets(plan, LinkStatus.ACCEPTED)) == 5


def test_a_decision_notes_who_decided_and_when(plan: Plan, coordinator: User) -> None:
    links_propose(plan=plan)
    link = link_decide(link=ItemLink.objects.get(partner__acronym="FOTSSIEH"), user=coordinator, accept=True)
    link.refresh_from_db()
    assert (link.status, link.decided_by, link.decided_at is not None) == (
        LinkStatus.ACCEPTED,
        coordinator,
        True,
    )


def test_deciding_all_leaves_other_plans_alone(plan: Plan) -> None:
    other = make_plan(slug="autre", items=[item("1", "Au Honduras")])
    links_propose(plan=plan)
    links_propose(plan=other)
    assert links_decide_all(plan=plan, user=None, accept=False) == 6
    assert targets(other) == {("1", "Honduras")}


def test_the_detect_command_proposes_and_can_accept(plan: Plan) -> None:
    call_command("detect", plan.slug, "--accept", stdout=open("/dev/null", "w"))
    assert len(targets(plan, LinkStatus.ACCEPTED)) == 6


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD, Role.COORDINATOR, Role.ADMIN])
def test_everyone_signed_in_reads_the_review_page(plan: Plan, role: str) -> None:
    links_propose(plan=plan)
    response = signed_in(person("someone", role), language="en").get(review_url(plan))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
    assert "FOTSSIEH" in response.content.decode()
    can_decide = role in (Role.COORDINATOR, Role.ADMIN)
    assert (
        reverse("directory:links_decide_all", args=[plan.slug]) in response.content.decode()
    ) is can_decide


def test_the_review_page_marks_the_evidence_and_escapes_the_text(plan: Plan, coordinator: User) -> None:
    links_propose(plan=plan)
    page = signed_in(coordinator, language="en").get(review_url(plan)).content.decode()
    assert "<mark>FOTSSIEH</mark>" in page
    assert "<mark>travailleuses</mark>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_review_page_lists_decided_links_by_status(plan: Plan, member: User) -> None:
    links_propose(plan=plan)
    link_decide(link=ItemLink.objects.get(partner__acronym="FOTSSIEH"), user=None, accept=False)
    client = signed_in(member, language="en")
    partner_url = Partner.objects.get().get_absolute_url()
    assert partner_url not in client.get(review_url(plan)).content.decode()
    assert partner_url in client.get(review_url(plan) + "?statut=rejected").content.decode()
    assert client.get(review_url(plan) + "?statut=nonsense").status_code == 200


def test_the_review_page_reads_a_constant_number_of_queries(
    plan: Plan, django_assert_max_num_queries, coordinator: User
) -> None:  # type: ignore[no-untyped-def]
    links_propose(plan=plan)
    client = signed_in(coordinator, language="en")
    with django_assert_max_num_queries(12):
        client.get(review_url(plan))
    make_plan(slug="grand", items=[item(f"{n}", f"Au Honduras avec la FOTSSIEH {n}") for n in range(30)])
    big = Plan.objects.get(slug="grand")
    links_propose(plan=big)
    with django_assert_max_num_queries(12):
        client.get(review_url(big))


def test_a_coordinator_accepts_one_link(plan: Plan, coordinator: User) -> None:
    links_propose(plan=plan)
    link = ItemLink.objects.get(partner__acronym="FOTSSIEH")
    url = reverse("directory:link_decide", args=[plan.slug, link.pk])
    response = signed_in(coordinator, language="en").post(url, {"decision": "accept"}, follow=True)
    assert response.redirect_chain[-1][0] == review_url(plan)
    link.refresh_from_db()
    assert link.status == LinkStatus.ACCEPTED
    assert "FOTSSIEH" in [str(message) for message in response.context["messages"]][0]


def test_an_administrator_rejects_all_and_detects_again(plan: Plan, administrator: User) -> None:
    links_propose(plan=plan)
    client = signed_in(administrator, language="en")
    client.post(reverse("directory:links_decide_all", args=[plan.slug]), {"decision": "reject"})
    assert targets(plan) == set()
    assert len(targets(plan, LinkStatus.REJECTED)) == 6
    ItemLink.objects.filter(partner__isnull=False).delete()
    response = client.post(reverse("directory:links_detect", args=[plan.slug]), follow=True)
    assert targets(plan) == {("1.1.1", "FOTSSIEH")}
    assert [str(message) for message in response.context["messages"]][-1] == "1 new link proposed."


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_members_and_leads_cannot_decide(plan: Plan, role: str) -> None:
    links_propose(plan=plan)
    link = ItemLink.objects.get(partner__acronym="FOTSSIEH")
    client = signed_in(person("someone", role), language="en")
    decide = reverse("directory:link_decide", args=[plan.slug, link.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    assert (
        client.post(
            reverse("directory:links_decide_all", args=[plan.slug]), {"decision": "accept"}
        ).status_code
        == 403
    )
    assert client.post(reverse("directory:links_detect", args=[plan.slug])).status_code == 403
    assert targets(plan, LinkStatus.ACCEPTED) == set()


def test_it_refuses_a_decision_that_is_neither_accept_nor_reject(
    plan: Plan, coordinator: User, administrator: User
) -> None:
    links_propose(plan=plan)
    link = ItemLink.objects.get(partner__acronym="FOTSSIEH")
    url = reverse("directory:link_decide", args=[plan.slug, link.pk])
    assert signed_in(coordinator, language="en").post(url, {"decision": "maybe"}).status_code == 400
    assert signed_in(administrator, language="en").get(url).status_code == 405


def test_a_link_of_another_plan_is_not_found(plan: Plan, coordinator: User) -> None:
    other = make_plan(slug="autre", items=[item("1", "Au Honduras")])
    links_propose(plan=other)
    link = ItemLink.objects.of_plan(other).get()
    url = reverse("directory:link_decide", args=[plan.slug, link.pk])
    assert signed_in(coordinator, language="en").post(url, {"decision": "accept"}).status_code == 404


def test_signed_out_visitors_are_sent_to_the_login_page(plan: Plan) -> None:
    response = anonymous().get(review_url(plan))
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]


def test_the_first_detection_on_a_new_server_loads_the_countries() -> None:
    plan = make_plan(items=[item("1", "Appuyer nos partenaires au Soudan")])
    assert links_propose(plan=plan) == 1
    assert ItemLink.objects.get().place.iso_code == "SD"  # type: ignore[union-attr]
