"""`python -m bench.pages [--json FILE]`: time four pages on the generated data set.

Run once per database by `make bench` (`python -m bench`), with DATABASE_URL set, on an
empty database: it migrates, generates the data (bench/generate.py), then requests each
page with Django's test Client signed in as a coordinator. The time is the server's
work for one request (no network, no browser); the queries are counted on one more
request, so that counting them does not slow down the timed ones."""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up inside main(), so its modules load there
    from django.test import Client

    from jalon.plans.models import Plan

WARM_UPS = 3
RUNS = 30
# Folded like the search box folds it: finds "coopératives de femmes" in about one action
# in six, so the page lists as many results as it ever shows.
SEARCH = "cooperatives femmes"


@dataclass
class Timing:
    page: str
    median_ms: float
    p95_ms: float
    queries: int
    sql_ms: float  # time spent executing those queries, on the counted request


def main() -> None:
    arguments = _arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import Scale, generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generated = generate(scale=Scale())
    seconds = time.perf_counter() - started
    print(
        f"{connection.vendor}: generated {len(generated.plans)} plans, {generated.actions:,} actions, "
        f"{generated.users} users, {generated.updates:,} updates in {seconds:.1f} s",
        flush=True,
    )
    analyze(connection)
    # Others' work on the same machine skews the figures: say how busy it was.
    print("load average before timing: " + " ".join(f"{load:.1f}" for load in os.getloadavg()))
    timings = [time_page(label, url, runs=arguments.runs) for label, url in pages()]
    print_table(connection.vendor, timings)
    if arguments.json:
        result = {"database": connection.vendor, "generate_s": seconds, "pages": [asdict(t) for t in timings]}
        Path(arguments.json).write_text(json.dumps(result))


def analyze(connection: Any) -> None:
    """Do on PostgreSQL what autovacuum would have done by now on a live database: right
    after a bulk load the planner has no statistics, and autovacuum would start vacuuming
    the new rows in the middle of the timings. SQLite is left as Jalon leaves it in
    production: without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--runs", type=int, default=RUNS)
    return parser.parse_args()


def pages() -> list[tuple[str, str]]:
    """Return the pages to time: the largest plan's tree and dashboard, one of its actions
    with a typical journal, and a search across every plan."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from jalon.plans.models import Plan

    plan = Plan.objects.with_item_count().order_by("-item_count", "pk").first()  # type: ignore[misc]
    assert plan is not None, "the generator made no plan"
    action = typical_action(plan)
    return [
        (f"plan tree ({plan.item_count:,} items)", reverse("plans:detail", args=[plan.slug])),  # type: ignore[attr-defined]
        ("dashboard", reverse("overview:dashboard", args=[plan.slug])),
        (f"action ({action[1]} updates)", reverse("plans:item", args=[plan.slug, action[0]])),
        (f"search ?q={SEARCH}", f"{reverse('overview:search')}?{urlencode({'q': SEARCH})}"),
    ]


def typical_action(plan: Plan) -> tuple[int, int]:
    """Return the key and the number of updates of the action with the median journal."""
    from django.db.models import Count

    from jalon.plans.models import Item

    actions = list(
        Item.objects.filter(plan=plan)
        .leaves()
        .annotate(updates_count=Count("updates"))
        .order_by("updates_count", "pk")
        .values_list("pk", "updates_count")
    )
    return actions[len(actions) // 2]


def time_page(label: str, url: str, *, runs: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = coordinator_client()
    for _ in range(WARM_UPS):
        _get(client, url)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        _get(client, url)
        seconds.append(time.perf_counter() - started)
    timer = QueryTimer()
    with connection.execute_wrapper(timer), CaptureQueriesContext(connection) as captured:
        _get(client, url)
    median, p95 = statistics.median(seconds), percentile(seconds, 95)
    return Timing(label, median * 1000, p95 * 1000, len(captured), timer.seconds * 1000)


class QueryTimer:
    """Add up the time spent in cursor.execute (CaptureQueriesContext rounds to the ms).

    On SQLite a query may still be reading rows after execute returns, so this understates
    the database's share there; on PostgreSQL execute receives every row."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}, not 200")


def percentile(values: list[float], percent: int) -> float:
    """Return the nearest-rank percentile: the smallest value with `percent`% at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def coordinator_client() -> Client:
    from django.test import Client

    from jalon.accounts.models import Role, User

    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    assert coordinator is not None, "the generator made no coordinator"
    client = Client()
    client.force_login(coordinator)
    return client


def print_table(database: str, timings: list[Timing]) -> None:
    print(f"{'page (' + database + ')':45} {'median':>9} {'p95':>9} {'queries':>8} {'SQL':>9}")
    for timing in timings:
        print(
            f"{timing.page:45} {timing.median_ms:6.1f} ms {timing.p95_ms:6.1f} ms "
            f"{timing.queries:8} {timing.sql_ms:6.1f} ms"
        )


if __name__ == "__main__":
    main()
