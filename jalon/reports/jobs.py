"""Reports in PDF or DOCX, prepared by a worker of the task queue and kept for download.

A 1,000-action plan takes WeasyPrint minutes to lay out, longer than any proxy waits for
an answer. So the page asks `report_job_start`, which records a `ReportJob` and enqueues
`report_job_task` in the same transaction; any `jalon db_worker` on any machine takes it,
and the page watches the row's progress. While it works, the worker writes a heartbeat
on the row; a job whose heartbeat stops (its worker was killed or its machine went down)
is found by the periodic job `report_jobs_recover` and queued again, or failed after
MAX_ATTEMPTS, never left "being prepared" forever."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from jalon.accounts.models import User
from jalon.operations import periodic
from jalon.plans.models import Plan

from .formats import FORMATS, file_name
from .model import STEPS, ReportError, build_report
from .models import HEARTBEAT_EVERY, MAX_ATTEMPTS, JobState, ReportJob, report_path

logger = logging.getLogger(__name__)

# Writing the progress row more often only adds database writes nobody sees.
THROTTLE_SECONDS = 0.5
# Files are derived data, made again in a minute: the folder must not grow forever.
KEEP_FILES = datetime.timedelta(days=7)


def report_job_start(
    *,
    plan: Plan,
    user: User | None,
    format: str,
    language: str,
    date_from: datetime.date,
    date_to: datetime.date,
) -> ReportJob:
    """Record a report job and put it in the queue, in one transaction: a worker sees the
    task only once the job it names exists."""
    with transaction.atomic():
        job = ReportJob.objects.create(
            plan=plan, user=user, format=format, language=language, date_from=date_from, date_to=date_to
        )
        report_files_prune(plan=plan)
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: ReportJob) -> None:
    result = report_job_task.enqueue(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def report_job_task(job_id: int) -> None:
    """Prepare one report job: what a worker of the queue runs."""
    with _heartbeat(job_id):
        report_job_run(job_id)


@contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    # WeasyPrint lays a large plan out in one call that reports no progress for minutes:
    # a thread of the worker (never of a web process) says the job is alive meanwhile.
    stop = threading.Event()
    beater = threading.Thread(target=_beat, args=(job_id, stop), name=f"report-job-{job_id}", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()


def _beat(job_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
            running = ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING)
            try:
                running.update(heartbeat_at=timezone.now())
            except DatabaseError:
                # A busy database skips one beat; the job is lost only after six in a row.
                logger.warning("Report job %s: a heartbeat could not be written", job_id)
    finally:
        # The thread opened its own connection; nothing else would ever close it.
        connection.close()


def report_job_run(job_id: int) -> None:
    """Build and lay out the report of a job, store its file and mark it done, or failed
    with the reason in plain words."""
    job = ReportJob.objects.select_related("plan").get(pk=job_id)
    if job.state not in (JobState.QUEUED, JobState.RUNNING):
        return  # already done or given up: a task delivered twice does the work once
    with translation.override(job.language):
        try:
            data = _produce(job)
        except ReportError as error:
            _fail(job, str(error))
            return
        except Exception as error:  # a job must end in a state the page can show, whatever failed
            logger.exception("Report job %s failed", job_id)
            _fail(job, _("The report could not be made: %(error)s") % {"error": _plain(error)})
            return
        _finish(job, data)


def _produce(job: ReportJob) -> tuple[str, bytes]:
    ReportJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        step=_("Starting"),
        progress=0,
        attempts=job.attempts + 1,
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{os.getpid()}"[:100],
    )
    fmt = FORMATS[job.format]
    render_steps = job.plan.items.roots().count() if fmt.by_axis else 1
    recorder = ProgressRecorder(job.pk, total=STEPS + render_steps + 1)
    report = build_report(
        job.plan, date_from=job.date_from, date_to=job.date_to, language=job.language, step=recorder.step
    )
    data = fmt.render(report, recorder.step)
    return file_name(report, job.plan.slug, fmt), data


def _finish(job: ReportJob, produced: tuple[str, bytes]) -> None:
    name, data = produced
    # A file left at the same place by an earlier database (a restore, a reset) would make
    # the storage rename this one; the name is the one the reader downloads.
    storage = job.file.storage
    stale = report_path(job, name)
    if storage.exists(stale):
        storage.delete(stale)
    job.file.save(name, ContentFile(data), save=False)
    job.state, job.progress, job.step = JobState.DONE, 100, _("Ready")
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "state", "progress", "step", "finished_at"])


def _plain(error: Exception) -> str:
    return str(error) or type(error).__name__


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=message, finished_at=timezone.now()
    )


class ProgressRecorder:
    """Write a job's progress and current step to its row, at most every THROTTLE_SECONDS."""

    def __init__(self, job_id: int, *, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id, self.total, self.clock = job_id, total, clock
        self.done = 0
        self.written_at: float | None = None

    def step(self, label: str) -> None:
        self.done += 1
        now = self.clock()
        if self.written_at is not None and now - self.written_at < THROTTLE_SECONDS:
            return
        self.written_at = now
        # 100 % is kept for the moment the file is stored.
        progress = min(99, 100 * self.done // self.total)
        ReportJob.objects.filter(pk=self.job_id).update(
            progress=progress, step=label[:200], heartbeat_at=timezone.now()
        )


def report_files_prune(*, plan: Plan, now: datetime.datetime | None = None) -> int:
    """Delete the files of the plan's jobs older than KEEP_FILES; return how many went."""
    cutoff = (now or timezone.now()) - KEEP_FILES
    old = ReportJob.objects.filter(plan=plan, created_at__lt=cutoff).exclude(file="")
    count = 0
    for job in old:
        job.file.delete(save=False)
        ReportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count


@periodic.every(periodic.MINUTE, "report jobs recovery")
def report_jobs_recover(now: datetime.datetime | None = None) -> int:
    """Queue again the jobs whose worker stopped in the middle, or fail them for good after
    MAX_ATTEMPTS; return how many were found."""
    found = list(ReportJob.objects.lost(now or timezone.now()))
    for job in found:
        if job.attempts < MAX_ATTEMPTS:
            with transaction.atomic():
                ReportJob.objects.filter(pk=job.pk).update(
                    state=JobState.QUEUED, step=_("Waiting to be tried again"), heartbeat_at=None
                )
                _enqueue(job)
        else:
            with translation.override(job.language):
                _fail(
                    job,
                    _("The worker preparing this report stopped %(count)s times; ask for it again.")
                    % {"count": job.attempts},
                )
    return len(found)


@periodic.every(periodic.DAY, "report files pruning")
def report_files_prune_all() -> int:
    """Delete the files of every plan's jobs older than KEEP_FILES."""
    return sum(
        report_files_prune(plan=plan) for plan in Plan.objects.filter(report_jobs__isnull=False).distinct()
    )
