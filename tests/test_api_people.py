"""The people page through the API: leads and above see who is who, coordinators and
administrators invite (only administrators make administrators), administrators change
roles but never their own, and a read-only token changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.api.models import Scope

from .api_client import Api, error_code
from .factories import person

pytestmark = pytest.mark.django_db

INVITATION = {"email": "Nadia@Example.org", "first_name": "Nadia", "role": Role.LEAD, "language": "en"}


# The list


def test_a_lead_sees_active_people_with_their_address_and_role() -> None:
    lead = person("lea", Role.LEAD)
    person("nadia", email="nadia@example.org", first_name="Nadia", last_name="Roy")
    person("parti", is_active=False)
    body = Api(lead).get("/people").json()
    assert body["count"] == 2
    nadia = next(row for row in body["items"] if row["username"] == "nadia")
    assert nadia["email"] == "nadia@example.org" and nadia["full_name"] == "Nadia Roy"
    assert nadia["role"] == Role.MEMBER
    assert "password" not in str(body)


def test_a_member_sees_nobody_and_no_address() -> None:
    person("nadia", email="nadia@example.org")
    refused = Api(person("martin")).get("/people")
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    assert "nadia@example.org" not in refused.content.decode()


def test_the_people_list_needs_a_token() -> None:
    assert Api(None).get("/people").status_code == 401


# Invitations


def test_a_coordinator_invites_someone_who_gets_the_e_mail_in_their_language() -> None:
    coordinator = person("coord", Role.COORDINATOR)
    created = Api(coordinator, Scope.WRITE).send("post", "/people", INVITATION)
    assert created.status_code == 201, created.content
    invited = User.objects.get(email="nadia@example.org")
    assert created.json()["id"] == invited.pk and invited.role == Role.LEAD
    assert invited.language == "en" and not invited.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@example.org"]
    assert mail.outbox[0].subject == "You are invited to Jalon"
    assert "http://testserver/" in mail.outbox[0].body


def test_an_administrator_invites_an_administrator_but_a_coordinator_cannot() -> None:
    body = INVITATION | {"role": Role.ADMIN}
    refused = Api(person("coord", Role.COORDINATOR), Scope.WRITE).send("post", "/people", body)
    assert refused.status_code == 422 and "role" in refused.json()["error"]["details"]
    assert not User.objects.filter(email="nadia@example.org").exists() and not mail.outbox
    created = Api(person("alex", Role.ADMIN), Scope.WRITE).send("post", "/people", body)
    assert created.status_code == 201 and User.objects.get(email="nadia@example.org").role == Role.ADMIN


@translation.override("en")
def test_an_address_that_already_has_an_account_is_refused_naming_the_field() -> None:
    person("nadia", email="nadia@example.org")
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE, language="en")
    refused = api.send("post", "/people", INVITATION)
    assert refused.status_code == 422 and error_code(refused) == "invalid"
    assert refused.json()["error"]["details"]["email"] == [
        "Someone with the address nadia@example.org already has an account."
    ]
    assert User.objects.filter(email__iexact="nadia@example.org").count() == 1 and not mail.outbox


def test_a_bad_address_or_language_is_refused_and_nothing_is_sent() -> None:
    api = Api(person("coord", Role.COORDINATOR), Scope.WRITE)
    for change in ({"email": "pas une adresse"}, {"language": "de"}, {"role": "boss"}):
        refused = api.send("post", "/people", INVITATION | change)
        assert refused.status_code == 422 and set(change) <= set(refused.json()["error"]["details"])
    assert api.send("post", "/people", {"first_name": "Nadia"}).status_code == 422
    assert User.objects.count() == 1 and not mail.outbox


def test_a_read_only_token_a_lead_and_no_token_cannot_invite() -> None:
    read_only = Api(person("coord", Role.COORDINATOR), Scope.READ).send("post", "/people", INVITATION)
    assert read_only.status_code == 403 and error_code(read_only) == "read_only_token"
    lead = Api(person("lea", Role.LEAD), Scope.WRITE).send("post", "/people", INVITATION)
    assert lead.status_code == 403 and error_code(lead) == "forbidden"
    assert Api(None).send("post", "/people", INVITATION).status_code == 401
    assert not User.objects.filter(email="nadia@example.org").exists() and not mail.outbox


# Roles


def test_an_administrator_changes_someones_role() -> None:
    martin = person("martin")
    changed = Api(person("alex", Role.ADMIN), Scope.WRITE).send(
        "patch", f"/people/{martin.pk}", {"role": "lead"}
    )
    assert changed.status_code == 200 and changed.json()["role"] == Role.LEAD
    martin.refresh_from_db()
    assert martin.role == Role.LEAD


def test_an_administrator_cannot_change_their_own_role() -> None:
    alex = person("alex", Role.ADMIN)
    refused = Api(alex, Scope.WRITE).send("patch", f"/people/{alex.pk}", {"role": "member"})
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    alex.refresh_from_db()
    assert alex.role == Role.ADMIN


def test_a_role_that_does_not_exist_is_refused() -> None:
    martin = person("martin")
    refused = Api(person("alex", Role.ADMIN), Scope.WRITE).send(
        "patch", f"/people/{martin.pk}", {"role": "boss"}
    )
    assert refused.status_code == 422 and "role" in refused.json()["error"]["details"]
    martin.refresh_from_db()
    assert martin.role == Role.MEMBER


def test_only_an_administrator_with_a_writing_token_changes_roles() -> None:
    martin = person("martin")
    path, body = f"/people/{martin.pk}", {"role": "admin"}
    read_only = Api(person("alex", Role.ADMIN), Scope.READ).send("patch", path, body)
    assert read_only.status_code == 403 and error_code(read_only) == "read_only_token"
    coordinator = Api(person("coord", Role.COORDINATOR), Scope.WRITE).send("patch", path, body)
    assert coordinator.status_code == 403 and error_code(coordinator) == "forbidden"
    assert Api(None).send("patch", path, body).status_code == 401
    martin.refresh_from_db()
    assert martin.role == Role.MEMBER


def test_changing_the_role_of_nobody_is_404() -> None:
    missing = Api(person("alex", Role.ADMIN), Scope.WRITE).send("patch", "/people/999999", {"role": "lead"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
