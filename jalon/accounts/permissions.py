"""Who may do what by their role: the one place the web views and the API ask.

What depends on an action (who leads it, who is on its team) is asked of
`jalon.tracking.permissions`, which knows actions."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import Role, User

AnyUser = User | AnonymousUser


def can_read_internal(user: AnyUser) -> bool:
    """Members and above read the internal pages; anonymous visitors only the portal."""
    return bool(user.is_authenticated and user.is_active)


def can_edit_plan(user: AnyUser) -> bool:
    """Coordinators and administrators edit the whole plan: items, import, every action."""
    return isinstance(user, User) and user.edits_everything


def can_edit_directory(user: AnyUser) -> bool:
    """Coordinators and administrators keep the directory of partners, places and themes."""
    return isinstance(user, User) and user.edits_everything


def can_manage_people(user: AnyUser) -> bool:
    """Administrators and coordinators invite people; only administrators change roles."""
    return isinstance(user, User) and user.edits_everything


def can_change_roles(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_administrator


def can_see_people(user: AnyUser) -> bool:
    """Leads and up see who is who; members do not need the list."""
    return isinstance(user, User) and user.is_active and (user.role != Role.MEMBER or user.is_superuser)
