"""Writes about people: invitations and the demo accounts."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import Role, User

# Shown in the README and on the sign-in page of a demonstration server.
DEFAULT_DEMO_PASSWORD = "jalon-demo-2024"

DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, "Alex", "Administrateur"),
    ("coordination", Role.COORDINATOR, "Camille", "Coordination"),
    ("responsable", Role.LEAD, "Rosalie", "Responsable"),
    ("membre", Role.MEMBER, "Maxime", "Membre"),
]


def set_password_link(user: User, base_url: str) -> str:
    """Return the one-time link with which a person chooses their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


@transaction.atomic
def user_invite(
    *,
    email: str,
    role: str,
    invited_by: User,
    base_url: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "fr",
) -> User:
    """Create an account for someone and e-mail them a link to choose their password."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("Someone with the address %(email)s already has an account.") % {"email": email}
        )
    user = User(
        username=_free_username(email.split("@")[0]),
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    with translation.override(language):
        context = {
            "user": user,
            "invited_by": invited_by,
            "link": set_password_link(user, base_url),
        }
        send_mail(
            subject=_("You are invited to Jalon"),
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    return user


def _free_username(wanted: str) -> str:
    base = "".join(char for char in wanted if char.isalnum() or char in "._-")[:140] or "membre"
    name, number = base, 2
    while User.objects.filter(username=name).exists():
        name, number = f"{base}{number}", number + 1
    return name


@transaction.atomic
def demo_accounts_create(password: str) -> list[User]:
    """Create the four demo accounts, one per role; existing ones are left as they are."""
    users = []
    for username, role, first_name, last_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@demo.jalon.invalid",
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(password)
            user.save()
        users.append(user)
    return users
