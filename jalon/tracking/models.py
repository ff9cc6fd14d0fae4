"""Where each action stands: status, progress, people, dates, milestones and its journal."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jalon.plans.models import Item

# Past this many days without an update, an action in progress counts as forgotten.
STALE_AFTER_DAYS = 90


class Status(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("action status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    ONGOING = "ongoing", pgettext_lazy("action status", "Ongoing")
    DELAYED = "delayed", pgettext_lazy("action status", "Delayed")
    CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")


# Statuses under which an action no longer needs anyone's attention.
CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority", "Low")
    NORMAL = "normal", pgettext_lazy("priority", "Normal")
    HIGH = "high", pgettext_lazy("priority", "High")


class TrackingQuerySet(models.QuerySet["Tracking"]):
    def late(self, today: datetime.date | None = None) -> TrackingQuerySet:
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=CLOSED_STATUSES)

    def without_lead(self) -> TrackingQuerySet:
        return self.filter(leads__isnull=True).exclude(status=Status.CANCELLED)


class Tracking(models.Model):
    """The tracking fields of one item. Items without a row are simply not started."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="tracking")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="leading", blank=True, verbose_name=_("leads")
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("team")
    )
    # Raised by one on every save; a save that carries an older number is refused so that
    # two people editing the same action never silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[leads, team])
    objects = TrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracking")
        verbose_name_plural = _("tracking")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="tracking_progress_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()}"


class Milestone(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class UpdateQuerySet(models.QuerySet["Update"]):
    def newest_first(self) -> UpdateQuerySet:
        return self.order_by("-date", "-created_at", "-pk")

    def public(self) -> UpdateQuerySet:
        """Return the updates marked for the public portal; the others stay internal."""
        return self.filter(public=True)


class Update(models.Model):
    """A dated entry in an action's journal, optionally changing its status and progress."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(
        _("text"), help_text=_("Markdown: *italics*, **bold**, [link](https://…), lists.")
    )
    status = models.CharField(_("new status"), max_length=20, choices=Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("new progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Internal unless someone chose to show it on the public portal (update_publish).
    public = models.BooleanField(_("shown on the public portal"), default=False)

    history = HistoricalRecords()
    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        indexes = [
            models.Index(fields=["item", "-date"]),
            # The dashboard's and the portal's "recent updates" read the newest few of a
            # plan: walking this index stops after a few rows instead of sorting them all.
            models.Index(fields=["-date", "-created_at", "-id"], name="update_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.date}"


class UpdateLink(models.Model):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=1000)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label or self.url


def attachment_path(attachment: Attachment, filename: str) -> str:
    return f"attachments/{attachment.update.item_id}/{filename}"


class Attachment(models.Model):
    """A file joined to an update, stored under the media folder and served only through
    a view that checks who asks (never by a public URL)."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PendingTableImport(models.Model):
    """An uploaded actions table waiting for its preview to be confirmed or cancelled.

    The bytes are kept, not the computed changes: the confirmation reads the file again
    against the tracking as it is then, so a change made meanwhile is seen as a conflict."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=500)
    data = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("pending table import")
        verbose_name_plural = _("pending table imports")

    def __str__(self) -> str:
        return self.file_name
