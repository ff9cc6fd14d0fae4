"""The shapes of one's profile and of the people page in the API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class Me(Schema):
    username: str
    full_name: str
    first_name: str
    last_name: str
    email: str
    role: str
    language: str
    scope: str


class MeChange(Schema):
    """What the profile page changes; fields left out keep their value."""

    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    language: str | None = Field(None, description="fr or en: the pages' and the API's language.")


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    role: str

    @staticmethod
    def resolve_full_name(person: Any) -> str:
        return str(person.get_full_name())


class Invitation(Schema):
    email: str
    first_name: str = ""
    last_name: str = ""
    role: str = Field(
        "member", description="admin, coordinator, lead or member; only administrators invite administrators."
    )
    language: str = Field(
        "fr", description="The language of the invitation e-mail and of the interface: fr or en."
    )


class RoleChange(Schema):
    role: str = Field(description="admin, coordinator, lead or member.")
