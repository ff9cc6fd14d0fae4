"""Editing a plan's tree from the web: texts, adding, moving and deleting items."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jalon.accounts.models import Role, User
from jalon.plans.models import Item, Plan
from jalon.plans.services import item_edit

from .factories import anonymous, make_plan, person, signed_in, wide_tree

pytestmark = pytest.mark.django_db


def find(plan: Plan, code: str) -> Item:
    return plan.items.filter(code=code).order_by("path").first()  # type: ignore[return-value]


def url(name: str, found: Item) -> str:
    return reverse(f"plans:{name}", args=[found.plan.slug, found.pk])


def texts(found: Item, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": found.code,
        "title": found.title,
        "title_en": found.title_en,
        "body": found.body,
        "version": found.version,
    }
    return {**data, **changes}


def codes_in_order(plan: Plan) -> list[tuple[int, str]]:
    return list(plan.items.in_document_order().values_list("depth", "code"))


def test_the_edit_form_shows_the_item_with_its_version(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    page = editor.get(url("item_edit", action)).content.decode()
    assert "Travailler à la pérennisation du CAIME." in page
    assert 'name="version" value="1"' in page
    assert 'name="title_en"' in page and 'name="body"' in page


def test_a_coordinator_edits_an_item_and_the_history_shows_it(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    response = editor.post(url("item_edit", action), texts(action, code="1.1.2.", title_en="Sustain CAIME."))
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.code, action.title_en, action.version) == ("1.1.2.", "Sustain CAIME.", 2)
    page = editor.get(response["Location"]).content.decode()
    assert "The item was saved." in page
    history = page[page.index('id="historique"') :]
    assert "<td>Camille</td>" in history and "Sustain CAIME." in history
    assert "<td>1.1.2</td><td>1.1.2.</td>" in history


def test_an_edit_from_a_stale_version_is_refused_with_the_other_values(
    plan: Plan, editor: Client, coordinator: User
) -> None:
    action = find(plan, "1.1.2")
    stale = texts(action, title="Mon titre")
    item_edit(
        item=action, user=person("autre", Role.ADMIN), expected_version=1, changes={"title": "Leur titre"}
    )
    response = editor.post(url("item_edit", action), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this item" in page and "Leur titre" in page
    assert 'name="version" value="2"' in page and "Mon titre" in page
    action.refresh_from_db()
    assert action.title == "Leur titre"


def test_line_breaks_typed_in_a_browser_are_kept_as_plain_newlines(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    editor.post(url("item_edit", action), texts(action, body="Premier paragraphe.\r\n\r\nSecond."))
    action.refresh_from_db()
    assert action.body == "Premier paragraphe.\n\nSecond."


def test_an_item_without_a_title_is_refused(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    response = editor.post(url("item_edit", action), texts(action, title=""))
    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()
    action.refresh_from_db()
    assert action.version == 1


def test_a_code_longer_than_allowed_is_refused_with_its_error(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    response = editor.post(url("item_edit", action), texts(action, code="9" * 51))
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.code == "1.1.2"


def test_text_typed_in_the_form_is_escaped_on_the_item_page(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    editor.post(url("item_edit", action), texts(action, body="<script>alert(1)</script>"))
    page = editor.get(action.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_coordinator_adds_an_item_under_another(plan: Plan, editor: Client) -> None:
    orientation = find(plan, "1.1")
    assert editor.get(url("item_add", orientation)).status_code == 200
    response = editor.post(url("item_add", orientation), {"code": "1.1.3", "title": "Soutenir le Sud-Kivu."})
    added = plan.items.get(code="1.1.3")
    assert response.status_code == 302 and response["Location"] == added.get_absolute_url()
    assert (added.parent, added.position, added.depth) == (orientation, 2, 2)
    assert "The item was added." in editor.get(response["Location"]).content.decode()


def test_a_coordinator_adds_a_top_level_item_from_the_plan_page(plan: Plan, editor: Client) -> None:
    add_url = reverse("plans:item_add_top", args=[plan.slug])
    assert f'href="{add_url}"' in editor.get(plan.get_absolute_url()).content.decode()
    response = editor.post(add_url, {"code": "2", "title": "Favoriser la participation", "title_en": ""})
    assert response.status_code == 302
    added = plan.items.get(code="2")
    assert (added.parent, added.position, added.depth) == (None, 1, 0)


def test_an_item_is_moved_under_another_parent_at_the_chosen_place(plan: Plan, editor: Client) -> None:
    action, orientation = find(plan, "1.1.1."), find(plan, "1.4")
    page = editor.get(url("item_move", action)).content.decode()
    assert "1.4 Mobiliser la population" in page
    response = editor.post(url("item_move", action), {"parent": orientation.pk, "position": 1})
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert codes_in_order(plan) == [
        (0, "1"),
        (1, "1.1"),
        (2, "1.1.2"),
        (1, "1.4"),
        (2, "1.1.1."),
        (2, "1.4.4"),
        (2, "1.4.4"),
    ]
    assert "The item was moved." in editor.get(response["Location"]).content.decode()


def test_an_item_is_moved_to_the_top_level(plan: Plan, editor: Client) -> None:
    orientation = find(plan, "1.4")
    editor.post(url("item_move", orientation), {"parent": "", "position": 9})
    assert codes_in_order(plan)[-3:] == [(0, "1.4"), (1, "1.4.4"), (1, "1.4.4")]


@pytest.mark.parametrize("target", ["1.1", "1.1.2"])
def test_an_item_cannot_move_under_itself_or_below_itself(plan: Plan, editor: Client, target: str) -> None:
    orientation = find(plan, "1.1")
    before = codes_in_order(plan)
    response = editor.post(url("item_move", orientation), {"parent": find(plan, target).pk, "position": 1})
    assert response.status_code == 400
    assert "cannot move under itself or under an item that is below it" in response.content.decode()
    assert codes_in_order(plan) == before


def test_the_move_page_reads_a_fixed_number_of_queries(
    editor: Client, django_assert_max_num_queries: object
) -> None:
    plan = make_plan(items=wide_tree(120), slug="large")
    action = plan.items.order_by("-path").first()
    assert action is not None
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert editor.get(url("item_move", action)).status_code == 200


def test_the_delete_page_says_how_many_items_go_too(plan: Plan, editor: Client) -> None:
    page = editor.get(url("item_delete", find(plan, "1.1"))).content.decode()
    assert "The 2 items under it will be deleted too" in page
    page = editor.get(url("item_delete", find(plan, "1.1.2"))).content.decode()
    assert "There is nothing under this item" in page


def test_deleting_an_item_removes_everything_under_it(plan: Plan, editor: Client) -> None:
    orientation = find(plan, "1.1")
    response = editor.post(url("item_delete", orientation))
    assert response.status_code == 302
    assert response["Location"] == find(plan, "1").get_absolute_url()
    assert codes_in_order(plan) == [(0, "1"), (1, "1.4"), (2, "1.4.4"), (2, "1.4.4")]
    assert Item.history.filter(id=orientation.pk, history_type="-", history_user__username="coord").exists()  # type: ignore[attr-defined]
    assert "were deleted" in editor.get(response["Location"]).content.decode()


def test_the_item_page_offers_the_edit_links_to_coordinators_only(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    assert f'href="{url("item_edit", action)}"' in editor.get(action.get_absolute_url()).content.decode()
    member = signed_in(person("membre", Role.MEMBER), language="en")
    page = member.get(action.get_absolute_url()).content.decode()
    assert url("item_edit", action) not in page and url("item_delete", action) not in page


def test_an_administrator_may_edit_too(plan: Plan) -> None:
    action = find(plan, "1.1.2")
    admin = signed_in(person("admin", Role.ADMIN), language="en")
    assert admin.post(url("item_edit", action), texts(action, title="Nouveau")).status_code == 302


def test_an_item_reached_through_another_plan_is_not_found(plan: Plan, editor: Client) -> None:
    other = make_plan(title="Autre plan", slug="autre")
    action = find(plan, "1.1.2")
    assert editor.get(reverse("plans:item_edit", args=[other.slug, action.pk])).status_code == 404


def every_write(plan: Plan) -> list[tuple[str, dict[str, object]]]:
    action, orientation = find(plan, "1.1.2"), find(plan, "1.4")
    return [
        (url("item_edit", action), texts(action, title="Pris")),
        (url("item_add", orientation), {"title": "Pris"}),
        (reverse("plans:item_add_top", args=[plan.slug]), {"title": "Pris"}),
        (url("item_move", action), {"parent": orientation.pk, "position": 1}),
        (url("item_delete", action), {}),
    ]


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER])
def test_leads_and_members_are_refused_every_page_and_write(plan: Plan, role: str) -> None:
    client = signed_in(person("quelquun", role), language="en")
    before = codes_in_order(plan)
    for address, data in every_write(plan):
        assert client.get(address).status_code == 403, address
        assert client.post(address, data).status_code == 403, address
    assert codes_in_order(plan) == before and not plan.items.filter(title="Pris").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(plan: Plan) -> None:
    visitor = anonymous(language="en")
    for address, data in every_write(plan):
        response = visitor.post(address, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert plan.items.count() == 7


def test_every_editing_page_has_one_h1_and_its_csrf_token(plan: Plan, editor: Client) -> None:
    action = find(plan, "1.1.2")
    pages = [url(name, action) for name in ("item_edit", "item_add", "item_move", "item_delete")]
    for address in [*pages, reverse("plans:item_add_top", args=[plan.slug])]:
        html = editor.get(address).content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, address
        assert 'name="csrfmiddlewaretoken"' in html and 'method="post"' in html, address
