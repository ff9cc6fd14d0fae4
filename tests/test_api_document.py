"""The published API document is a promise to every program written against it: moving
code around must not change a path, a parameter, a schema or an operation's id."""

from __future__ import annotations

import json

from django.test import Client

from .paths import EXAMPLES

PINNED = EXAMPLES / "openapi-v1.json"


def test_the_api_document_is_the_one_published(db: None) -> None:
    published = Client().get("/api/v1/openapi.json").json()
    # To publish a deliberate change, write the new document over the pinned one:
    # .venv/bin/python -m tests.pin_api_document
    assert published == json.loads(PINNED.read_text(encoding="utf-8"))
