"""The data generator and page list behind `make bench`, at a tiny scale (no timings here)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from bench.__main__ import print_comparison
from bench.generate import USERNAME_PREFIX, Scale, generate, parsed_plan, plan_sizes
from bench.pages import coordinator_client, pages, percentile, typical_action
from jalon.accounts.models import Role, User
from jalon.plans.models import Item, Plan
from jalon.tracking.models import Tracking, Update

TINY = Scale(plans=2, actions=30, users=5, updates=100)

pytestmark = pytest.mark.django_db


def test_it_writes_the_counts_asked_for() -> None:
    generated = generate(scale=TINY)

    assert len(generated.plans) == Plan.objects.count() == 2
    assert generated.actions == Item.objects.filter(depth=2).count() == 30
    assert generated.users == User.objects.filter(username__startswith=USERNAME_PREFIX).count() == 5
    assert generated.updates == Update.objects.count() == 100
    assert Tracking.objects.count() == 30


def test_it_builds_plans_of_axes_orientations_and_actions() -> None:
    generate(scale=TINY)

    assert set(Item.objects.values_list("depth", flat=True)) == {0, 1, 2}
    assert not Item.objects.filter(depth=2, children__isnull=False).exists()
    assert Item.objects.leaves().count() == 30
    assert list(Item.objects.filter(depth=2).order_by("plan", "path").values_list("code", flat=True))[:2] == [
        "1.1.1.",
        "1.1.2.",
    ]


def test_it_tracks_every_action_with_leads_who_may_lead() -> None:
    generate(scale=Scale(plans=2, actions=30, users=40, updates=100))

    assert not Item.objects.leaves().filter(tracking__isnull=True).exists()
    assert Tracking.objects.filter(leads__isnull=False).exists()
    lead_roles = set(User.objects.filter(leading__isnull=False).values_list("role", flat=True))
    assert lead_roles <= {Role.LEAD, Role.COORDINATOR}


def test_it_gives_the_same_plan_for_the_same_seed() -> None:
    first, again = (parsed_plan(1, 30, random.Random(7)) for _ in range(2))

    assert first == again
    assert first.count() == 30 + 3 + 1  # actions, orientations of ten, one axis


def test_it_gives_every_role_even_to_a_handful_of_users() -> None:
    generate(scale=TINY)

    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


def test_it_sizes_plans_from_small_to_large_adding_up_to_the_total() -> None:
    sizes = plan_sizes(20, 10_000)

    assert sum(sizes) == 10_000
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]


def test_the_timed_pages_answer_a_coordinator() -> None:
    generate(scale=TINY)
    client = coordinator_client()

    for _label, url in pages():
        assert client.get(url).status_code == 200


def test_the_timed_pages_send_a_visitor_to_the_login_page() -> None:
    generate(scale=TINY)

    for _label, url in pages():
        assert Client().get(url).status_code == 302


def test_the_typical_action_has_the_median_journal() -> None:
    generate(scale=TINY)
    plan = Plan.objects.order_by("-pk").first()
    assert plan is not None

    key, updates = typical_action(plan)

    assert Update.objects.filter(item_id=key).count() == updates


def test_the_95th_percentile_is_the_nearest_rank() -> None:
    assert percentile([float(value) for value in range(1, 101)], 95) == 95.0
    assert percentile([3.0], 95) == 3.0


def page_figures(median: float) -> list[dict[str, Any]]:
    return [{"page": "dashboard", "median_ms": median, "p95_ms": median * 2, "queries": 18}]


def test_the_comparison_gives_the_postgresql_to_sqlite_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    print_comparison({"sqlite": page_figures(100.0), "postgresql": page_figures(150.0)})

    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("dashboard")]
    assert rows == [
        ["dashboard", "sqlite", "100.0", "200.0", "18"],
        ["dashboard", "postgresql", "150.0", "300.0", "18", "1.50x"],
    ]


def test_the_comparison_shows_sqlite_alone_when_postgresql_was_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_comparison({"sqlite": page_figures(100.0)})

    assert "x" not in capsys.readouterr().out.split("PG/SQLite")[1]
