"""A large, plausible data set for the page timings of `make bench`.

Plans go through plan_import like any import; everything else (people, tracking, their
leads and team, the journal) is written with bulk_create in batches, which skips
django-simple-history: a bench needs the rows the pages read, not their history.
The same seed gives the same data, so two runs (or two databases) compare."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from jalon.accounts.models import Role, User
from jalon.plans.importers.base import ParsedItem, ParsedPlan
from jalon.plans.models import Item, Plan
from jalon.plans.services import plan_import
from jalon.tracking.models import Priority, Status, Tracking, Update

# Rows per INSERT batch: Django splits further where the database allows fewer variables.
BATCH_SIZE = 2000
ACTIONS_PER_ORIENTATION = 10
ORIENTATIONS_PER_AXIS = 5
USERNAME_PREFIX = "bench-"

ROLE_WEIGHTS = [(Role.ADMIN, 1), (Role.COORDINATOR, 4), (Role.LEAD, 30), (Role.MEMBER, 65)]
STATUS_WEIGHTS = [
    (Status.NOT_STARTED, 20),
    (Status.IN_PROGRESS, 35),
    (Status.DONE, 20),
    (Status.ONGOING, 12),
    (Status.DELAYED, 10),
    (Status.CANCELLED, 3),
]
PROGRESS = {
    Status.NOT_STARTED: (0, 0),
    Status.IN_PROGRESS: (10, 90),
    Status.DONE: (100, 100),
    Status.ONGOING: (30, 90),
    Status.DELAYED: (0, 60),
    Status.CANCELLED: (0, 40),
}
FIRST_NAMES = ["Amélie", "Karim", "Sofía", "Jean-François", "Nadia", "Mamadou", "Élise", "Luis", "Fatou"]
LAST_NAMES = ["Tremblay", "Gagnon", "Benali", "Côté", "Hernández", "Diallo", "Roy", "Nguyen", "Pierre"]
VERBS = ["Appuyer", "Renforcer", "Soutenir", "Documenter", "Mobiliser", "Accompagner", "Évaluer"]
SUBJECTS = [
    "les coopératives de femmes",
    "les travailleuses du secteur informel",
    "les radios communautaires",
    "les jeunes stagiaires",
    "les organisations paysannes",
    "les défenseures des droits humains",
]
PLACES = ["au Honduras", "au Sud-Kivu", "à Gaza", "à Monastir", "à Aquin", "au Québec", "en Inde"]
JOURNAL = [
    "Rencontre de suivi avec les partenaires : les prochaines étapes sont fixées.",
    "Compte rendu transmis à la coordination ; les activités avancent **comme prévu**.",
    "Atelier tenu avec une vingtaine de participantes ; évaluation très positive.",
    "Retard dû à la disponibilité des partenaires ; nouveau calendrier proposé.",
    "Premier bilan présenté au conseil d'administration.\n\n- budget revu\n- calendrier confirmé",
]


@dataclass(frozen=True)
class Scale:
    plans: int = 20
    actions: int = 10_000
    users: int = 500
    updates: int = 200_000


@dataclass
class Generated:
    plans: list[Plan]
    users: int
    actions: int
    updates: int


@transaction.atomic
def generate(*, scale: Scale | None = None, seed: int = 2030) -> Generated:
    """Write the whole data set in one transaction (SQLite would otherwise sync every batch)."""
    scale = scale or Scale()
    rng = random.Random(seed)
    users = _create_users(scale.users, rng)
    plans = [
        plan_import(parsed=parsed_plan(number, size, rng), source_name=f"bench-{number}.md")
        for number, size in enumerate(plan_sizes(scale.plans, scale.actions), start=1)
    ]
    actions = list(Item.objects.filter(plan__in=plans, depth=2).order_by("pk").values_list("pk", flat=True))
    _create_tracking(actions, users, rng)
    updates = _create_updates(actions, users, scale.updates, rng)
    return Generated(plans=plans, users=len(users), actions=len(actions), updates=updates)


def plan_sizes(plans: int, actions: int) -> list[int]:
    """Return the number of actions of each plan, growing from the first to the last, so that
    the plans range from small to large and add up to exactly `actions`."""
    weights = range(1, plans + 1)
    sizes = [actions * weight // sum(weights) for weight in weights]
    sizes[-1] += actions - sum(sizes)
    return sizes


def _create_users(count: int, rng: random.Random) -> list[User]:
    # No one signs in with a generated account: one unusable hash, computed once, for all.
    password = make_password(None)
    roles, weights = zip(*ROLE_WEIGHTS, strict=True)
    # Every role at least once, however few the users, then drawn by weight.
    chosen = list(roles[:count]) + rng.choices(roles, weights, k=max(0, count - len(roles)))
    rows = [
        User(
            username=f"{USERNAME_PREFIX}{number:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"{USERNAME_PREFIX}{number:04d}@example.org",
            role=role,
            password=password,
        )
        for number, role in enumerate(chosen)
    ]
    User.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return list(User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("pk"))


def parsed_plan(number: int, actions: int, rng: random.Random) -> ParsedPlan:
    start = datetime.date(2020 + number % 6, 1, 1)
    return ParsedPlan(
        title=f"Plan d'action {start.year}-{start.year + 1} n° {number}",
        format="outline",
        items=_axes(actions, rng),
        levels=["Axe stratégique", "Orientation stratégique", "Action"],
        period_start=start,
        period_end=datetime.date(start.year + 1, 12, 31),
        extra={"organisation": "Alternatives"},
    )


def _axes(actions: int, rng: random.Random) -> list[ParsedItem]:
    """Return axes of five orientations of ten actions (the last ones shorter)."""
    orientations = _orientations(_chunk_sizes(actions, ACTIONS_PER_ORIENTATION), rng)
    axes: list[ParsedItem] = []
    for start in range(0, len(orientations), ORIENTATIONS_PER_AXIS):
        number = len(axes) + 1
        axis = ParsedItem(code=str(number), title=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}")
        for index, orientation in enumerate(orientations[start : start + ORIENTATIONS_PER_AXIS], start=1):
            _renumber(orientation, f"{number}.{index}")
            axis.children.append(orientation)
        axes.append(axis)
    return axes


def _orientations(sizes: list[int], rng: random.Random) -> list[ParsedItem]:
    return [
        ParsedItem(
            code="",
            title=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(PLACES)}",
            children=[ParsedItem(code="", title=_action_title(rng)) for _ in range(size)],
        )
        for size in sizes
    ]


def _renumber(orientation: ParsedItem, code: str) -> None:
    orientation.code = code
    for number, action in enumerate(orientation.children, start=1):
        action.code = f"{code}.{number}."


def _action_title(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(PLACES)} ({rng.randrange(1, 100)})"


def _chunk_sizes(total: int, size: int) -> list[int]:
    return [min(size, total - start) for start in range(0, total, size)]


def _create_tracking(actions: Sequence[int], users: Sequence[User], rng: random.Random) -> None:
    """One tracking row per action; four in five have a lead, most have a small team."""
    today = timezone.localdate()
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    rows = []
    for item_id in actions:
        status = rng.choices(statuses, weights)[0]
        low, high = PROGRESS[status]
        start = today - datetime.timedelta(days=rng.randrange(0, 700))
        rows.append(
            Tracking(
                item_id=item_id,
                status=status,
                progress=rng.randrange(low, high + 1, 5) if high > low else low,
                priority=rng.choice(Priority.values),
                start_date=start,
                due_date=start + datetime.timedelta(days=rng.randrange(60, 720)),
            )
        )
    Tracking.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    _create_people(actions, users, rng)


def _create_people(actions: Sequence[int], users: Sequence[User], rng: random.Random) -> None:
    trackings = dict(Tracking.objects.filter(item_id__in=actions).values_list("item_id", "pk"))
    leaders = [user.pk for user in users if user.role in (Role.LEAD, Role.COORDINATOR)] or [users[0].pk]
    everyone = [user.pk for user in users]
    Lead, Member = Tracking.leads.through, Tracking.team.through
    leads, team = [], []
    for item_id in actions:
        tracking_id = trackings[item_id]
        if rng.random() < 0.8:
            chosen = rng.sample(leaders, min(len(leaders), rng.randrange(1, 3)))
            leads += [Lead(tracking_id=tracking_id, user_id=user_id) for user_id in chosen]
        chosen = rng.sample(everyone, min(len(everyone), rng.randrange(0, 5)))
        team += [Member(tracking_id=tracking_id, user_id=user_id) for user_id in chosen]
    Lead.objects.bulk_create(leads, batch_size=BATCH_SIZE)
    Member.objects.bulk_create(team, batch_size=BATCH_SIZE)


def _create_updates(actions: Sequence[int], users: Sequence[User], count: int, rng: random.Random) -> int:
    """Spread the updates over the actions at random, dated over the last two years."""
    if not actions:
        return 0
    authors = [user.pk for user in users if user.role != Role.MEMBER] or [users[0].pk]
    today = timezone.localdate()
    written = 0
    for batch in _batches(count, BATCH_SIZE * 5):
        rows = [_update(rng.choice(actions), rng.choice(authors), today, rng) for _ in range(batch)]
        Update.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        written += len(rows)
    return written


def _update(item_id: int, author_id: int, today: datetime.date, rng: random.Random) -> Update:
    changes_status = rng.random() < 0.2
    return Update(
        item_id=item_id,
        author_id=author_id,
        date=today - datetime.timedelta(days=rng.randrange(0, 730)),
        text=rng.choice(JOURNAL),
        status=rng.choice(Status.values) if changes_status else "",
        progress=rng.randrange(0, 101, 5) if changes_status else None,
    )


def _batches(total: int, size: int) -> Iterator[int]:
    for start in range(0, total, size):
        yield min(size, total - start)
