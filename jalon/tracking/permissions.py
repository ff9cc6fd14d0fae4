"""Who may write on an action: its leads and team, besides coordinators (the web views and
the API ask here, as they ask `jalon.accounts.permissions` about roles)."""

from __future__ import annotations

from jalon.accounts.models import Role, User
from jalon.accounts.permissions import AnyUser, can_edit_plan
from jalon.plans.models import Item

from .models import Tracking


def can_edit_action(user: AnyUser, item: Item) -> bool:
    """An action lead edits the actions they lead (or that sit under an item they lead)."""
    if can_edit_plan(user):
        return True
    if not isinstance(user, User) or not user.is_active or user.role != Role.LEAD:
        return False
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
