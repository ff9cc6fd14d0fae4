"""The page where a person creates and revokes their API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jalon.accounts.models import User

from .models import Scope, Token
from .services import token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, for example “monthly report script”."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=Scope.choices, initial=Scope.READ)


def tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = token_create(
            user=user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        # The secret is shown on this one response and never again: only its hash is kept.
        form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": user.tokens.all(),
        "docs_url": reverse("api:openapi-view"),
    }
    return render(request, "api/tokens.html", context, status=201 if secret else 200)


@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is simply not found: its existence is not confirmed.
    token = get_object_or_404(Token, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:list")
