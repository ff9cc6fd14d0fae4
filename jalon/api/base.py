"""What every API operation shares: the token check, pages, errors, and lookups."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer

from jalon.accounts.models import User
from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item, Plan
from jalon.tracking.models import Tracking
from jalon.tracking.rollups import Rollup

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
            _speak_the_owners_language(request, found.user)
        return found


def _speak_the_owners_language(request: HttpRequest, user: User) -> None:
    # A program sends no language cookie: its messages come in the language its owner
    # chose on their profile, else in French as the site speaks by default.
    if user.language in dict(settings.LANGUAGES):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


def _refuse_nul_characters(request: HttpRequest) -> None:
    # PostgreSQL cannot store a NUL character in text and would fail mid-request; web
    # forms refuse it through Django's validator, the API refuses it here, before anything.
    if any("\x00" in text for text in _texts_of(request)):
        raise ApiError(422, "invalid", _("Text cannot contain the NUL character (U+0000)."))


def _texts_of(request: HttpRequest) -> list[str]:
    """Return every text of the request: the query, and the JSON body or the form fields
    and file names. A file's own bytes are not text (every XLSX and PDF holds NUL bytes)
    and go to storage or a parser, so an upload's body is never read whole here, which
    would also cap it at DATA_UPLOAD_MAX_MEMORY_SIZE."""
    fields = list(request.GET.lists())
    if request.content_type == "multipart/form-data":
        fields += request.POST.lists()
        fields += [(key, [upload.name or "" for upload in uploads]) for key, uploads in request.FILES.lists()]
    else:
        body = request.body.decode("utf-8", errors="replace")
        fields.append(("", [body.replace("\\u0000", "\x00")]))
    return [f"{key}{value}" for key, values in fields for value in values]


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


def plan_of(slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


def item_of(pk: int) -> Item:
    return get_object_or_404(items_of_any_plan(), pk=pk)


def items_of_any_plan() -> QuerySet[Item]:
    trackings = Tracking.objects.prefetch_related("leads", "team")
    return Item.objects.select_related("plan").prefetch_related(
        Prefetch("tracking", queryset=trackings), "children"
    )


def progress_out(rollup: Rollup) -> dict[str, Any]:
    """Return a rollup in the API's Progress shape."""
    return {"actions": rollup.actions, "progress": rollup.progress, "by_status": dict(rollup.counts)}


def checked(form: Any) -> Any:
    """Return the page's form once it accepts the data, so the API accepts exactly what the
    page does; otherwise refuse with 422 and one list of messages per field, as the pages
    show them beside the fields."""
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    return form


def form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Return the fields as a page's form posts them: lists typed one per line, and no key
    at all for an unticked box or an empty choice (a zero is a value, so not by truth)."""
    return {
        key: "\n".join(value) if isinstance(value, list) else value
        for key, value in fields.items()
        if value is not None and value is not False
    }


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """Return a file to download, named as the page names it."""
    headers = {"Content-Disposition": content_disposition_header(True, filename)}
    return HttpResponse(content, content_type=content_type, headers=headers)
