"""Editing a plan's tree: items keep their identity, the tree stays in order."""

import pytest

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan
from jalon.plans.services import (
    ItemEditConflict,
    item_add,
    item_delete,
    item_edit,
    item_move,
)

from .factories import import_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    return import_seed()


def codes_under(plan: Plan, code: str) -> list[str]:
    parent = Item.objects.get(plan=plan, code=code)
    return [item.code for item in parent.children.order_by("position")]


def assert_tree_is_consistent(plan: Plan) -> None:
    """Every path is its parent's path plus its position; depth matches; order is dense."""
    for item in Item.objects.filter(plan=plan).select_related("parent"):
        prefix = item.parent.path if item.parent else ""
        assert item.path == prefix + f"{item.position:05d}"
        assert item.depth == len(item.path) // 5 - 1
    for parent_id in set(Item.objects.filter(plan=plan).values_list("parent_id", flat=True)):
        positions = sorted(
            Item.objects.filter(plan=plan, parent_id=parent_id).values_list("position", flat=True)
        )
        assert positions == list(range(len(positions)))


def test_editing_an_item_keeps_it_searchable_and_in_its_history(plan: Plan, coordinator: User) -> None:
    item = Item.objects.get(plan=plan, code="1.2.1")
    item_edit(item=item, user=coordinator, expected_version=item.version, changes={"title": "Appuyer Québec"})
    assert list(Item.objects.filter(plan=plan).search("quebec appuyer")) == [Item.objects.get(pk=item.pk)]
    assert Item.objects.get(pk=item.pk).history.first().history_user == coordinator


def test_an_edit_from_an_outdated_form_is_refused(plan: Plan, coordinator: User) -> None:
    item = Item.objects.get(plan=plan, code="1.2.1")
    item_edit(item=item, user=coordinator, expected_version=1, changes={"title": "first"})
    with pytest.raises(ItemEditConflict) as conflict:
        item_edit(item=item, user=coordinator, expected_version=1, changes={"title": "second"})
    assert conflict.value.current.title == "first"
    assert Item.objects.get(pk=item.pk).title == "first"


def test_adding_an_item_in_the_middle_shifts_the_following_siblings(plan: Plan, coordinator: User) -> None:
    parent = Item.objects.get(plan=plan, code="3.3")
    item_add(plan=plan, user=coordinator, parent=parent, code="3.3.2 bis", title="Nouvelle", position=2)
    assert codes_under(plan, "3.3") == ["3.3.1", "3.3.2", "3.3.2 bis", "3.3.4", "3.3.3"]
    assert_tree_is_consistent(plan)


def test_moving_an_orientation_to_another_axis_moves_its_actions(plan: Plan, coordinator: User) -> None:
    orientation = Item.objects.get(plan=plan, code="1.2")
    axis_3 = Item.objects.get(plan=plan, code="3", depth=0)
    item_move(item=orientation, user=coordinator, parent=axis_3, position=0)
    assert codes_under(plan, "3") == ["1.2", "3.1", "3.2", "3.3"]
    assert codes_under(plan, "1") == ["1.1", "1.3", "1.4"]
    assert codes_under(plan, "1.2") == ["1.2.1"]
    assert_tree_is_consistent(plan)


def test_moving_an_action_up_among_its_siblings(plan: Plan, coordinator: User) -> None:
    action = Item.objects.get(plan=plan, code="3.3.3")
    item_move(item=action, user=coordinator, parent=action.parent, position=2)
    assert codes_under(plan, "3.3") == ["3.3.1", "3.3.2", "3.3.3", "3.3.4"]
    assert_tree_is_consistent(plan)


def test_an_item_cannot_move_under_itself(plan: Plan, coordinator: User) -> None:
    orientation = Item.objects.get(plan=plan, code="1.2")
    with pytest.raises(ValueError):
        item_move(item=orientation, user=coordinator, parent=orientation.children.get(), position=0)


def test_removing_an_orientation_removes_its_actions_and_closes_the_gap(
    plan: Plan, coordinator: User
) -> None:
    item_delete(item=Item.objects.get(plan=plan, code="1.3"), user=coordinator)
    assert codes_under(plan, "1") == ["1.1", "1.2", "1.4"]
    assert not Item.objects.filter(plan=plan, code__startswith="1.3").exists()
    assert Item.history.filter(code="1.3.2", history_type="-").exists()
    assert_tree_is_consistent(plan)


def test_moving_an_item_under_a_sibling_that_closes_the_gap(plan: Plan, coordinator: User) -> None:
    orientation = Item.objects.get(plan=plan, code="1.2")
    item_move(item=orientation, user=coordinator, parent=Item.objects.get(plan=plan, code="1.3"), position=9)
    assert codes_under(plan, "1") == ["1.1", "1.3", "1.4"]
    assert codes_under(plan, "1.3")[-1] == "1.2"
    assert codes_under(plan, "1.2") == ["1.2.1"]
    assert_tree_is_consistent(plan)
