"""People who use Jalon and the role that says what each may do."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", pgettext_lazy("role", "Administrator")
    COORDINATOR = "coordinator", pgettext_lazy("role", "Coordinator")
    LEAD = "lead", pgettext_lazy("role", "Action lead")
    MEMBER = "member", pgettext_lazy("role", "Member")


class UserManager(DjangoUserManager["User"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def]
        # `jalon createsuperuser` makes the first administrator (docs/deploy.md): the People
        # page shows them as one, as it shows those given the role later.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(_("preferred language"), max_length=10, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def edits_everything(self) -> bool:
        return self.is_active and (self.role in (Role.ADMIN, Role.COORDINATOR) or self.is_superuser)

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)
