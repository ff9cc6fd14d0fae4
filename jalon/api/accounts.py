"""Who I am and the people of the site: the profile page and the people page."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.forms import InviteForm, ProfileForm, RoleForm
from jalon.accounts.models import User
from jalon.accounts.permissions import can_change_roles, can_manage_people, can_see_people
from jalon.accounts.services import user_invite

from .accounts_schemas import Invitation, Me, MeChange, PersonOut, RoleChange
from .base import ERRORS, Pages, checked, reader, writer

router = Router(tags=["people"])


@router.get("/me", response={200: Me, **ERRORS}, tags=["people"], operation_id="jalon_api_plans_me")
def me(request: HttpRequest) -> dict[str, Any]:
    return _me(reader(request), request)


@router.patch("/me", response={200: Me, **ERRORS}, tags=["people"], operation_id="jalon_api_plans_me_change")
def me_change(request: HttpRequest, change: MeChange) -> dict[str, Any]:
    # Everyone may change their own profile, as on the profile page; the form checks it.
    user = writer(request, True)
    current = {name: getattr(user, name) for name in ("first_name", "last_name", "email", "language")}
    form = ProfileForm(current | change.dict(exclude_unset=True, exclude_none=True), instance=user)
    checked(form)
    return _me(form.save(), request)


def _me(user: User, request: HttpRequest) -> dict[str, Any]:
    fields = ("username", "first_name", "last_name", "email", "role", "language")
    return {name: getattr(user, name) for name in fields} | {
        "full_name": user.get_full_name(),
        "scope": request.token.scope,  # type: ignore[attr-defined]
    }


@router.get("/people", response={200: list[PersonOut], **ERRORS}, operation_id="jalon_api_people_people")
@paginate(Pages, page_size=100)
def people(request: HttpRequest) -> QuerySet[User]:
    # Members are refused, as on the web, so they never read the e-mail addresses.
    if not can_see_people(reader(request)):
        raise PermissionDenied
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username", "pk")


@router.post("/people", response={201: PersonOut, **ERRORS}, operation_id="jalon_api_people_invite")
def invite(request: HttpRequest, data: Invitation) -> Any:
    inviter = writer(request, can_manage_people(request.user))
    # The page's form offers the administrator role to administrators only.
    form = InviteForm(data.dict(), inviter=inviter)
    checked(form)
    try:
        invited = user_invite(
            invited_by=inviter, base_url=request.build_absolute_uri("/"), **form.cleaned_data
        )
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    return Reply(201, invited)


@router.patch(
    "/people/{pk}", response={200: PersonOut, **ERRORS}, operation_id="jalon_api_people_role_change"
)
def role_change(request: HttpRequest, pk: int, change: RoleChange) -> User:
    user = writer(request, can_change_roles(request.user))
    person = get_object_or_404(User, pk=pk)
    # An administrator who demoted themselves could leave nobody able to undo it.
    if person == user:
        raise PermissionDenied
    form = RoleForm({"role": change.role}, instance=person)
    checked(form)
    saved: User = form.save()
    return saved
