"""A program calling the JSON API under /api/v1/ with one person's token, and the one error
shape every refusal of the API takes. Shared by the API's test files."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jalon.accounts.models import User
from jalon.api.models import Scope
from jalon.api.services import token_create

from .factories import anonymous


def bearer(user: User, scope: str = Scope.READ, name: str = "script") -> dict[str, str]:
    """Return the headers of a request made with a new token of `user`."""
    _token, secret = token_create(user=user, name=name, scope=scope)
    return {"Authorization": f"Bearer {secret}"}


class Api:
    """A program calling the API with one person's token, or with none. The API speaks the
    language chosen with the site's switch, kept in its cookie: French unless `language`."""

    def __init__(self, user: User | None, scope: str = Scope.READ, language: str | None = None) -> None:
        self.client = anonymous(language)
        self.headers = bearer(user, scope) if user is not None else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        call = getattr(self.client, method)
        return call(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def post(self, path: str, fields: dict[str, Any] | None = None) -> Any:
        """Post a multipart form, files included, or nothing (`send` posts JSON)."""
        return self.client.post(f"/api/v1{path}", fields or {}, headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.headers)

    def queries(self, path: str, **params: Any) -> int:
        """Return how many database queries the answer to a GET of `path` takes; it must be 200."""
        with CaptureQueriesContext(connection) as captured:
            assert self.get(path, **params).status_code == 200, path
        return len(captured)


def error_code(response: Any) -> str:
    """Return the code of an error answer, checking that it has the API's one error shape."""
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return str(body["error"]["code"])
