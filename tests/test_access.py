"""Nothing internal is reachable without signing in: every route of the project, walked
from the URL configuration itself so that a page added later is covered too."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# The only pages a visitor without an account may open: signing in, recovering a
# password, and choosing the language of those pages.
PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
    # The API's description is no secret; its operations answer to tokens (test_api.py).
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",  # an empty page that lists nothing
    # The public portal shows published plans only, and nothing internal (test_portal.py).
    "portal:home",
    "portal:plan",
    "portal:item",
    "portal:branch",
    "portal:map",
    "portal:partners",
    # The health check says whether the database answers and the queue moves, no more.
    "operations:healthz",
}

# Any value of the right shape will do: the visitor is turned away before the lookup.
SAMPLE = {"slug": "plan-d-action-2024-2025", "int": "1", "str": "json", "path": "x"}


def routes(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """Yield (name, sample path) for every named route, namespaces included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", "/" + sample_path(prefix + str(pattern.pattern))


def sample_path(route: str) -> str:
    def value(match: re.Match[str]) -> str:
        converter = match[1] or "str"
        return SAMPLE.get(converter, "x")

    return re.sub(r"<(?:(\w+):)?\w+>", value, route)


ROUTES = sorted(routes(get_resolver().url_patterns))


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
