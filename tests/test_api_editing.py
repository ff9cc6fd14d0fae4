"""Editing through the API: the tree of a plan, its publication, the public mark of journal
entries, attachments and an item's history, with the same rights as on the pages:
coordinators edit the tree and publish, whoever writes in a journal marks and attaches,
members read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.plans import services as plan_services
from jalon.plans.models import Item, Plan, PlanStatus, path_step
from jalon.tracking import services as tracking
from jalon.tracking.models import Attachment, Update

from .api_client import Api, error_code
from .factories import make_plan, person

pytestmark = pytest.mark.django_db


def the(plan: Plan, code: str) -> Item:
    return plan.items.filter(code=code).order_by("path").first()  # type: ignore[return-value]


def outline(plan: Plan) -> list[str]:
    """Return the codes in document order, indented by depth, and check every path."""
    items = list(Item.objects.filter(plan=plan).order_by("path"))
    by_pk = {item.pk: item for item in items}
    for item in items:
        parent = by_pk.get(item.parent_id) if item.parent_id else None
        assert item.path == (parent.path if parent else "") + path_step(item.position)
        assert item.depth == (parent.depth + 1 if parent else 0)
    return ["  " * item.depth + item.code for item in items]


ORIGINAL = ["1", "  1.1", "    1.1.1.", "    1.1.2", "  1.4", "    1.4.4", "    1.4.4"]


def refusals(send: Any) -> None:
    """Check that a read-only token, a member and no token are refused, in that order."""
    assert error_code(send(Api(person("reader", Role.COORDINATOR), Scope.READ))) == "read_only_token"
    assert error_code(send(Api(person("martin"), Scope.WRITE))) == "forbidden"
    refused = send(Api(None))
    assert refused.status_code == 401 and error_code(refused) == "unauthenticated"


def a_journal_entry(plan: Plan) -> tuple[Update, User]:
    """Return an entry in the journal of action 1.1.2, and the lead of that action."""
    lead = person("lea", Role.LEAD)
    item = the(plan, "1.1.2")
    tracking.tracking_for(item).leads.add(lead)
    return tracking.update_post(item=item, author=lead, text="Atelier à Tegucigalpa"), lead


def upload(api: Api, update: Update, name: str, data: bytes, content_type: str = "application/pdf") -> Any:
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return api.post(f"/updates/{update.pk}/attachments", {"file": file})


# Adding items


def test_a_coordinator_adds_an_item_under_a_parent_at_a_position(plan: Plan, coordinator_api: Api) -> None:
    body = {"parent": the(plan, "1.4").pk, "position": 1, "code": "1.4.5", "title": "Tenir un kiosque"}
    response = coordinator_api.send("post", "/plans/plan/items", body)
    assert response.status_code == 201, response.content
    added = Item.objects.get(pk=response.json()["id"])
    assert (added.title, added.position, response.json()["parent"]) == ("Tenir un kiosque", 1, body["parent"])
    assert outline(plan)[-3:] == ["    1.4.4", "    1.4.5", "    1.4.4"]


def test_an_item_without_parent_or_position_goes_last_at_the_top_level(
    plan: Plan, coordinator_api: Api
) -> None:
    response = coordinator_api.send("post", "/plans/plan/items", {"code": "2", "title": "Axe deux"})
    assert response.status_code == 201, response.content
    assert outline(plan) == [*ORIGINAL, "2"]
    assert response.json()["tracking"] is not None  # a new item without children is an action


def test_adding_an_item_is_refused_to_a_read_token_a_member_and_no_token(plan: Plan) -> None:
    refusals(lambda api: api.send("post", "/plans/plan/items", {"title": "Autre"}))
    assert outline(plan) == ORIGINAL


def test_an_item_without_title_or_with_a_parent_of_another_plan_is_refused(
    plan: Plan, coordinator: User
) -> None:
    other = make_plan(slug="other")
    api = Api(coordinator, Scope.WRITE, language="en")
    no_title = api.send("post", "/plans/plan/items", {"title": ""})
    assert no_title.status_code == 422 and "title" in no_title.json()["error"]["details"]
    elsewhere = api.send("post", "/plans/plan/items", {"title": "X", "parent": other.items.first().pk})
    assert elsewhere.status_code == 422 and error_code(elsewhere) == "invalid"
    assert "no item" in elsewhere.json()["error"]["message"]
    assert api.send("post", "/plans/plan/items", {"title": "X", "position": -1}).status_code == 422
    assert outline(plan) == ORIGINAL and Item.objects.count() == 2 * len(ORIGINAL)


# Moving items


def test_a_coordinator_moves_an_item_with_its_subtree(plan: Plan, coordinator_api: Api) -> None:
    moved = the(plan, "1.4")
    response = coordinator_api.send("post", f"/items/{moved.pk}/move", {"parent": None, "position": 0})
    assert response.status_code == 200, response.content
    assert response.json()["depth"] == 0 and response.json()["parent"] is None
    assert outline(plan) == ["1.4", "  1.4.4", "  1.4.4", "1", "  1.1", "    1.1.1.", "    1.1.2"]


def test_a_position_past_the_end_puts_the_item_last_under_its_new_parent(
    plan: Plan, coordinator_api: Api
) -> None:
    body = {"parent": the(plan, "1.4").pk, "position": 99}
    response = coordinator_api.send("post", f"/items/{the(plan, '1.1.1.').pk}/move", body)
    assert response.status_code == 200, response.content
    assert outline(plan) == ["1", "  1.1", "    1.1.2", "  1.4", "    1.4.4", "    1.4.4", "    1.1.1."]


def test_moving_is_refused_to_a_read_token_a_member_and_no_token(plan: Plan) -> None:
    path = f"/items/{the(plan, '1.4').pk}/move"
    refusals(lambda api: api.send("post", path, {"parent": None, "position": 0}))
    assert outline(plan) == ORIGINAL


def test_an_item_cannot_move_under_itself_below_itself_or_into_another_plan(
    plan: Plan, coordinator_api: Api
) -> None:
    other = make_plan(slug="other")
    axis = the(plan, "1")
    for parent in (axis.pk, the(plan, "1.4").pk, other.items.first().pk):
        refused = coordinator_api.send("post", f"/items/{axis.pk}/move", {"parent": parent, "position": 0})
        assert refused.status_code == 422 and "parent" in refused.json()["error"]["details"]
    assert coordinator_api.send("post", f"/items/{axis.pk}/move", {"parent": None}).status_code == 422
    assert outline(plan) == ORIGINAL


# Deleting items


def test_deleting_an_action_closes_the_gap_among_its_siblings(plan: Plan, coordinator_api: Api) -> None:
    response = coordinator_api.delete(f"/items/{the(plan, '1.1.1.').pk}")
    assert response.status_code == 204
    assert outline(plan) == ["1", "  1.1", "    1.1.2", "  1.4", "    1.4.4", "    1.4.4"]


def test_deleting_an_item_with_children_asks_for_confirmation_with_their_count(
    plan: Plan, coordinator: User
) -> None:
    api, axis = Api(coordinator, Scope.WRITE, language="en"), the(plan, "1.1")
    asked = api.delete(f"/items/{axis.pk}")
    assert asked.status_code == 409 and error_code(asked) == "confirmation_needed"
    assert asked.json()["error"]["details"] == {"below": 2} and "2 items" in asked.json()["error"]["message"]
    assert outline(plan) == ORIGINAL
    confirmed = api.delete(f"/items/{axis.pk}?confirm=true")
    assert confirmed.status_code == 204
    assert outline(plan) == ["1", "  1.4", "    1.4.4", "    1.4.4"]


def test_deleting_is_refused_to_a_read_token_a_member_and_no_token(plan: Plan) -> None:
    path = f"/items/{the(plan, '1.1.2').pk}?confirm=true"
    refusals(lambda api: api.delete(path))
    assert outline(plan) == ORIGINAL


# Publication


def adopted(plan: Plan) -> Plan:
    plan.status = PlanStatus.ADOPTED
    plan.save(update_fields=["status"])
    return plan


def test_a_coordinator_publishes_an_adopted_plan_and_takes_it_off(plan: Plan, coordinator_api: Api) -> None:
    adopted(plan)
    published = coordinator_api.send("put", "/plans/plan/publication", {"published": True})
    assert published.status_code == 200, published.content
    assert published.json()["published"] and published.json()["published_by"] == "coord"
    assert Plan.objects.published().get() == plan
    assert Api(person("martin")).get("/plans/plan/publication").json()["published"] is True
    taken_off = coordinator_api.send("put", "/plans/plan/publication", {"published": False})
    assert taken_off.json() == {"published": False, "published_at": None, "published_by": None}
    assert not Plan.objects.published().exists()


def test_a_draft_plan_is_not_published_and_the_reason_is_given(plan: Plan, coordinator: User) -> None:
    refused = Api(coordinator, Scope.WRITE, language="en").send(
        "put", "/plans/plan/publication", {"published": True}
    )
    assert refused.status_code == 422 and error_code(refused) == "publish_refused"
    assert "Only an adopted plan can be published" in refused.json()["error"]["message"]
    assert Plan.objects.get().published_at is None


def test_publishing_is_refused_to_a_read_token_a_member_and_no_token(
    plan: Plan, coordinator_api: Api
) -> None:
    adopted(plan)
    refusals(lambda api: api.send("put", "/plans/plan/publication", {"published": True}))
    assert coordinator_api.send("put", "/plans/plan/publication", {}).status_code == 422
    assert Plan.objects.get().published_at is None


# The public mark of a journal entry


def test_the_lead_of_an_action_marks_an_update_public_and_back(plan: Plan) -> None:
    update, lead = a_journal_entry(plan)
    api = Api(lead, Scope.WRITE)
    marked = api.send("patch", f"/updates/{update.pk}", {"public": True})
    assert marked.status_code == 200, marked.content
    assert marked.json()["public"] is True and marked.json()["text"] == "Atelier à Tegucigalpa"
    assert Update.objects.public().get() == update
    assert api.send("patch", f"/updates/{update.pk}", {"public": False}).json()["public"] is False
    assert not Update.objects.public().exists()


def test_marking_an_update_is_refused_to_a_read_token_a_member_and_no_token(
    plan: Plan, coordinator_api: Api
) -> None:
    update, _lead = a_journal_entry(plan)
    refusals(lambda api: api.send("patch", f"/updates/{update.pk}", {"public": True}))
    assert coordinator_api.send("patch", f"/updates/{update.pk}", {"public": "perhaps"}).status_code == 422
    assert not Update.objects.public().exists()


# Attachments


def test_the_lead_attaches_a_file_and_a_member_downloads_it(plan: Plan, media: Path) -> None:
    update, lead = a_journal_entry(plan)
    response = upload(Api(lead, Scope.WRITE), update, "compte-rendu.pdf", b"%PDF-1.4\x00\xff binary")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    body = response.json()
    assert body == {
        "id": attachment.pk,
        "update": update.pk,
        "name": "compte-rendu.pdf",
        "size": 17,
        "content_type": "application/pdf",
        "download": f"/api/v1/attachments/{attachment.pk}",
    }
    member = Api(person("martin"))
    assert member.get(f"/updates/{update.pk}/attachments").json() == [body]
    assert member.get(f"/items/{update.item_id}/updates").json()["items"][0]["attachments"] == [body]
    download = member.client.get(body["download"], headers=member.headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4\x00\xff binary"
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'


def test_a_file_larger_than_a_request_body_django_reads_whole_is_attached(
    plan: Plan, media: Path, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    update, lead = a_journal_entry(plan)
    response = upload(Api(lead, Scope.WRITE), update, "photo.png", b"\x89PNG\x00" * 1_000, "image/png")
    assert response.status_code == 201, response.content
    assert Attachment.objects.get().size == 5_000


def test_a_refused_type_or_an_oversized_file_is_refused_with_the_reason_and_nothing_is_kept(
    plan: Plan, media: Path, settings: Settings
) -> None:
    settings.JALON_MAX_ATTACHMENT_BYTES = 1_000_000
    update, lead = a_journal_entry(plan)
    api = Api(lead, Scope.WRITE, language="en")
    script = upload(api, update, "outil.exe", b"MZ", "application/octet-stream")
    assert script.status_code == 422 and error_code(script) == "invalid"
    assert "outil.exe: this kind of file cannot be attached" in script.json()["error"]["message"]
    large = upload(api, update, "scan.pdf", b"%" * 1_000_001)
    assert large.status_code == 422 and "scan.pdf is larger than 1 MB" in large.json()["error"]["message"]
    assert "file" in large.json()["error"]["details"]
    missing = api.post(f"/updates/{update.pk}/attachments")
    assert missing.status_code == 422
    assert not Attachment.objects.exists() and not any(media.rglob("*.*"))


def test_attaching_is_refused_to_a_read_token_a_member_outside_the_team_and_no_token(
    plan: Plan, media: Path
) -> None:
    update, _lead = a_journal_entry(plan)
    refusals(lambda api: upload(api, update, "note.txt", b"note"))
    assert not Attachment.objects.exists()


def test_a_file_is_downloaded_only_with_a_token(plan: Plan, media: Path) -> None:
    update, _lead = a_journal_entry(plan)
    kept = tracking.attachment_add(update=update, upload=SimpleUploadedFile("notes.txt", b"notes"))
    anonymous = Api(None)
    refused = anonymous.client.get(f"/api/v1/attachments/{kept.pk}")
    assert refused.status_code == 401 and error_code(refused) == "unauthenticated"
    member = Api(person("martin"))
    assert error_code(member.get(f"/attachments/{kept.pk + 1}")) == "not_found"
    assert member.get(f"/attachments/{kept.pk}")["Content-Type"] == "text/plain"


# History


def edit_title(item: Item, user: User, title: str) -> None:
    item.refresh_from_db()
    plan_services.item_edit(item=item, user=user, expected_version=item.version, changes={"title": title})


def test_the_history_of_an_item_says_who_changed_what_from_what_to_what(plan: Plan) -> None:
    coord = person("coord", Role.COORDINATOR)
    coord.first_name, coord.last_name = "Claire", "Roy"
    coord.save()
    item = the(plan, "1.1.2")
    edit_title(item, coord, "Pérenniser le CAIME")
    tracking.milestone_add(item=item, user=coord, title="Atelier", due_date=None)
    response = Api(person("martin"), language="en").get(f"/items/{item.pk}/history")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 2
    newest, title = response.json()["items"]
    assert (newest["what"], newest["after"], newest["who"]) == ("milestone added", "Atelier", "coord")
    assert (title["what"], title["before"], title["after"]) == (
        "title",
        "Travailler à la pérennisation du CAIME.",
        "Pérenniser le CAIME",
    )
    assert title["who_name"] == "Claire Roy"


def test_the_history_is_read_in_pages_with_as_many_queries_for_many_changes_as_for_few(plan: Plan) -> None:
    coord, item, api = person("coord", Role.COORDINATOR), the(plan, "1.1.2"), Api(person("martin"))
    edit_title(item, coord, "Un")
    history = f"/items/{item.pk}/history"
    api.queries(history, page_size=2)  # the first request warms caches the others share
    few = api.queries(history, page_size=2)
    for number in range(30):
        edit_title(item, coord, f"Titre {number}")
    assert api.queries(history, page_size=2) == few
    page = api.get(f"/items/{item.pk}/history", page_size=2, page=2).json()
    assert page["count"] == 31 and page["items"][0]["after"] == "Titre 27"


def test_the_history_is_refused_without_a_token_and_404_for_an_unknown_item(plan: Plan) -> None:
    refused = Api(None).get(f"/items/{the(plan, '1').pk}/history")
    assert refused.status_code == 401 and error_code(refused) == "unauthenticated"
    assert error_code(Api(person("martin")).get("/items/999999/history")) == "not_found"
