"""Jobs that run on a schedule: cleaning old report files, finding work a dead worker left,
and later reminders and digests.

`jalon periodic`, run every minute by a systemd timer or cron (docs/deploy.md), runs each
job whose period has passed. The last start of each job is kept in the database and taken
under a row lock, so that several servers calling the command at the same minute run a
job once. Apps register their jobs from their AppConfig.ready."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger(__name__)

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: datetime.timedelta
    run: Callable[[], object]


_jobs: dict[str, PeriodicJob] = {}


def every(period: datetime.timedelta, name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register the decorated function to run once per period, under a stable name."""

    def register(function: Callable[[], object]) -> Callable[[], object]:
        _jobs[name] = PeriodicJob(name, period, function)
        return function

    return register


def jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Run every job whose period has passed since its last start; return their names."""
    now = now or timezone.now()
    ran = []
    for job in jobs():
        if _claim(job, now):
            try:
                job.run()
            except Exception:  # one broken job must not keep the others from running
                logger.exception("Periodic job %s failed", job.name)
            ran.append(job.name)
    return ran


@transaction.atomic
def _claim(job: PeriodicJob, now: datetime.datetime) -> bool:
    PeriodicRun.objects.get_or_create(name=job.name, defaults={"started_at": now - job.every})
    run = PeriodicRun.objects.select_for_update().get(name=job.name)
    # A few seconds of slack: a timer firing every minute is never exactly a minute late.
    if run.started_at + job.every - datetime.timedelta(seconds=5) > now:
        return False
    run.started_at = now
    run.save(update_fields=["started_at"])
    return True
