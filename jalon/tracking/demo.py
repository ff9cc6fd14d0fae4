"""Plausible tracking data for the demo plan, the same on every run: the plan period is
over, most actions are done, some go on, a few are late, and each has a short journal."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from jalon.accounts.models import Role, User
from jalon.plans.models import Item, Plan

from .models import Milestone, Status, Tracking, Update

# Seeded, so that the demo reads the same for everyone and tests can rely on it.
SEED = 2024
STATUS_WEIGHTS = [
    (Status.DONE, 14),
    (Status.ONGOING, 6),
    (Status.IN_PROGRESS, 8),
    (Status.DELAYED, 4),
    (Status.NOT_STARTED, 3),
    (Status.CANCELLED, 1),
]
PROGRESS = {
    Status.DONE: (100, 100),
    Status.ONGOING: (40, 90),
    Status.IN_PROGRESS: (20, 80),
    Status.DELAYED: (5, 50),
    Status.NOT_STARTED: (0, 0),
    Status.CANCELLED: (0, 30),
}
JOURNAL = [
    "Rencontre de suivi avec les partenaires : les prochaines étapes sont fixées.",
    "Compte rendu transmis à la coordination ; les activités avancent comme prévu.",
    "Atelier tenu avec une vingtaine de participantes ; évaluation très positive.",
    "Retard dû à la disponibilité des partenaires ; nouveau calendrier proposé.",
    "Premier bilan présenté au conseil d'administration.",
]


@transaction.atomic
def demo_tracking_create(plan: Plan) -> int:
    """Give every action of the plan tracking data unless it already has some."""
    if Tracking.objects.filter(item__plan=plan).exists():
        return 0
    rng = random.Random(SEED)
    people = list(User.objects.filter(role__in=[Role.LEAD, Role.COORDINATOR]).order_by("username"))
    actions = list(plan.items.leaves().in_document_order())
    for item in actions:
        _track(item, rng, people, plan)
    return len(actions)


def _track(item: Item, rng: random.Random, people: list[User], plan: Plan) -> None:
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    status = rng.choices(statuses, weights)[0]
    low, high = PROGRESS[status]
    start = (plan.period_start or datetime.date(2024, 1, 1)) + datetime.timedelta(days=rng.randrange(0, 180))
    due = start + datetime.timedelta(days=rng.randrange(120, 600))
    tracking = Tracking.objects.create(
        item=item,
        status=status,
        progress=rng.randrange(low, high + 1, 5) if high > low else low,
        start_date=start,
        due_date=due,
    )
    # One action in five has nobody to lead it: the dashboard should show them.
    if people and rng.random() > 0.2:
        tracking.leads.set([rng.choice(people)])
    if people and status != Status.NOT_STARTED:
        for number in range(rng.randrange(1, 4)):
            Update.objects.create(
                item=item,
                author=rng.choice(people),
                text=rng.choice(JOURNAL),
                date=start + datetime.timedelta(days=45 * (number + 1)),
            )
    if rng.random() > 0.6:
        Milestone.objects.create(
            item=item,
            title="Bilan de mi-parcours",
            due_date=start + datetime.timedelta(days=90),
            done_on=start + datetime.timedelta(days=95) if status != Status.NOT_STARTED else None,
        )
