"""A report asked for in PDF or DOCX, prepared outside the web request (see jobs.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalon.plans.models import Plan

# A job still queued or running this long after it was asked for has lost its process
# (a restart, a crash): nothing will ever finish it.
STALE_AFTER = datetime.timedelta(hours=1)
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

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.format} {self.date_from}–{self.date_to} {self.state}"

    def is_interrupted(self, now: datetime.datetime | None = None) -> bool:
        """Return whether the job was left unfinished by a process that is gone."""
        unfinished = self.state in (JobState.QUEUED, JobState.RUNNING)
        return unfinished and self.created_at < (now or timezone.now()) - STALE_AFTER

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        """Return whether the job may still move forward, so the page should keep watching it."""
        unfinished = self.state in (JobState.QUEUED, JobState.RUNNING)
        return unfinished and not self.is_interrupted(now)

    @property
    def downloadable(self) -> bool:
        return self.state == JobState.DONE and bool(self.file)

    @property
    def file_name(self) -> str:
        """Return the name the file is offered under (the last part of its stored path)."""
        return (self.file.name or "").rsplit("/", 1)[-1]
