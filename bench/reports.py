"""`python -m bench.reports [--runs N] [--json FILE]`: time the annual progress report.

Two plans: the seed with its demo tracking data, and a generated plan of 1,000 actions
(bench/generate.py, about 10 updates per action), every update within the report's range.
For each: building the report model, then each renderer (HTML, DOCX, PDF), the median
of `--runs` runs, and the number of queries of building the model. On an empty SQLite
file in a temporary folder unless DATABASE_URL is set (then on that database, which must be empty)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up inside main(), so its modules load there
    from jalon.plans.models import Plan

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"
RUNS = 1  # the PDF of 1,000 actions alone takes most of a minute


@dataclass
class Timing:
    plan: str
    step: str
    median_ms: float
    queries: int | None = None


def main() -> None:
    arguments = _arguments()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='jalon-bench-')}/reports.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    os.environ.setdefault("JALON_SECRET_KEY", "bench-only-secret-key")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    timings: list[Timing] = []
    for label, plan in _plans():
        timings += time_report(label, plan, runs=arguments.runs)
    print_table(timings)
    if arguments.json:
        Path(arguments.json).write_text(json.dumps([asdict(timing) for timing in timings]))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args()


def _plans() -> list[tuple[str, Plan]]:
    from bench.generate import Scale, generate
    from jalon.accounts.models import Role, User
    from jalon.plans.importers import Source, parse_source
    from jalon.plans.services import plan_import
    from jalon.tracking.demo import demo_tracking_create

    User.objects.create_user(username="bench-report-lead", role=Role.LEAD)
    source = Source.from_path(SEED)
    seed = plan_import(parsed=parse_source(source), source_name=source.name, checksum=source.checksum)
    demo_tracking_create(seed)
    generated = generate(scale=Scale(plans=1, actions=1000, users=50, updates=10_000))
    return [("seed", seed), ("1,000 actions", generated.plans[0])]


def _median_ms(work: Callable[[], object], runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000


def time_report(label: str, plan: Plan, *, runs: int) -> list[Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jalon.reports.model import build_report
    from jalon.reports.render_docx import render_docx
    from jalon.reports.render_html import render_html
    from jalon.reports.render_pdf import render_pdf

    # Every update counts: the generated journal is dated over the last two years.
    start, end = datetime.date(2000, 1, 1), timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        report = build_report(plan, date_from=start, date_to=end)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("model", lambda: build_report(plan, date_from=start, date_to=end)),
        ("html", lambda: render_html(report)),
        ("docx", lambda: render_docx(report)),
        ("pdf", lambda: render_pdf(report)),
    ]
    timings = [Timing(label, step, _median_ms(work, runs)) for step, work in steps]
    timings[0].queries = len(captured)
    return timings


def print_table(timings: list[Timing]) -> None:
    print(f"{'report':20} {'step':6} {'median':>10} {'queries':>8}")
    for timing in timings:
        queries = "" if timing.queries is None else str(timing.queries)
        print(f"{timing.plan:20} {timing.step:6} {timing.median_ms:7.0f} ms {queries:>8}")


if __name__ == "__main__":
    main()
