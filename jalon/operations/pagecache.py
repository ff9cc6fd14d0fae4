"""Pages answered from a cache while nothing in the database has changed.

A page is the same for the same reader as long as no row changed: each GET that answers
200 is kept, keyed on who asks (their account, or the token of a program), the address,
the language, the day, whether htmx asked for a partial, and the *data version*; the next
identical request is answered from the cache without running the view. The data version
changes whenever anything is written, by any process: on SQLite the database file and its
write-ahead log change (their size and time), on PostgreSQL the next transaction id moves
(only transactions that write take one), and within this process every INSERT, UPDATE or
DELETE counts too (a test's writes share one transaction). So no write service has to
remember to invalidate anything, and a page is never older than the last write.

What is never kept: anything but a 200 to a GET, a response that sets a cookie or streams
a file, a page with a message to show once, and a view marked `page_cache_exempt`. A
visitor's first page (no CSRF cookie yet) is answered from what the previous first visit
saw, with the forms' token made from a new secret, which the CSRF middleware then sets
as a cookie, exactly as if the page had been rendered for them."""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

# The first word of a statement that changes data or its shape.
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE)\b", re.IGNORECASE)
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Vary", "Cache-Control", "Expires")

_writes = itertools.count()
_written = [0]


def _count_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    if WRITE.match(sql):
        _written[0] = next(_writes) + 1
    return execute(sql, params, many, context)


@receiver(connection_created)
def _watch(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _count_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count_writes)


def data_version() -> str | None:
    """Return a value that changes whenever any process writes to the database, or None
    when it cannot be known (an in-memory database is private to its process)."""
    external = _database_version()
    return None if external is None else f"{external}/{os.getpid()}:{_written[0]}"


def _database_version() -> str | None:
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name or not os.path.exists(name):
            return "memory" if _in_memory_ok() else None
        return ",".join(_stat(path) for path in (name, name + "-wal"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())")
            return str(cursor.fetchone()[0])
    return None


def _in_memory_ok() -> bool:
    # An in-memory database lives in this process alone: its own writes are all it sees.
    return bool(getattr(settings, "JALON_PAGE_CACHE_IN_MEMORY_DATABASE", False))


def _stat(path: str) -> str:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return "-"
    return f"{found.st_mtime_ns}:{found.st_size}"


class PageCacheMiddleware:
    """Answer a GET from the cache when the same reader asked the same page since the last
    write; keep the answer otherwise. Placed after the session, language and sign-in
    middleware, so that the reader is known, and before the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        kept = cache.get(key)
        if kept is not None:
            return self._answer(request, kept)
        response = self.get_response(request)
        if self._keepable(request, response):
            cache.set(key, self._kept(response), settings.JALON_PAGE_CACHE_SECONDS)
        return response

    def _key(self, request: HttpRequest) -> str | None:
        if request.method != "GET" or not settings.JALON_PAGE_CACHE_SECONDS or _has_messages(request):
            return None
        reader = self._reader(request)
        version = data_version() if reader is not None else None
        if reader is None or version is None:
            return None
        parts = [
            reader,
            request.get_full_path(),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            version,
        ]
        return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _reader(self, request: HttpRequest) -> str | None:
        # A program is known by its token, a person by the account their session names
        # (with its password's hash, so a new password is a new reader), a visitor by the
        # CSRF cookie their first page set; the forms of a page carry that secret. The
        # account itself is not read: deactivating it, or changing its role, is a write.
        authorization = request.headers.get("Authorization", "")
        if authorization:
            return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if not csrf:
            has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
            return None if has_session else "visitor:first-visit"
        session = getattr(request, "session", None)
        user_id = session.get(SESSION_KEY) if session is not None else None
        who = f"user:{user_id}:{session.get(HASH_SESSION_KEY, '')}" if session and user_id else "visitor"
        return f"{who}:{csrf}"

    def _keepable(self, request: HttpRequest, response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            # The CSRF cookie a view sets itself is set again on every answer from the cache.
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and not getattr(response, "page_cache_exempt", False)
        )

    def _kept(self, response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
        headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
        return response.content, headers

    def _answer(self, request: HttpRequest, kept: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
        body, headers = kept
        if b"csrfmiddlewaretoken" in body:
            # Each answer carries its forms' token freshly masked, as a rendered page does.
            token = get_token(request).encode()
            body = CSRF_INPUT.sub(lambda match: match[1] + token + match[3], body)
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        return response


def _has_messages(request: HttpRequest) -> bool:
    """Return whether a message waits to be shown once (kept in a cookie, else the session)."""
    if "messages" in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return session is not None and "_messages" in session


def page_cache_exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose answer depends on more than the database (the health check)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        response.page_cache_exempt = True  # type: ignore[attr-defined]
        return response

    return wrapper
