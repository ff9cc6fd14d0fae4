"""Who may do what: the one place the web views and the API ask."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from jalon.plans.models import Item, Plan

from .models import Role, User

AnyUser = User | AnonymousUser


def can_read_internal(user: AnyUser) -> bool:
    """Members and above read the internal pages; anonymous visitors only the portal."""
    return bool(user.is_authenticated and user.is_active)


def can_edit_plan(user: AnyUser, plan: Plan | None = None) -> bool:
    """Coordinators and administrators edit the whole plan: items, import, every action."""
    return isinstance(user, User) and user.edits_everything


def can_edit_action(user: AnyUser, item: Item) -> bool:
    """An action lead edits the actions they lead (or that sit under an item they lead)."""
    if can_edit_plan(user, item.plan):
        return True
    if not isinstance(user, User) or not user.is_active or user.role != Role.LEAD:
        return False
    from jalon.tracking.models import Tracking

    return Tracking.objects.filter(
        item__plan_id=item.plan_id, item__path__in=item.ancestor_paths(), leads=user
    ).exists()


def can_post_update(user: AnyUser, item: Item) -> bool:
    """Leads and team members write in an action's journal; coordinators everywhere."""
    if can_edit_action(user, item):
        return True
    if not isinstance(user, User) or not user.is_active:
        return False
    tracking = item.tracking_or_none
    return tracking is not None and tracking.pk is not None and tracking.team.filter(pk=user.pk).exists()


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
