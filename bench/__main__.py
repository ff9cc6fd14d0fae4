"""`make bench`: time the importers on the seed and on a generated 10,000-item outline.

Each figure is the median of several runs in this process. The baseline is the same
tree written one item at a time, as a tree library's add_child would, measured in the
same run so that the ratio holds on any machine."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"


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
