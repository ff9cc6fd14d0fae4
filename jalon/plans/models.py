"""A plan is an ordered tree of items, kept exactly as its source wrote it."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jalon.lib.text import fold

from .importers import limits

# Each step of Item.path is the item's position among its siblings, zero-padded so that
# ordering by path is the document order and a subtree is one "path starts with" query.
PATH_STEP = 5


def path_step(position: int) -> str:
    return f"{position:0{PATH_STEP}d}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    ADOPTED = "adopted", pgettext_lazy("plan status", "Adopted")
    ARCHIVED = "archived", pgettext_lazy("plan status", "Archived")


def _count_per_plan(model: type[models.Model]) -> Coalesce:
    # A subquery per count: joining items and anomalies at once would multiply the rows.
    rows = (
        model._default_manager.filter(plan=models.OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)


class PlanQuerySet(models.QuerySet["Plan"]):
    def with_item_count(self) -> PlanQuerySet:
        return self.annotate(item_count=_count_per_plan(Item))

    def with_anomaly_count(self) -> PlanQuerySet:
        return self.annotate(anomaly_count=_count_per_plan(Anomaly))

    def published(self) -> PlanQuerySet:
        """Return the plans a coordinator opened to the public portal; one sent back to
        draft afterwards leaves the portal with it."""
        return self.filter(published_at__isnull=False).exclude(status=PlanStatus.DRAFT)

    def by_reference(self, reference: str) -> Plan:
        """Return the plan a user named on the command line, by slug or by number."""
        if reference.isdigit():
            return self.get(pk=int(reference))
        return self.get(slug=reference)


class Plan(models.Model):
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=limits.PLAN_TITLE_MAX_LENGTH)
    organisation = models.CharField(
        _("organisation"), max_length=limits.PLAN_ORGANISATION_MAX_LENGTH, blank=True
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=limits.PLAN_LANGUAGE_MAX_LENGTH, default="fr")
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    levels = models.JSONField(_("level names"), default=list, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    source_name = models.CharField(_("source file"), max_length=500, blank=True)
    source_format = models.CharField(_("source format"), max_length=20, blank=True)
    source_checksum = models.CharField(_("source checksum"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("imported on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set while the plan is open to the public portal (plan_publish, plan_unpublish).
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["levels", "preamble", "source_checksum"])
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title", "pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.slug])

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start.year}-{self.period_end.year}"
        return ""

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def level_name(self, depth: int) -> str:
        return self.levels[depth] if depth < len(self.levels) else ""


class ItemQuerySet(models.QuerySet["Item"]):
    def in_document_order(self) -> ItemQuerySet:
        return self.order_by("path")

    def subtree(self, item: Item) -> ItemQuerySet:
        return self.filter(plan_id=item.plan_id, path__startswith=item.path)

    def roots(self) -> ItemQuerySet:
        return self.filter(parent__isnull=True)

    def leaves(self) -> ItemQuerySet:
        """Return the actions: the items with nothing under them."""
        return self.filter(children__isnull=True)

    def search(self, query: str) -> ItemQuerySet:
        """Return items whose text holds every word of the query, ignoring accents and case."""
        # PostgreSQL refuses a NUL character in any text; no item's text holds one anyway.
        for word in fold(query.replace("\x00", " ")).split():
            self = self.filter(search_text__contains=word)
        return self


class Item(models.Model):
    """One node of a plan: an axis, an orientation, an action, or whatever the plan's
    own levels are. Its identity is its primary key, never its code: codes repeat."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"))
    depth = models.PositiveSmallIntegerField(_("depth"))
    path = models.CharField(max_length=limits.MAX_DEPTH * PATH_STEP, db_index=True)
    code = models.CharField(_("code"), max_length=limits.CODE_MAX_LENGTH, blank=True)
    label = models.CharField(_("label"), max_length=limits.LABEL_MAX_LENGTH, blank=True)
    title = models.TextField(_("title"))
    title_en = models.TextField(_("title in English"), blank=True)
    body = models.TextField(_("text"), blank=True)
    line_start = models.PositiveIntegerField(_("first line"), null=True, blank=True)
    line_end = models.PositiveIntegerField(_("last line"), null=True, blank=True)
    # The item's words folded to lower case without accents, so that one plain
    # "contains" finds "Québec" from "quebec" on SQLite and PostgreSQL alike.
    search_text = models.TextField(blank=True, editable=False)
    # Raised by one on every edit; an edit made from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["search_text", "path"])
    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "path"]
        constraints = [models.UniqueConstraint(fields=["plan", "path"], name="item_unique_path_in_plan")]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:item", args=[self.plan.slug, self.pk])

    def ancestor_paths(self) -> list[str]:
        """Return the paths of the item and of every item above it, nearest first."""
        return [self.path[:end] for end in range(len(self.path), 0, -PATH_STEP)]

    @property
    def tracking_or_none(self) -> Any:
        # Tracking lives in its own app; an item nobody has tracked yet has no row.
        try:
            return self.tracking  # type: ignore[attr-defined]
        except ObjectDoesNotExist:
            return None

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join((self.code, self.title, self.title_en, self.body)))

    @property
    def level_label(self) -> str:
        """Return the level name written on the item, else the plan's name for its depth."""
        return self.label or self.plan.level_name(self.depth)


class AnomalyKind(models.TextChoices):
    DUPLICATE_CODE = "duplicate_code", _("Duplicate code")
    MISSING_CODE = "missing_code", _("Missing code")
    OUT_OF_ORDER = "out_of_order", _("Code out of order")
    CODE_MISMATCH = "code_mismatch", _("Code does not match its parent")
    NO_CODE = "no_code", _("Item without a code")
    LEVEL_LABEL = "level_label", _("Inconsistent level label")
    JOINED_TEXT = "joined_text", _("Text continued on a later line")
    ATTACHED_TEXT = "attached_text", _("Line attached to the item above")
    UNPLACED_TEXT = "unplaced_text", _("Text that could not be placed")
    MARKUP = "markup", _("Markup removed")


# Each message is written with named blanks, filled at display time in the reader's
# language, so the same report reads in French or in English.
ANOMALY_MESSAGES: dict[str, Any] = {
    AnomalyKind.DUPLICATE_CODE: _(
        "Code %(code)s appears more than once (first at line %(first_line)s); both items are kept."
    ),
    AnomalyKind.MISSING_CODE: _("Code %(code)s is missing: the numbering goes from %(before)s to %(after)s."),
    AnomalyKind.OUT_OF_ORDER: _("Code %(code)s comes after %(previous)s; the order is kept as written."),
    AnomalyKind.CODE_MISMATCH: _("Code %(code)s does not start with the code of its parent, %(parent)s."),
    AnomalyKind.NO_CODE: _("This item has no code."),
    AnomalyKind.LEVEL_LABEL: _("This level is called “%(label)s” here but “%(expected)s” elsewhere."),
    AnomalyKind.JOINED_TEXT: _(
        "The title of %(code)s continues on line %(line)s; the two parts were joined."
    ),
    AnomalyKind.ATTACHED_TEXT: _("This line has no item of its own; it was attached to %(code)s above it."),
    AnomalyKind.UNPLACED_TEXT: _("This text could not be placed in the plan and is kept here."),
    AnomalyKind.MARKUP: _("Formatting marks (%(marks)s) were removed from the text."),
}


class Anomaly(models.Model):
    """Something odd in the source, reported and kept word for word, never fixed silently."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="anomalies")
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="anomalies")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=30, choices=AnomalyKind.choices)
    code = models.CharField(_("code"), max_length=limits.CODE_MAX_LENGTH, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    text = models.TextField(_("source text"), blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("anomaly")
        verbose_name_plural = _("anomalies")

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return anomaly_message(self.kind, {"code": self.code, "line": self.line, **self.params})


def anomaly_message(kind: str, params: dict[str, Any]) -> str:
    template = ANOMALY_MESSAGES.get(kind)
    if template is None:
        return gettext("Unknown anomaly.")
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(AnomalyKind(kind).label) if kind in AnomalyKind.values else str(template)


# An upload waits this long for its preview to be confirmed; after that it reads as expired.
PENDING_IMPORT_LIFETIME = datetime.timedelta(days=1)


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def visible_to(self, user: Any) -> PendingImportQuerySet:
        """Return the uploads a person may preview: their own, or every one for an administrator."""
        if getattr(user, "is_administrator", False):
            return self
        return self.filter(uploader=user)

    def expired(self) -> PendingImportQuerySet:
        return self.filter(created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME)


class PendingImport(models.Model):
    """An uploaded file that was read without error, waiting for its preview to be confirmed.

    The bytes are kept rather than the parsed tree: parsing is quick and pure, so the preview
    and the confirmation read the very same file the person looked at."""

    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=500)
    data = models.BinaryField(_("content"))
    format = models.CharField(_("format"), max_length=20)
    slug = models.SlugField(_("identifier"), max_length=120, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    created_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("exchange:import_preview", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.created_at + PENDING_IMPORT_LIFETIME < timezone.now()
