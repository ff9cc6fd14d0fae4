"""A report asked for in PDF or DOCX, prepared by a worker of the task queue (see jobs.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalon.plans.models import Plan

# A worker preparing a job writes on its row this often; a row silent for LOST_AFTER has
# lost its worker (killed, or its machine stopped), and is queued again, MAX_ATTEMPTS in all.
HEARTBEAT_EVERY = datetime.timedelta(seconds=10)
LOST_AFTER = datetime.timedelta(seconds=60)
MAX_ATTEMPTS = 2
RECENT_JOBS = 10


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class JobFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("DOCX (Word)")


def report_path(job: ReportJob, filename: str) -> str:
    # Under MEDIA_ROOT, which no URL serves: files leave only through the download view.
    return f"reports/{job.plan_id}/{job.pk}/{filename}"


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def newest_first(self) -> ReportJobQuerySet:
        return self.order_by("-created_at", "-pk")

    def unfinished(self) -> ReportJobQuerySet:
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])

    def lost(self, now: datetime.datetime) -> ReportJobQuerySet:
        """Return the jobs being prepared whose worker has not been heard of for LOST_AFTER."""
        return self.filter(state=JobState.RUNNING, heartbeat_at__lt=now - LOST_AFTER)


class ReportJob(models.Model):
    """One report asked for by someone, with how far its preparation has gone."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="report_jobs"
    )
    format = models.CharField(_("format"), max_length=8, choices=JobFormat.choices)
    language = models.CharField(_("language"), max_length=8)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Which task of the queue runs it, how many times a worker took it, which worker has it
    # now and when that worker last said it was alive.
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard of"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.format} {self.date_from}–{self.date_to} {self.state}"

    def is_interrupted(self, now: datetime.datetime | None = None) -> bool:
        """Return whether the worker preparing the job has gone silent: it will be queued
        again (or failed) by the next `jalon periodic`."""
        heard = self.heartbeat_at or self.created_at
        return self.state == JobState.RUNNING and heard < (now or timezone.now()) - LOST_AFTER

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        """Return whether the job may still move forward, so the page should keep watching it:
        an interrupted one is queued again within a minute."""
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def downloadable(self) -> bool:
        return self.state == JobState.DONE and bool(self.file)

    @property
    def file_name(self) -> str:
        """Return the name the file is offered under (the last part of its stored path)."""
        return (self.file.name or "").rsplit("/", 1)[-1]
