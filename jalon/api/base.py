"""What every API operation shares: the token check, pages, errors, and lookups."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer

from jalon.accounts.models import User
from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item
from jalon.tracking.models import Tracking

from . import schemas
from .models import Token
from .services import token_user


class Pages(PageNumberPagination):
    """Pages of at most 100 rows; a page number past any real plan is refused, not sent
    to the database, where it would overflow the OFFSET."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Token | None:
        _refuse_nul_characters(request)
        found = token_user(token)
        if found is not None:
            request.user = found.user
            request.token = found  # type: ignore[attr-defined]
        return found


def _refuse_nul_characters(request: HttpRequest) -> None:
    # PostgreSQL cannot store a NUL character in text and would fail mid-request; web
    # forms refuse it through Django's validator, the API refuses it here, before anything.
    query = "".join(f"{key}{value}" for key, values in request.GET.lists() for value in values)
    if "\x00" in query or b"\\u0000" in request.body or b"\x00" in request.body:
        raise ApiError(422, "invalid", _("Text cannot contain the NUL character (U+0000)."))


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


ERRORS: dict[int, type[Schema]] = {code: schemas.Error for code in (400, 401, 403, 404, 409, 422)}


def reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_read_internal(user):
        raise PermissionDenied
    return user


def writer(request: HttpRequest, allowed: bool) -> User:
    user = reader(request)
    if not request.token.can_write:  # type: ignore[attr-defined]
        raise ApiError(403, "read_only_token", _("This token may only read."))
    if not allowed:
        raise PermissionDenied
    return user


def item_of(pk: int) -> Item:
    return get_object_or_404(items_of_any_plan(), pk=pk)


def items_of_any_plan() -> QuerySet[Item]:
    trackings = Tracking.objects.prefetch_related("leads", "team")
    return Item.objects.select_related("plan").prefetch_related(
        Prefetch("tracking", queryset=trackings), "children"
    )
