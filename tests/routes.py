"""Every named route of the project, walked from the URL configuration itself so that a
page added later is covered too, and the few a visitor without an account may open. Shared
by the access tests and the portal's walk of the demo."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

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


def named_routes(
    patterns: list | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Yield (name, route as written) for every named route, namespaces included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def path_of(route: str, values: dict[str, str]) -> str:
    """Return the path of `route` with each parameter given the value for its converter
    (slug, int, str...), or "x"."""

    def value(match: re.Match[str]) -> str:
        converter = match[1] or "str"
        return values.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)
