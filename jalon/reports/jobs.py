"""Reports in PDF or DOCX, prepared beside the web request and kept for download.

A 1,000-action plan takes WeasyPrint minutes to lay out, longer than any proxy waits for
an answer. So the page asks `report_job_start`, which records a `ReportJob` and runs it in
a thread of the same process once the row is committed; the page then watches the row's
progress. No queue server: one organisation asks for a few reports a year, and a job
whose process died shows as interrupted (`ReportJob.is_interrupted`) and can be asked again.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.plans.models import Plan

from .formats import FORMATS, file_name
from .model import STEPS, ReportError, build_report
from .models import JobState, ReportJob, report_path

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
    """Record a report job and run it: in a thread after the commit, or at once when
    JALON_REPORTS_IN_BACKGROUND is off."""
    job = ReportJob.objects.create(
        plan=plan, user=user, format=format, language=language, date_from=date_from, date_to=date_to
    )
    report_files_prune(plan=plan)
    if settings.JALON_REPORTS_IN_BACKGROUND:
        # The thread reads the row through its own connection: it must exist by then.
        transaction.on_commit(lambda: report_job_thread(job.pk).start())
    else:
        report_job_run(job.pk)
        job.refresh_from_db()
    return job


def report_job_thread(job_id: int) -> threading.Thread:
    """Return a daemon thread (not started) that runs the job, named after it."""
    return threading.Thread(target=_run_and_close, args=(job_id,), name=thread_name(job_id), daemon=True)


def thread_name(job_id: int) -> str:
    return f"report-job-{job_id}"


def _run_and_close(job_id: int) -> None:
    try:
        report_job_run(job_id)
    finally:
        # The thread opened its own connection; nothing else would ever close it.
        connection.close()


def report_job_run(job_id: int) -> None:
    """Build and lay out the report of a job, store its file and mark it done, or failed
    with the reason in plain words."""
    job = ReportJob.objects.select_related("plan").get(pk=job_id)
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
    ReportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, step=_("Starting"))
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
        ReportJob.objects.filter(pk=self.job_id).update(progress=progress, step=label[:200])


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
