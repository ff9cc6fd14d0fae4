"""Personal access tokens: a person's key to the API, read-only or read-write."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Recognisable in a leaked-secret scan and in a configuration file.
TOKEN_PREFIX = "jalon_"


class Scope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


def token_digest(secret: str) -> str:
    """Return the stored form of a token: only its hash is kept, never the token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class TokenQuerySet(models.QuerySet["Token"]):
    def active(self) -> TokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class Token(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField(max_length=64, unique=True)
    # The first characters, shown in the list so a person knows which token is which.
    hint = models.CharField(max_length=16)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE
