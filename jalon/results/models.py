"""Results-based management: results (outcomes, outputs), their indicators with baseline,
targets and recorded values, and each action's budget by year."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jalon.plans.models import Item

# Values may come this many days after the end of their period before the indicator is late.
GRACE_DAYS = 30


class ResultKind(models.TextChoices):
    OUTCOME = "outcome", pgettext_lazy("result kind", "Outcome")
    OUTPUT = "output", pgettext_lazy("result kind", "Output")


# IATI ResultType codelist.
IATI_RESULT_TYPES = {ResultKind.OUTPUT: "1", ResultKind.OUTCOME: "2"}


class Measure(models.TextChoices):
    NUMBER = "number", pgettext_lazy("indicator measure", "Number")
    PERCENT = "percent", pgettext_lazy("indicator measure", "Percent")
    YES_NO = "yes_no", pgettext_lazy("indicator measure", "Yes / no")
    QUALITATIVE = "qualitative", pgettext_lazy("indicator measure", "Qualitative")


# IATI IndicatorMeasure codelist: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative.
IATI_MEASURES = {Measure.NUMBER: "1", Measure.PERCENT: "2", Measure.YES_NO: "3", Measure.QUALITATIVE: "5"}


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class Sex(models.TextChoices):
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")
    OTHER = "other", _("Other")
    ALL = "all", _("All")


class IndicatorStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    LATE = "late", _("Late")
    NO_TARGET = "no_target", _("No target")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, kept within the month (31 January + 1 = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def validate_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"period_end": _("The end of the period comes before its start.")})


def validate_measured(measure: str, value: Decimal | None, text: str, *, required: bool = True) -> None:
    """Check a value (or target) against the indicator's measure; errors name the field."""
    if measure == Measure.QUALITATIVE:
        if required and not text.strip():
            raise ValidationError({"text": _("A qualitative indicator needs a text.")})
        return
    if value is None:
        if required:
            raise ValidationError({"value": _("Enter a number.")})
        return
    if measure == Measure.PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"value": _("A percent lies between 0 and 100.")})
    if measure == Measure.YES_NO and value not in (Decimal(0), Decimal(1)):
        raise ValidationError({"value": _("Enter 1 for yes or 0 for no.")})


class Result(models.Model):
    """An expected change (outcome) or product (output) of an item of the plan."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("kind"), max_length=10, choices=ResultKind.choices, default=ResultKind.OUTCOME)
    title = models.TextField(_("title"))
    title_en = models.TextField(_("title in English"), blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return self.title

    @property
    def iati_code(self) -> str:
        return IATI_RESULT_TYPES[ResultKind(self.kind)]


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def with_schedule(self) -> IndicatorQuerySet:
        """Annotate what is_late and status need: first target start, last total value's end."""
        targets = Target.objects.filter(indicator=OuterRef("pk")).order_by().values("indicator")
        values = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by().values("indicator")
        return self.annotate(
            first_target_start=Subquery(targets.annotate(first=Min("period_start")).values("first")),
            last_value_end=Subquery(values.annotate(last=Max("period_end")).values("last")),
        )


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = models.TextField(_("title"))
    title_en = models.TextField(_("title in English"), blank=True)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, default=Measure.NUMBER)
    unit = models.CharField(_("unit"), max_length=100, blank=True, help_text=_("For example: people"))
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_comment = models.TextField(_("baseline comment"), blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    collection_method = models.CharField(_("collection method"), max_length=300, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.YEARLY
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("person responsible"),
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.title

    @property
    def iati_measure(self) -> str:
        return IATI_MEASURES[Measure(self.measure)]

    def schedule_start(self, first_target_start: datetime.date | None) -> datetime.date | None:
        if first_target_start and self.baseline_date:
            return min(first_target_start, self.baseline_date)
        return first_target_start or self.baseline_date

    def last_due_period(
        self, today: datetime.date, first_target_start: datetime.date | None
    ) -> tuple[datetime.date, datetime.date] | None:
        """Return the last period whose value is due by today (its end plus the grace), if any."""
        start = self.schedule_start(first_target_start)
        if start is None:
            return None
        step = FREQUENCY_MONTHS[Frequency(self.frequency)]
        cutoff = today - datetime.timedelta(days=GRACE_DAYS)
        due = None
        period_start = start
        while (period_end := add_months(period_start, step) - datetime.timedelta(days=1)) < cutoff:
            due = (period_start, period_end)
            period_start = add_months(period_start, step)
        return due

    def next_period(self) -> tuple[datetime.date, datetime.date] | None:
        """Return the first period by the frequency after the last value: the one to record next.

        Needs the annotations of IndicatorQuerySet.with_schedule."""
        start = self.schedule_start(getattr(self, "first_target_start", None))
        if start is None:
            return None
        last_value_end = getattr(self, "last_value_end", None)
        step = FREQUENCY_MONTHS[Frequency(self.frequency)]
        while last_value_end is not None and start <= last_value_end:
            start = add_months(start, step)
        return start, add_months(start, step) - datetime.timedelta(days=1)

    def is_late(self, today: datetime.date) -> bool:
        """Late: the last period due (by the frequency, grace included) has no value yet.

        Needs the annotations of IndicatorQuerySet.with_schedule."""
        due = self.last_due_period(today, getattr(self, "first_target_start", None))
        if due is None:
            return False
        last_value_end = getattr(self, "last_value_end", None)
        return last_value_end is None or last_value_end < due[0]

    def status(self, today: datetime.date) -> str:
        if getattr(self, "first_target_start", None) is None:
            return IndicatorStatus.NO_TARGET
        return IndicatorStatus.LATE if self.is_late(today) else IndicatorStatus.ON_TRACK


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start", "period_end", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="target_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}–{self.period_end}"


class IndicatorValue(models.Model):
    """A value measured for a period, optionally for one group only (sex, age group, place)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.URLField(_("evidence (address)"), max_length=1000, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=50, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="indicator_values"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period_end", "period_start", "pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_end}"

    @property
    def group_labels(self) -> list[str]:
        """Return the group a split value counts, e.g. ["Women", "18-35", "Aquin"]."""
        sex = str(self.get_sex_display()) if self.sex and self.sex != Sex.ALL else ""  # type: ignore[attr-defined]
        return [label for label in (sex, self.age_group, self.place) if label]

    @property
    def is_total(self) -> bool:
        """True for a value of the whole population, not of one group: the ones charted."""
        return self.sex in ("", Sex.ALL) and not self.age_group and not self.place


class BudgetLine(models.Model):
    """An item's planned and spent amount for one year and currency, from one funder or
    from the organisation's own funds (no funder)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="budget_lines")
    # A funder is a partner with the funder role; a partner with money in a plan stays.
    funder = models.ForeignKey(
        "directory.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        limit_choices_to={"is_funder": True},
        verbose_name=_("funder"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2, default=Decimal(0))
    spent = models.DecimalField(_("spent"), max_digits=14, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "currency", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "year", "currency"],
                condition=Q(funder__isnull=True),
                name="budget_line_one_per_year_currency",
            ),
            models.UniqueConstraint(
                fields=["item", "year", "currency", "funder"],
                condition=Q(funder__isnull=False),
                name="budget_line_one_per_year_currency_funder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.year} {self.currency}"
