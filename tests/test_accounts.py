"""Signing in, lockout, passwords, invitations, roles and one's own profile."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from jalon.accounts.models import Role, User

from .factories import anonymous, person, signed_in

pytestmark = pytest.mark.django_db

PASSWORD = "une-phrase-de-passe-solide-2024"


def sign_in(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)  # type: ignore[union-attr]


def invite_data(**fields: str) -> dict[str, str]:
    return {
        "email": "nouvelle@example.org",
        "first_name": "Nour",
        "last_name": "Haddad",
        "role": Role.MEMBER,
        "language": "fr",
        **fields,
    }


# Signing in and out


def test_a_person_signs_in_with_the_right_password(client: Client) -> None:
    person("rosalie", password=PASSWORD)
    response = sign_in(client, "rosalie", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:home")
    assert client.session["_auth_user_id"]


def test_a_wrong_password_is_refused_with_a_message_in_french(client: Client) -> None:
    person("rosalie", password=PASSWORD)
    response = sign_in(client, "rosalie", "mauvais")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Saisissez" in response.content.decode() or "mot de passe" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client: Client) -> None:
    person("rosalie", password=PASSWORD)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "rosalie", "mauvais")
    response = sign_in(client, "rosalie", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15 minutes" in response.content.decode()


def test_signing_out_takes_a_post_and_returns_to_the_sign_in_page(member_client: Client) -> None:
    assert member_client.get(reverse("accounts:logout")).status_code == 405
    response = member_client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in member_client.session


def test_the_header_shows_the_name_and_a_sign_out_form_to_a_signed_in_person() -> None:
    client = signed_in(person("rosalie", first_name="Rosalie", last_name="Tremblay"))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Rosalie Tremblay" in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert "Se déconnecter" in html


def test_the_header_offers_to_sign_in_to_an_anonymous_visitor(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Se connecter" in html


def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]  # without the tests' quick hasher
    assert person("rosalie", password=PASSWORD).password.startswith("argon2")


# Passwords by e-mail


def test_the_reset_email_is_sent_and_its_link_sets_a_new_password(client: Client) -> None:
    person("rosalie", email="rosalie@example.org", password=PASSWORD)
    client.post(reverse("accounts:password_reset"), {"email": "rosalie@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosalie@example.org"]
    assert "mot de passe" in message.subject
    form_page = client.get(link_in(message.body), follow=True)
    assert form_page.context["validlink"]
    new = "un-tout-nouveau-secret-2025"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert sign_in(anonymous(), "rosalie", new).status_code == 302


def test_a_signed_in_person_changes_their_password() -> None:
    user = person("rosalie", password=PASSWORD)
    client = signed_in(user)
    new = "un-tout-nouveau-secret-2025"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(new)


# Invitations


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_coordinators_and_administrators_invite_someone_who_then_signs_in(role: str) -> None:
    client = signed_in(person("chef", role))
    response = client.post(reverse("accounts:invite"), invite_data())
    assert response["Location"] == reverse("accounts:people")
    invited = User.objects.get(email="nouvelle@example.org")
    assert (invited.first_name, invited.role, invited.has_usable_password()) == ("Nour", Role.MEMBER, False)
    assert mail.outbox[0].to == ["nouvelle@example.org"]
    guest = anonymous()
    form_page = guest.get(link_in(mail.outbox[0].body), follow=True)
    new = "un-tout-nouveau-secret-2025"
    guest.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert sign_in(anonymous(), invited.username, new).status_code == 302


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER])
def test_leads_and_members_may_not_invite(role: str) -> None:
    client = signed_in(person("rosalie", role))
    assert client.get(reverse("accounts:invite")).status_code == 403
    assert client.post(reverse("accounts:invite"), invite_data()).status_code == 403
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_before_inviting(client: Client) -> None:
    response = client.get(reverse("accounts:invite"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_coordinator_cannot_invite_an_administrator(coordinator: User) -> None:
    client = signed_in(coordinator)
    assert 'value="admin"' not in client.get(reverse("accounts:invite")).content.decode()
    response = client.post(reverse("accounts:invite"), invite_data(role=Role.ADMIN))
    assert response.status_code == 200
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_an_address_already_in_use_is_refused_on_the_form() -> None:
    client = signed_in(person("camille", Role.COORDINATOR, email="camille@example.org"))
    response = client.post(reverse("accounts:invite"), invite_data(email="camille@example.org"))
    assert response.status_code == 200
    assert "camille@example.org" in response.content.decode()
    assert mail.outbox == []


# People and roles


def test_an_administrator_changes_someones_role(administrator: User) -> None:
    rosalie = person("rosalie")
    client = signed_in(administrator)
    assert (
        f'action="{reverse("accounts:role_change", args=[rosalie.pk])}"'
        in client.get(reverse("accounts:people")).content.decode()
    )
    client.post(reverse("accounts:role_change", args=[rosalie.pk]), {"role": Role.LEAD})
    rosalie.refresh_from_db()
    assert rosalie.role == Role.LEAD


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LEAD, Role.MEMBER])
def test_only_an_administrator_changes_roles(role: str) -> None:
    rosalie = person("rosalie")
    client = signed_in(person("other", role))
    response = client.post(reverse("accounts:role_change", args=[rosalie.pk]), {"role": Role.ADMIN})
    assert response.status_code == 403
    rosalie.refresh_from_db()
    assert rosalie.role == Role.MEMBER


def test_an_administrator_cannot_change_their_own_role(administrator: User) -> None:
    client = signed_in(administrator)
    own_role = reverse("accounts:role_change", args=[administrator.pk])
    assert client.post(own_role, {"role": Role.MEMBER}).status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LEAD])
def test_coordinators_and_leads_read_the_people_page_without_role_forms(role: str) -> None:
    person("rosalie", first_name="Rosalie", last_name="Tremblay")
    client = signed_in(person("other", role))
    html = client.get(reverse("accounts:people")).content.decode()
    assert "Rosalie Tremblay" in html
    assert "role-form" not in html


def test_members_may_not_see_the_people_page_and_visitors_must_sign_in(client: Client) -> None:
    assert client.get(reverse("accounts:people")).status_code == 302
    client.force_login(person("rosalie"))
    assert client.get(reverse("accounts:people")).status_code == 403


# Profile and language


def test_the_profile_saves_the_preferred_language_and_sets_the_cookie() -> None:
    user = person("rosalie")
    client = signed_in(user)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Rosalie", "last_name": "Tremblay", "email": "rosalie@example.org", "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.language) == ("Rosalie", "en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My profile" in client.get(reverse("accounts:profile")).content.decode()


def test_signing_in_sets_the_language_the_person_prefers(client: Client) -> None:
    person("rosalie", password=PASSWORD, language="en")
    response = sign_in(client, "rosalie", PASSWORD)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_profile_links_to_the_password_change(member_client: Client) -> None:
    assert (
        reverse("accounts:password_change") in member_client.get(reverse("accounts:profile")).content.decode()
    )


# Every page


ANONYMOUS_PAGES = ["login", "password_reset", "password_reset_done", "password_reset_complete"]
SIGNED_IN_PAGES = ["profile", "password_change", "password_change_done", "people", "invite"]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES + SIGNED_IN_PAGES)
def test_every_account_page_renders_in_french_with_one_h1(client: Client, name: str) -> None:
    if name in SIGNED_IN_PAGES:
        client.force_login(person("alex", Role.ADMIN))
    response = client.get(reverse(f"accounts:{name}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<html lang="fr">' in html


def test_the_lockout_page_renders_in_french_with_one_h1(client: Client) -> None:
    person("rosalie", password=PASSWORD)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = sign_in(client, "rosalie", "mauvais")
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<html lang="fr">' in html


def test_an_invalid_set_password_link_says_so(client: Client) -> None:
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "faux"})
    response = client.get(url)
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


# Behind the reverse proxy of docs/deploy.md


def test_behind_the_proxy_the_address_is_the_last_one_the_proxy_forwarded(rf: Any, settings: Any) -> None:
    from jalon.lib.client_ip import client_ip

    settings.JALON_PROXY_IPS = ["127.0.0.1", "::1"]
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7"}
    assert client_ip(rf.get("/", **forwarded)) == "203.0.113.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="2001:db8::5")) == "2001:db8::5"
    # From anyone else, or made up, the header is not believed.
    assert client_ip(rf.get("/", **(forwarded | {"REMOTE_ADDR": "198.51.100.2"}))) == "198.51.100.2"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="nonsense")) == "127.0.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    settings.JALON_PROXY_IPS = []
    assert client_ip(rf.get("/", **forwarded)) == "127.0.0.1"


def test_behind_the_proxy_wrong_passwords_from_one_address_do_not_lock_out_another(
    client: Client, settings: Any
) -> None:
    settings.JALON_PROXY_IPS = ["127.0.0.1", "::1"]
    person("rosalie", password=PASSWORD)
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "rosalie", "password": "mauvais"}, **attacker)
    locked = client.post(reverse("accounts:login"), {"username": "rosalie", "password": PASSWORD}, **attacker)
    assert locked.status_code == 429
    rosalie = Client().post(
        reverse("accounts:login"),
        {"username": "rosalie", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert rosalie.status_code == 302


def test_the_first_administrator_made_by_createsuperuser_is_shown_as_an_administrator(
    monkeypatch: Any,
) -> None:
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="premiere", email="premiere@example.org")
    first = User.objects.get(username="premiere")
    assert first.is_superuser and first.is_administrator
    assert first.role == Role.ADMIN
