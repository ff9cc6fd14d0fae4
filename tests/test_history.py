"""The history on an item's page: who changed what, including who leads an action."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.plans import services as plan_services
from jalon.plans.models import Item, Plan
from jalon.tracking import services
from jalon.tracking.history import item_history

from .factories import person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(plan: Plan) -> Item:
    return plan.items.get(code="1.1.2")


def change_people(item: Item, user: User, *, leads: list[User], team: list[User]) -> None:
    version = services.tracking_for(item).version
    services.action_update(item=item, user=user, expected_version=version, changes={}, leads=leads, team=team)


@translation.override("en")
def test_a_change_of_leads_shows_who_was_lead_before_and_after(action: Item, coordinator: User) -> None:
    rosalie = person("rosalie", Role.LEAD, first_name="Rosalie")
    maxime = person("maxime", Role.LEAD, first_name="Maxime")
    change_people(action, coordinator, leads=[rosalie], team=[])
    change_people(action, coordinator, leads=[maxime], team=[rosalie])
    changes = [(change.what, change.before, change.after) for change in item_history(action)]
    assert changes[:2] == [("leads", "Rosalie", "Maxime"), ("team", "—", "Rosalie")]
    assert changes[2] == ("leads", "—", "Rosalie")


def test_reading_the_history_takes_as_many_queries_for_many_changes_as_for_one(
    action: Item, coordinator: User
) -> None:
    people = [person(f"p{number}", Role.LEAD, first_name=f"P{number}") for number in range(6)]
    change_people(action, coordinator, leads=people[:1], team=[])
    with CaptureQueriesContext(connection) as few:
        item_history(action)
    for number in range(1, 6):
        change_people(action, coordinator, leads=people[: number + 1], team=people[number:])
    with CaptureQueriesContext(connection) as many:
        item_history(action)
    assert len(many) == len(few)


def test_an_orientations_page_shows_who_changed_its_title(plan: Plan, coordinator: User) -> None:
    orientation = plan.items.get(code="1.1")
    version, changes = orientation.version, {"title": "Nouveau titre"}
    plan_services.item_edit(item=orientation, user=coordinator, expected_version=version, changes=changes)
    html = signed_in(coordinator).get(orientation.get_absolute_url()).content.decode()
    history = html[html.index('id="historique"') :]
    assert "Camille" in history and "Nouveau titre" in history
