"""Nothing internal is reachable without signing in: every route of the project, walked
from the URL configuration itself so that a page added later is covered too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .routes import PUBLIC, named_routes, path_of

pytestmark = pytest.mark.django_db

# Any value of the right shape will do: the visitor is turned away before the lookup.
SAMPLE = {"slug": "plan-d-action-2024-2025", "int": "1", "str": "json", "path": "x"}

ROUTES = sorted((name, path_of(route, SAMPLE)) for name, route in named_routes())


def test_the_walk_finds_the_pages_of_every_app() -> None:
    names = {name for name, _path in ROUTES}
    assert {"plans:home", "plans:detail", "tracking:edit", "overview:dashboard", "accounts:people"} <= names


def is_api(name: str) -> bool:
    return name.startswith("api:")


@pytest.mark.parametrize(("name", "path"), [r for r in ROUTES if r[0] not in PUBLIC and not is_api(r[0])])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    client: Client, name: str, path: str, method: str
) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 302, f"{name} answered {response.status_code} to a visitor"
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize(("name", "path"), [r for r in ROUTES if r[0] not in PUBLIC and is_api(r[0])])
@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_an_api_call_without_a_token_is_refused(client: Client, name: str, path: str, method: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code in (401, 405), f"{name} answered {response.status_code} without a token"


@pytest.mark.parametrize(("name", "path"), [route for route in ROUTES if route[0] in PUBLIC])
def test_the_sign_in_pages_open_without_an_account(client: Client, name: str, path: str) -> None:
    response = client.get(path)
    assert response.status_code != 302 or not response["Location"].startswith(reverse("accounts:login"))


def test_a_demonstration_server_names_its_accounts_on_the_sign_in_page(client: Client, settings) -> None:
    from jalon.accounts.services import DEFAULT_DEMO_PASSWORD, demo_accounts_create

    demo_accounts_create(DEFAULT_DEMO_PASSWORD)
    settings.JALON_DEMO_ALLOWED = True
    text = client.get(reverse("accounts:login")).content.decode()
    assert all(f"<code>{name}</code>" in text for name in ("admin", "coordination", "responsable", "membre"))
    settings.JALON_DEMO_ALLOWED = False
    assert "<code>admin</code>" not in client.get(reverse("accounts:login")).content.decode()
