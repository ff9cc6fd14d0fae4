"""The API's routes. They answer to tokens, not to the web session: the site-wide
sign-in redirect does not apply, and each operation checks its token itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required

from .v1 import api


def _token_routes(urls: tuple[list[Any], str, str]) -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


urlpatterns, app_name, _namespace = _token_routes(api.urls)  # type: ignore[arg-type]
