"""`make bench`: time the importers on the seed and on a generated 10,000-item outline,
then four pages on a generated data set, on SQLite and on PostgreSQL when it listens.

Each importer figure is the median of several runs in this process. The baseline is the
same tree written one item at a time, as a tree library's add_child would, measured in
the same run so that the ratio holds on any machine. The pages are timed by
bench/pages.py in one subprocess per database, since Django is set up once per process."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"
POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432
POSTGRES_ADMIN_URL = f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"
POSTGRES_BENCH_DATABASE = "jalon_bench"


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="jalon-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; Python {sys.version.split()[0]}")
    seed = SEED.read_bytes()
    outline = generated_outline(axes=10, orientations=10, actions=100).encode()
    report("seed: parse", seed_name(), seed, write=False)
    report("seed: parse + write", seed_name(), seed, write=True)
    report("10,110-item outline: parse", "outline.md", outline, write=False)
    fast = report("10,110-item outline: parse + write", "outline.md", outline, write=True)
    slow = measure(lambda: write_one_by_one("outline.md", outline), runs=1)
    print(f"{'baseline: the same, one INSERT per item':45} {slow * 1000:9.1f} ms")
    print(f"{'ratio baseline / Jalon':45} {slow / fast:9.1f} x")
    compare_pages(workdir)
    time_reports(workdir)


def seed_name() -> str:
    return SEED.name


def report(label: str, name: str, data: bytes, *, write: bool, runs: int = 5) -> float:
    seconds = measure(lambda: import_once(name, data, write=write), runs=runs)
    print(f"{label:45} {seconds * 1000:9.1f} ms")
    return seconds


def measure(job: Callable[[], object], runs: int) -> float:
    """Return the median time of the job; clearing the database after it is not counted."""
    from jalon.plans.models import Anomaly, Item, Plan

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        timings.append(time.perf_counter() - started)
        for model in (Anomaly, Item, Plan):  # one statement each, no per-row history
            model.objects.all()._raw_delete(model.objects.db)  # type: ignore[attr-defined]
    return statistics.median(timings)


def import_once(name: str, data: bytes, *, write: bool) -> None:
    from jalon.plans.importers import Source, parse_source
    from jalon.plans.services import plan_import

    source = Source(name=name, data=data)
    parsed = parse_source(source)
    if write:
        plan_import(parsed=parsed, source_name=name, checksum=source.checksum)


def write_one_by_one(name: str, data: bytes) -> None:
    from django.db import transaction

    from jalon.plans.importers import Source, parse_source
    from jalon.plans.models import Item, Plan, path_step

    parsed = parse_source(Source(name=name, data=data))
    with transaction.atomic():
        plan = Plan.objects.create(slug="baseline", title=parsed.title)
        stack = [(child, None, "", position) for position, child in enumerate(parsed.items)]
        while stack:
            node, parent, parent_path, position = stack.pop()
            item = Item.objects.create(
                plan=plan,
                parent=parent,
                position=position,
                path=parent_path + path_step(position),
                depth=len(parent_path) // len(path_step(0)),
                code=node.code,
                title=node.title,
            )
            stack += [(child, item, item.path, index) for index, child in enumerate(node.children)]


def time_reports(workdir: str) -> None:
    """Time the annual report of the seed and of a 1,000-action plan, in a fresh process."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(workdir) / 'reports.sqlite3'}"}
    subprocess.run(
        [sys.executable, "-m", "bench.reports", "--runs", "1"], env=environment, check=True, cwd=REPO
    )


def compare_pages(workdir: str) -> None:
    """Time the pages on SQLite, then on PostgreSQL if it listens, and compare them."""
    sqlite_file = Path(workdir) / "pages.sqlite3"
    results = {"sqlite": pages_on(f"sqlite:///{sqlite_file}", workdir)}
    sqlite_file.unlink()  # some 40 MB nobody will read again
    if not postgres_listens():
        print(f"PostgreSQL skipped: nothing listens on {POSTGRES_HOST}:{POSTGRES_PORT}")
    elif problem := recreate_postgres_database():
        print(f"PostgreSQL skipped: {problem}")
    else:
        try:
            url = f"postgres://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{POSTGRES_BENCH_DATABASE}"
            results["postgresql"] = pages_on(url, workdir)
        finally:
            drop_postgres_database()
    print_comparison(results)


def pages_on(database_url: str, workdir: str) -> list[dict[str, Any]]:
    """Run bench.pages in a fresh process on that database and return its figures."""
    output = Path(workdir) / "pages.json"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Timed as in production: no debug toolbar of queries, the test client's host allowed.
        "JALON_DEBUG": "0",
        "JALON_SECRET_KEY": "bench-only-secret-key",
        "JALON_ALLOWED_HOSTS": "testserver",
    }
    command = [sys.executable, "-m", "bench.pages", "--json", str(output)]
    subprocess.run(command, cwd=REPO, env=environment, check=True)
    pages: list[dict[str, Any]] = json.loads(output.read_text())["pages"]
    return pages


def postgres_listens() -> bool:
    try:
        socket.create_connection((POSTGRES_HOST, POSTGRES_PORT), timeout=1).close()
    except OSError:
        return False
    return True


def recreate_postgres_database() -> str:
    """Return why the bench database cannot be made (a server that refuses us), or ""."""
    import psycopg

    try:
        drop_postgres_database()
        _postgres_admin("CREATE DATABASE {}")
    except psycopg.Error as error:
        return str(error).strip()
    return ""


def drop_postgres_database() -> None:
    # FORCE ends the connections a failed run may have left behind (PostgreSQL 13 and later).
    _postgres_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def _postgres_admin(statement: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(POSTGRES_BENCH_DATABASE)))


def print_comparison(results: dict[str, list[dict[str, Any]]]) -> None:
    """Print page, median, p95 and queries for each database, and PG / SQLite where both ran."""
    print()
    print(f"{'page':40} {'database':10} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'PG/SQLite':>10}")
    sqlite = results["sqlite"]
    for index, reference in enumerate(sqlite):
        for database, pages in results.items():
            page = pages[index]
            ratio = f"{page['median_ms'] / reference['median_ms']:9.2f}x" if database != "sqlite" else ""
            print(
                f"{reference['page']:40} {database:10} {page['median_ms']:10.1f} {page['p95_ms']:10.1f}"
                f" {page['queries']:8} {ratio:>10}"
            )


def generated_outline(*, axes: int, orientations: int, actions: int) -> str:
    lines = ["# Plan d'action 2030-2035", ""]
    for axis in range(1, axes + 1):
        lines += [f"## Axe {axis} : Renforcer la solidarité internationale n° {axis}", ""]
        for orientation in range(1, orientations + 1):
            lines += [f"### {axis}.{orientation} Soutenir les partenaires du Sud global", ""]
            lines += [
                f"{axis}.{orientation}.{action}. Appuyer les coopératives de femmes au Honduras"
                for action in range(1, actions + 1)
            ]
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
