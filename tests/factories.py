"""What tests build: people, their clients, and plans the way an import builds them (a parsed
tree handed to plan_import). The fixtures made of these are in conftest.py."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jalon.accounts.models import Role, User
from jalon.directory.models import ItemLink, LinkStatus, Partner
from jalon.plans.importers import Source, parse_source
from jalon.plans.importers.base import Anomaly as ParsedAnomaly
from jalon.plans.importers.base import ParsedItem, ParsedPlan
from jalon.plans.models import Item, Plan
from jalon.plans.services import plan_import
from jalon.results import services as results
from jalon.results.demo import results_create
from jalon.tracking.demo import demo_tracking_create
from jalon.tracking.services import tracking_for

from .paths import SEED

AXIS, ORIENTATION, ACTION = "Axe stratégique", "Orientation", "Action"


def person(username: str, role: str = Role.MEMBER, **fields: Any) -> User:
    """Return a new account: person("lea", Role.LEAD, first_name="Léa"). Without a password
    it can only be signed in with signed_in()."""
    return User.objects.create_user(username, role=role, **fields)


def signed_in(user: User, language: str | None = None) -> Client:
    """Return a client signed in as `user`, reading the pages in `language` when one is given
    (the language switch's cookie) and otherwise in what the server chooses."""
    client = anonymous(language)
    client.force_login(user)
    return client


def anonymous(language: str | None = None) -> Client:
    """Return a client of a visitor who has not signed in."""
    client = Client()
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def queries_to_read(client: Client, address: str) -> int:
    """Return how many database queries the page at `address` takes; it must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200, address
    return len(captured)


def item(code: str, title: str, *children: ParsedItem, **fields: Any) -> ParsedItem:
    """Return a parsed item: item("1.1", "Soutenir…", item("1.1.1.", "Renforcer…"), body="…")."""
    return ParsedItem(code=code, title=title, children=list(children), **fields)


def anomaly(kind: str, about: ParsedItem | None = None, **fields: Any) -> ParsedAnomaly:
    """Return a parsed anomaly, attached to an item of the same tree when one is given."""
    if about is not None:
        fields.setdefault("code", about.code)
    return ParsedAnomaly(kind=kind, item=about, **fields)


def make_plan(
    *,
    title: str = "Plan d'action 2024-2025",
    items: list[ParsedItem] | None = None,
    anomalies: list[ParsedAnomaly] | None = None,
    levels: list[str] | None = None,
    source_name: str = "plan-action-2024-2025.txt",
    slug: str | None = None,
    organisation: str = "",
    **fields: Any,
) -> Plan:
    """Create a plan through the import service. Items and anomalies without lines get the
    line numbers of the document order, as an importer would give them."""
    parsed = ParsedPlan(
        title=title,
        format="outline",
        items=items if items is not None else small_tree(),
        anomalies=anomalies or [],
        levels=levels if levels is not None else [AXIS, ORIENTATION, ACTION],
        extra={"organisation": organisation},
        **fields,
    )
    for line, (_depth, parsed_item) in enumerate(parsed.walk(), start=3):
        if parsed_item.line_start is None:
            parsed_item.line_start = parsed_item.line_end = line
    for problem in parsed.anomalies:
        if problem.line is None and problem.item is not None:
            problem.line = problem.item.line_start
    return plan_import(parsed=parsed, source_name=source_name, slug=slug)


def item_coded(plan: Plan, code: str) -> Item:
    """Return the first item of `plan` written with `code`, in document order: a plan may
    repeat a code (the small tree has two 1.4.4)."""
    found = plan.items.filter(code=code).in_document_order().first()
    assert found is not None, f"{plan.slug} has no item {code}"
    return found


def tracking_form(item: Item, **changes: object) -> dict[str, object]:
    """Return the tracking form of an action as the page shows it, with `changes` typed in."""
    tracking = tracking_for(item)
    data: dict[str, object] = {
        "status": tracking.status,
        "progress": tracking.progress,
        "priority": tracking.priority,
        "start_date": "",
        "due_date": "",
        "notes": "",
        "version": tracking.version,
    }
    return {**data, **changes}


def import_seed(*, slug: str | None = None, times: int = 1) -> Plan:
    """Return Alternatives' whole plan (the seed) imported as the web import does it; with
    `times`, its axes repeated for a larger plan."""
    source = Source.from_path(SEED)
    parsed = parse_source(source)
    if times > 1:
        parsed.items = [copy.deepcopy(item) for _ in range(times) for item in parsed.items]
    return plan_import(parsed=parsed, source_name=source.name, checksum=source.checksum, slug=slug)


def demo_seed() -> Plan:
    """Return the seed with the demonstration's tracking and results."""
    plan = import_seed()
    demo_tracking_create(plan)
    results_create(plan)
    return plan


def add_results(plan: Plan, lead: User) -> None:
    """Give the first action an accepted partner, an indicator with targets and a value, and a budget."""
    first = plan.items.leaves().in_document_order().first()
    assert first is not None
    partner = Partner.objects.create(name="Fondation <Solidarité>")
    ItemLink.objects.create(item=first, partner=partner, status=LinkStatus.ACCEPTED)
    result = results.result_add(
        item=first, kind="outcome", title="Des femmes formées", title_en="Women trained"
    )
    indicator = results.indicator_add(
        result=result, title="Femmes formées", title_en="Women trained", unit="femmes"
    )
    results.target_set(
        indicator=indicator,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value=Decimal(120),
    )
    results.value_record(
        indicator=indicator,
        user=lead,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value=Decimal(95),
    )
    results.budget_line_set(item=first, year=2024, planned=Decimal("12500.50"), spent=Decimal(9000))


def report_seed(lead: User) -> Plan:
    """Return the seed with the demonstration's tracking and, on its first action, what
    add_results gives: what the annual report has to show."""
    plan = import_seed()
    demo_tracking_create(plan)
    add_results(plan, lead)
    return plan


def small_tree() -> list[ParsedItem]:
    """Return a shortened axis of Alternatives' plan, with its dotted and repeated codes."""
    return [
        item(
            "1",
            "Consolider notre action solidaire avec nos partenaires d'ici et d'ailleurs",
            item(
                "1.1",
                "Continuer de soutenir nos partenaires en Amérique centrale",
                item(
                    "1.1.1.", "Renforcer l'autonomisation des travailleuses du secteur informel au Honduras."
                ),
                item("1.1.2", "Travailler à la pérennisation du CAIME."),
            ),
            item(
                "1.4",
                "Mobiliser la population au Québec et au Canada",
                item("1.4.4", "Mettre au point d'autres stratégies pour mobiliser la population."),
                item("1.4.4", "Relayer l'information de nos alliés sur des luttes."),
            ),
            label=AXIS,
        ),
    ]


def wide_tree(count: int) -> list[ParsedItem]:
    """Return a tree of exactly `count` items: axes of ten orientations of ten actions."""
    roots: list[ParsedItem] = []
    made = 0
    while made < count:
        axis = item(f"{len(roots) + 1}", f"Axe {len(roots) + 1}")
        roots.append(axis)
        made += 1
        while made < count and len(axis.children) < 10:
            orientation = item(f"{axis.code}.{len(axis.children) + 1}", "Orientation")
            axis.children.append(orientation)
            made += 1
            while made < count and len(orientation.children) < 10:
                code = f"{orientation.code}.{len(orientation.children) + 1}"
                orientation.children.append(item(code, f"Action {code}"))
                made += 1
    return roots
