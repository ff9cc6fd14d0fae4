"""The shapes every part of the API shares: the error, progress, files and languages."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema


class ErrorBody(Schema):
    code: str = Field(description="A stable word for programs: not_found, forbidden, conflict…")
    message: str = Field(description="What went wrong, in plain words, in the caller's language.")
    details: Any = None


class Error(Schema):
    """Every error the API returns has this one shape."""

    error: ErrorBody


class Progress(Schema):
    actions: int
    progress: int = Field(description="Mean progress of the actions, cancelled ones left out, in percent.")
    by_status: dict[str, int]


class AxisProgress(Schema):
    id: int
    code: str
    title: str
    progress: Progress


# Files answer with their own content type; the document names it so clients (and the
# schema tests) know what comes back instead of JSON.
BINARY = {"schema": {"type": "string", "format": "binary"}}


def file_response(description: str, *content_types: str) -> dict[str, object]:
    """Return the OpenAPI extra that declares a 200 answer carrying a file."""
    # Jalon's JSON export is a document of its own, checked as JSON rather than as bytes.
    content = {
        kind: {"schema": {"type": "object"}} if kind == "application/json" else BINARY
        for kind in content_types
    }
    return {"responses": {200: {"description": description, "content": content}}}


Language = Literal["fr", "en"]
