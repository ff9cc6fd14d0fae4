"""The address a request came from, as the person's machine, not the reverse proxy's.

Behind the proxy of docs/deploy.md (JALON_BEHIND_TLS_PROXY=1) every request reaches
Gunicorn from the proxy's own address; Caddy and nginx add the address they were reached
from at the end of X-Forwarded-For. Only that last entry is the proxy's word: anything
before it came from the client and may be made up. The header is believed only from the
proxy's addresses (JALON_PROXY_IPS), so that nobody reaching Gunicorn another way can name
an address of their choosing. The login throttle (django-axes) counts failures by it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if remote not in settings.JALON_PROXY_IPS:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return remote
