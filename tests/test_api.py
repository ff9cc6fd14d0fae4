"""The JSON API under /api/v1/: tokens, the same permissions as the web, one error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from jalon.accounts.models import Role
from jalon.api.models import Scope, Token
from jalon.api.services import token_create, token_revoke
from jalon.plans.models import Item, Plan
from jalon.tracking import services as tracking
from jalon.tracking.models import Status, Tracking, Update

from .api_client import Api, error_code
from .factories import make_plan, person, signed_in, wide_tree

pytestmark = pytest.mark.django_db


def action(plan: Plan, code: str = "1.1.2") -> Item:
    return plan.items.filter(code=code).order_by("path").first()


# Tokens


def test_without_a_token_the_api_answers_401_in_its_error_shape(plan: Plan) -> None:
    response = Api(None).get("/plans")
    assert response.status_code == 401 and error_code(response) == "unauthenticated"


def test_a_revoked_or_wrong_token_is_refused(plan: Plan) -> None:
    api = Api(person("martin"))
    token = Token.objects.get()
    token_revoke(token=token)
    assert api.get("/plans").status_code == 401
    api.headers = {"Authorization": "Bearer jalon_not-a-token"}
    assert api.get("/plans").status_code == 401


def test_the_token_of_a_deactivated_person_stops_working(plan: Plan) -> None:
    someone = person("martin")
    api = Api(someone)
    assert api.get("/plans").status_code == 200
    someone.is_active = False
    someone.save()
    assert api.get("/plans").status_code == 401


def test_only_the_hash_of_a_token_is_stored() -> None:
    _token, secret = token_create(user=person("martin"), name="script")
    stored = Token.objects.get()
    assert secret.startswith("jalon_") and secret not in (stored.digest, stored.hint)
    assert stored.last_used_at is None


def test_me_says_who_the_token_belongs_to() -> None:
    body = Api(person("martin"), Scope.WRITE).get("/me").json()
    assert body == {
        "username": "martin",
        "full_name": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "member",
        "language": "",
        "scope": "write",
    }


def test_anyone_changes_their_own_profile_as_on_the_profile_page() -> None:
    martin = person("martin")
    changed = Api(martin, Scope.WRITE).send("patch", "/me", {"first_name": "Martin", "language": "en"})
    assert changed.status_code == 200
    assert changed.json()["full_name"] == "Martin" and changed.json()["language"] == "en"
    martin.refresh_from_db()
    assert (martin.first_name, martin.language, martin.role) == ("Martin", "en", "member")


def test_a_profile_change_is_refused_with_a_read_only_token_or_a_bad_value() -> None:
    martin = person("martin")
    person("louise", email="louise@exemple.org")
    read_only = Api(martin).send("patch", "/me", {"first_name": "Martin"})
    assert read_only.status_code == 403 and error_code(read_only) == "read_only_token"
    writer = Api(martin, Scope.WRITE)
    assert error_code(writer.send("patch", "/me", {"language": "de"})) == "invalid"
    taken = writer.send("patch", "/me", {"email": "LOUISE@exemple.org"})
    # One list of plain messages per field, as the page shows them beside the field.
    assert taken.status_code == 422 and len(taken.json()["error"]["details"]["email"]) == 1
    martin.refresh_from_db()
    assert (martin.first_name, martin.language, martin.email) == ("", "", "")
    assert Api(None).send("patch", "/me", {"first_name": "x"}).status_code == 401


# Reading


def test_a_member_lists_plans_with_pagination(plan: Plan) -> None:
    make_plan(slug="autre", title="Autre plan")
    body = Api(person("martin")).get("/plans").json()
    assert body["count"] == 2
    assert [found["slug"] for found in body["items"]] == ["autre", "plan"]
    assert body["items"][1]["item_count"] == 7


def test_a_plan_reads_with_its_progress_by_axis(plan: Plan) -> None:
    coordinator = person("coord", Role.COORDINATOR)
    tracking.action_update(item=action(plan), user=coordinator, expected_version=1, changes={"progress": 40})
    body = Api(person("martin")).get("/plans/plan").json()
    assert body["progress"]["actions"] == 4 and body["progress"]["progress"] == 10
    assert body["axes"][0]["code"] == "1" and body["axes"][0]["progress"]["by_status"] == {
        "not_started": 3,
        "in_progress": 1,
    }


def test_items_filter_by_status_lead_and_text(plan: Plan) -> None:
    lead = person("lea", Role.LEAD)
    mine = action(plan)
    tracking.action_update(
        item=mine, user=lead, expected_version=1, changes={"status": Status.DELAYED}, leads=[lead]
    )
    api = Api(person("martin"))
    assert [i["id"] for i in api.get("/plans/plan/items", status="delayed").json()["items"]] == [mine.pk]
    assert [i["id"] for i in api.get("/plans/plan/items", lead="lea").json()["items"]] == [mine.pk]
    assert [i["code"] for i in api.get("/plans/plan/items", q="perennisation caime").json()["items"]] == [
        "1.1.2"
    ]
    assert api.get("/plans/plan/items", actions_only=True).json()["count"] == 4
    assert api.get("/plans/plan/items", status="sleeping").status_code == 422


def test_an_untracked_action_reads_as_not_started_at_version_1(plan: Plan) -> None:
    body = Api(person("martin")).get(f"/items/{action(plan).pk}").json()
    assert body["tracking"]["status"] == "not_started" and body["tracking"]["version"] == 1
    axis = plan.items.get(code="1")
    assert Api(person("marie")).get(f"/items/{axis.pk}").json()["tracking"] is None


def test_listing_items_takes_as_many_queries_for_500_items_as_for_7() -> None:
    make_plan(slug="petit")
    make_plan(slug="grand", items=wide_tree(500))
    api = Api(person("martin"))
    api.queries("/plans/petit/items")
    assert api.queries("/plans/grand/items") == api.queries("/plans/petit/items")


def test_an_unknown_plan_or_item_is_404_in_the_error_shape(plan: Plan) -> None:
    api = Api(person("martin"))
    assert error_code(api.get("/plans/nothing")) == "not_found"
    assert api.get("/items/999999").status_code == 404


def test_search_ignores_accents_and_case(plan: Plan) -> None:
    body = Api(person("martin")).get("/search", q="QUEBEC").json()
    assert [found["code"] for found in body["items"]] == ["1.4"]


# Writing


def test_a_lead_changes_the_tracking_of_their_action_with_a_write_token(plan: Plan) -> None:
    lead = person("lea", Role.LEAD)
    mine = action(plan)
    tracking.tracking_for(mine).leads.add(lead)
    response = Api(lead, Scope.WRITE).send(
        "patch", f"/items/{mine.pk}/tracking", {"version": 1, "progress": 60}
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["tracking"]["progress"] == 60
        and response.json()["tracking"]["status"] == "in_progress"
    )


def test_a_read_token_never_writes(plan: Plan) -> None:
    coordinator = person("coord", Role.COORDINATOR)
    response = Api(coordinator, Scope.READ).send(
        "patch", f"/items/{action(plan).pk}/tracking", {"version": 1}
    )
    assert response.status_code == 403 and error_code(response) == "read_only_token"


def test_a_lead_cannot_change_an_action_of_someone_else_by_its_address(plan: Plan) -> None:
    lead = person("lea", Role.LEAD)
    other = action(plan, "1.1.1.")
    response = Api(lead, Scope.WRITE).send(
        "patch", f"/items/{other.pk}/tracking", {"version": 1, "progress": 5}
    )
    assert response.status_code == 403 and error_code(response) == "forbidden"
    assert not Tracking.objects.filter(item=other, progress=5).exists()


def test_a_stale_version_is_refused_with_409_and_the_current_state(plan: Plan) -> None:
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    url = f"/items/{action(plan).pk}/tracking"
    assert api.send("patch", url, {"version": 1, "progress": 20}).status_code == 200
    response = api.send("patch", url, {"version": 1, "progress": 90})
    assert response.status_code == 409 and error_code(response) == "conflict"
    assert response.json()["error"]["details"]["tracking"]["progress"] == 20


def test_bad_values_are_refused_with_422_naming_the_field(plan: Plan) -> None:
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    response = api.send("patch", f"/items/{action(plan).pk}/tracking", {"version": 1, "progress": 140})
    assert response.status_code == 422 and error_code(response) == "invalid"
    assert "progress" in str(response.json()["error"]["details"])
    response = api.send("patch", f"/items/{action(plan).pk}/tracking", {"version": 1, "leads": ["personne"]})
    assert response.status_code == 422 and "personne" in response.json()["error"]["message"]


def test_a_coordinator_edits_an_item_title_and_a_member_cannot(plan: Plan) -> None:
    item = action(plan)
    body = {"version": item.version, "title_en": "Make CAIME last"}
    assert Api(person("martin"), Scope.WRITE).send("patch", f"/items/{item.pk}", body).status_code == 403
    response = Api(person("coord", Role.COORDINATOR), Scope.WRITE).send("patch", f"/items/{item.pk}", body)
    assert response.status_code == 200 and response.json()["title_en"] == "Make CAIME last"


def test_an_update_is_posted_and_read_back_newest_first(plan: Plan) -> None:
    lead = person("lea", Role.LEAD)
    mine = action(plan)
    tracking.tracking_for(mine).leads.add(lead)
    api = Api(lead, Scope.WRITE)
    body = {"text": "Atelier à **Tegucigalpa**", "progress": 30, "links": [{"url": "https://example.org/r"}]}
    response = api.send("post", f"/items/{mine.pk}/updates", body)
    assert response.status_code == 201, response.content
    listed = api.get(f"/items/{mine.pk}/updates").json()
    assert listed["count"] == 1 and listed["items"][0]["links"][0]["url"] == "https://example.org/r"
    assert Update.objects.get().author == lead and Tracking.objects.get(item=mine).progress == 30


def test_a_member_outside_the_team_cannot_post_an_update(plan: Plan) -> None:
    response = Api(person("martin"), Scope.WRITE).send(
        "post", f"/items/{action(plan).pk}/updates", {"text": "x"}
    )
    assert response.status_code == 403


# The document


def test_the_openapi_document_describes_every_operation_and_the_error_shape(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Jalon API"
    assert {"/api/v1/plans", "/api/v1/items/{pk}/tracking", "/api/v1/items/{pk}/updates"} <= set(
        document["paths"]
    )
    assert "Error" in document["components"]["schemas"]


def test_the_api_viewer_loads_its_scripts_from_this_server(client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower() and "/static/ninja/" in html


# The tokens page


def test_a_person_creates_a_token_sees_it_once_and_revokes_it() -> None:
    someone = person("martin")
    client = signed_in(someone)
    created = client.post("/comptes/jetons/", {"name": "rapport mensuel", "scope": "write"})
    assert created.status_code == 201
    token = Token.objects.get(user=someone)
    secret = created.context["secret"]
    assert secret in created.content.decode() and token.can_write
    assert secret not in client.get("/comptes/jetons/").content.decode()
    assert (
        Api(None).client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    assert client.post(f"/comptes/jetons/{token.pk}/revoquer/").status_code == 302
    assert (
        Api(None).client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_nobody_revokes_the_token_of_someone_else() -> None:
    token, _secret = token_create(user=person("martin"), name="script")
    client = signed_in(person("intrus", Role.ADMIN))
    assert client.post(f"/comptes/jetons/{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_lead_adds_and_marks_a_milestone_of_their_action(plan: Plan) -> None:
    lead = person("lea", Role.LEAD)
    mine = action(plan)
    tracking.tracking_for(mine).leads.add(lead)
    api = Api(lead, Scope.WRITE)
    created = api.send("post", f"/items/{mine.pk}/milestones", {"title": "Atelier", "due_date": "2025-03-01"})
    assert created.status_code == 201, created.content
    marked = api.send("patch", f"/milestones/{created.json()['id']}", {"done_on": "2025-02-27"})
    assert marked.json()["done_on"] == "2025-02-27"
    assert [m["title"] for m in api.get(f"/items/{mine.pk}/milestones").json()] == ["Atelier"]
    other = Api(person("autre", Role.LEAD), Scope.WRITE)
    assert other.send("patch", f"/milestones/{created.json()['id']}", {"done_on": None}).status_code == 403


def test_a_nul_character_is_refused_before_it_reaches_the_database(plan: Plan) -> None:
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    assert error_code(api.get("/search", q="qu\x00ebec")) == "invalid"
    refused = api.send("patch", f"/items/{action(plan).pk}", {"version": 1, "title": "a\u0000b"})
    assert refused.status_code == 422
    assert Api(person("martin")).get("/search", q="quebec").status_code == 200


def test_the_search_page_ignores_a_nul_character(member_client: Client, plan: Plan) -> None:
    assert member_client.get("/recherche/", {"q": "qu\x00ebec"}).status_code == 200


def test_the_api_answers_in_the_language_its_owner_chose(plan: Plan) -> None:
    english = person("martin")
    english.language = "en"
    english.save()
    message = Api(english).get("/plans/nowhere").json()["error"]["message"]
    assert message == "Nothing is found at this address."
    french = Api(person("louise"))
    assert french.get("/plans/nowhere").json()["error"]["message"] == "Rien ne se trouve à cette adresse."
