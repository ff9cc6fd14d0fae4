"""The demo's public side: the seed plan published, a few journal entries and partners
shown on the portal, the rest kept internal so that the difference can be seen."""

from __future__ import annotations

from django.db import transaction

from jalon.accounts.models import Role, User
from jalon.directory.models import Partner
from jalon.plans.models import Plan, PlanStatus
from jalon.plans.services import plan_publish
from jalon.tracking.demo import JOURNAL
from jalon.tracking.models import Update

# Entries about workshops and the board's review read well in public; the others
# (reports to the coordination, delays) stay internal.
PUBLIC_TEXTS = [JOURNAL[2], JOURNAL[4]]
# The partners that agreed to be named on the portal, by acronym.
PUBLIC_PARTNERS = ["FOTSSIEH", "TCC", "APC", "AQOCI", "CPH"]


@transaction.atomic
def portal_demo_create(plan: Plan) -> None:
    """Publish the adopted demo plan with some public updates and partners; idempotent."""
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    if plan.status == PlanStatus.ADOPTED and coordinator is not None:
        plan_publish(plan=plan, user=coordinator)
    Update.objects.filter(item__plan=plan, text__in=PUBLIC_TEXTS).update(public=True)
    Partner.objects.filter(acronym__in=PUBLIC_PARTNERS).update(public=True)
