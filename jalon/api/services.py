"""Creating and revoking personal access tokens, shared by the profile page and the CLI."""

from __future__ import annotations

from django.utils import timezone

from jalon.accounts.models import User

from .models import Scope, Token, token_digest, token_secret


def token_create(*, user: User, name: str, scope: str = Scope.READ) -> tuple[Token, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    secret = token_secret()
    token = Token.objects.create(
        user=user, name=name, scope=scope, digest=token_digest(secret), hint=secret[:10]
    )
    return token, secret


def token_revoke(*, token: Token) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_user(secret: str) -> Token | None:
    """Return the live token with this secret, marking it used, or None."""
    token = Token.objects.active().select_related("user").filter(digest=token_digest(secret)).first()
    if token is not None:
        # One write per request at most a minute apart: enough to tell a live token.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            Token.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
