"""The JSON API, version 1: what the web pages read and write, for programs.

Every request carries a personal access token (`Authorization: Bearer jalon_…`); the
token's owner meets the same permission checks as on the web (accounts/permissions.py),
and a read-only token never writes. Writes go through the same service functions as
the pages. Every error has one shape: {"error": {"code", "message", "details"}}."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import HttpError as NinjaHttpError
from ninja.errors import ValidationError as NinjaValidationError

from . import accounts, directory, exchange, iati, overview, plans, reports, results, tracking
from .base import ApiError, TokenAuth

api = NinjaAPI(
    title="Jalon API",
    version="1",
    description="The action plans, their items, tracking and journal, the directory of partners, "
    "places and themes, results, indicators and budgets, for programs. "
    "Authenticate with a personal access token created on your profile page.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return _error(request, error.status, error.code, error.message, error.details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: Exception) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("A valid access token is required."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return _error(request, 404, "not_found", _("Nothing is found at this address."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: Exception) -> HttpResponse:
    return _error(request, 403, "forbidden", _("Your account may not do this."))


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "invalid", _("The request is not valid."), error.errors)


@api.exception_handler(ValidationError)
def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    details = error.message_dict if hasattr(error, "error_dict") else error.messages
    return _error(request, 422, "invalid", _("The request is not valid."), details)


@api.exception_handler(NinjaHttpError)
def _http_error(request: HttpRequest, error: NinjaHttpError) -> HttpResponse:
    return _error(request, error.status_code, "error", str(error))


# One router per app, each calling that app's forms, reads and services. A path is served
# by the first router that declares it, so all the methods of one path live in one router.
for app in (plans, tracking, directory, results, overview, exchange, reports, iati, accounts):
    api.add_router("", app.router)
