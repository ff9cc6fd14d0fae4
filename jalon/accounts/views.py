"""Signing in and out, invitations, the people page and one's own profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import InviteForm, ProfileForm, RoleForm
from .models import Role, User
from .permissions import can_change_roles, can_manage_people, can_see_people
from .services import DEFAULT_DEMO_PASSWORD, DEMO_ACCOUNTS, user_invite


class SignInView(LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        # On a demonstration server the first visitor needs to know how to get in.
        if settings.JALON_DEMO_ALLOWED:
            names = [name for name, *_rest in DEMO_ACCOUNTS]
            context["demo_accounts"] = list(User.objects.filter(username__in=names).order_by("pk"))
            context["demo_password"] = DEFAULT_DEMO_PASSWORD
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The interface follows the person from one machine to the next, not the browser.
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            remember_language(response, language)
        return response


def remember_language(response: HttpResponseBase, language: str) -> None:
    """Set the cookie the locale middleware reads, as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    inviter = request.user
    if not isinstance(inviter, User) or not can_manage_people(inviter):
        raise PermissionDenied
    form = InviteForm(request.POST or None, inviter=inviter)
    if request.method == "POST" and form.is_valid():
        try:
            invited = user_invite(
                invited_by=inviter, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error.messages)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % {"email": invited.email})
            return redirect("accounts:people")
    return render(request, "accounts/invite.html", {"form": form})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not can_see_people(request.user):
        raise PermissionDenied
    context = {
        "people": User.objects.filter(is_active=True),
        "can_change_roles": can_change_roles(request.user),
        "can_invite": can_manage_people(request.user),
        "roles": Role.choices,
    }
    return render(request, "accounts/people.html", context)


@require_POST
@login_required
def role_change(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_change_roles(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    # An administrator who demoted themselves could leave nobody able to undo it.
    if person == request.user:
        raise PermissionDenied
    form = RoleForm(request.POST, instance=person)
    if form.is_valid():
        form.save()
        messages.success(
            request, _("%(name)s is now %(role)s.") % {"name": person, "role": person.get_role_display()}
        )
    return redirect("accounts:people")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.language):
            messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        remember_language(response, user.language)
        return response
    context = {"form": form, "can_see_people": can_see_people(request.user)}
    return render(request, "accounts/profile.html", context)
