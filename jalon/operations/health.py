"""Is this server able to do its work? The database answers, and the queue moves: a
load balancer or a monitoring probe asks `/healthz` every few seconds.

A worker's liveness is read from the queue itself: every minute `jalon periodic` enqueues
a heartbeat task, and the last one a worker ran says when a worker was last seen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import periodic

# Tasks waiting longer than this mean no worker takes them: the queue is stuck.
STUCK_AFTER = datetime.timedelta(minutes=5)
# Finished tasks are kept this long, for whoever looks into a failure.
KEEP_RESULTS = datetime.timedelta(days=14)


@task()
def heartbeat() -> str:
    """Do nothing: that a worker ran it, and when, is what the health check reads."""
    return "alive"


@periodic.every(periodic.MINUTE, "queue heartbeat")
def enqueue_heartbeat() -> None:
    heartbeat.enqueue()


@periodic.every(periodic.DAY, "queue results pruning")
def prune_results(now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - KEEP_RESULTS
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@dataclass
class Health:
    database: bool = False
    waiting_tasks: int = 0
    oldest_waiting_seconds: int = 0
    worker_seen_at: datetime.datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def health(now: datetime.datetime | None = None) -> Health:
    """Return what the health check reports, with the problems found in plain words."""
    now = now or timezone.now()
    found = Health()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        found.database = True
        _read_queue(found, now)
    except DatabaseError as error:
        found.problems.append(f"database: {error}")
    return found


def _read_queue(found: Health, now: datetime.datetime) -> None:
    waiting = DBTaskResult.objects.ready()
    found.waiting_tasks = waiting.count()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is not None:
        found.oldest_waiting_seconds = int((now - oldest).total_seconds())
        if now - oldest > STUCK_AFTER:
            found.problems.append(f"queue: a task has waited {found.oldest_waiting_seconds} s for a worker")
    path = f"{heartbeat.module_path}"
    last = DBTaskResult.objects.successful().filter(task_path=path).order_by("-finished_at").first()
    found.worker_seen_at = last.finished_at if last else None
