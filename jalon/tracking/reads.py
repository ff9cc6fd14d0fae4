"""Reads over the actions and their tracking: late, stale, without a lead, by status, by person.

Every function returns a QuerySet or a fixed number of queries' worth of rows, so that the
pages read the same number of queries whatever the size of the plan."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan

from .models import CLOSED_STATUSES, STALE_AFTER_DAYS, Status, Tracking, Update

OPEN_STATUSES = [status for status in Status.values if status not in CLOSED_STATUSES]


def actions(plan: Plan) -> QuerySet[Item]:
    """Return the plan's actions in document order, with their tracking and leads."""
    return (
        Item.objects.filter(plan=plan)
        .leaves()
        .select_related("tracking", "plan")
        .prefetch_related("tracking__leads")
        .in_document_order()
    )


def late(items: QuerySet[Item], today: datetime.date | None = None) -> QuerySet[Item]:
    today = today or timezone.localdate()
    return items.filter(tracking__due_date__lt=today, tracking__status__in=OPEN_STATUSES)


def not_closed(items: QuerySet[Item]) -> QuerySet[Item]:
    # An action nobody has tracked yet has no row: it is not started, hence open.
    return items.filter(Q(tracking__isnull=True) | Q(tracking__status__in=OPEN_STATUSES))


def without_lead(items: QuerySet[Item]) -> QuerySet[Item]:
    return items.filter(tracking__leads__isnull=True).exclude(tracking__status=Status.CANCELLED)


def stale(items: QuerySet[Item], today: datetime.date | None = None) -> QuerySet[Item]:
    """Return open actions without an update for STALE_AFTER_DAYS, never-updated ones included."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)
    return not_closed(items).exclude(updates__date__gte=since)


def with_status(items: QuerySet[Item], status: str) -> QuerySet[Item]:
    if status == Status.NOT_STARTED:
        return items.filter(Q(tracking__isnull=True) | Q(tracking__status=status))
    return items.filter(tracking__status=status)


def recent_updates(plan: Plan, count: int = 10) -> QuerySet[Update]:
    return Update.objects.filter(item__plan=plan).select_related("item", "author").newest_first()[:count]


def actions_of_user(user: User, today: datetime.date | None = None) -> QuerySet[Tracking]:
    """Return the tracking of the actions the user leads or works on, across plans."""
    today = today or timezone.localdate()
    is_late = Q(due_date__lt=today, status__in=OPEN_STATUSES)
    return (
        Tracking.objects.filter(pk__in=Tracking.objects.filter(Q(leads=user) | Q(team=user)).values("pk"))
        .select_related("item__plan")
        .annotate(is_late=ExpressionWrapper(is_late, output_field=BooleanField()))
        .order_by("item__plan__title", "item__plan_id", "item__path")
    )
