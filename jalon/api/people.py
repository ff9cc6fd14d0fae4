"""The people page in the API: who has an account and their role, invitations and role
changes. The same rules as on the web: leads and above see the list (with e-mail
addresses), coordinators and administrators invite (only an administrator makes an
administrator), and only administrators change a role, never their own."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja import Status as Reply
from ninja.pagination import paginate

from jalon.accounts.forms import InviteForm, RoleForm
from jalon.accounts.models import User
from jalon.accounts.permissions import can_change_roles, can_manage_people, can_see_people
from jalon.accounts.services import user_invite

from . import overview_schemas as schemas
from .base import ERRORS, Pages, checked, reader, writer

router = Router(tags=["people"])


@router.get("/people", response={200: list[schemas.PersonOut], **ERRORS})
@paginate(Pages, page_size=100)
def people(request: HttpRequest) -> QuerySet[User]:
    # Members are refused, as on the web, so they never read the e-mail addresses.
    if not can_see_people(reader(request)):
        raise PermissionDenied
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username", "pk")


@router.post("/people", response={201: schemas.PersonOut, **ERRORS})
def invite(request: HttpRequest, data: schemas.Invitation) -> Any:
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


@router.patch("/people/{pk}", response={200: schemas.PersonOut, **ERRORS})
def role_change(request: HttpRequest, pk: int, change: schemas.RoleChange) -> User:
    user = writer(request, can_change_roles(request.user))
    person = get_object_or_404(User, pk=pk)
    # An administrator who demoted themselves could leave nobody able to undo it.
    if person == user:
        raise PermissionDenied
    form = RoleForm({"role": change.role}, instance=person)
    checked(form)
    saved: User = form.save()
    return saved
