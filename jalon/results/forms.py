"""The forms of results, indicators, targets, values and budget lines. They check the same
rules as the services (the same functions), so the errors appear beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jalon.directory.models import Partner
from jalon.lib.widgets import DateInput, QuickSelect
from jalon.tracking.forms import active_people

from .models import Frequency, Indicator, Measure, ResultKind, Sex, validate_measured, validate_period
from .services import validate_currency, validate_indicator


def _move_errors(form: forms.Form, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    for field, messages in error.message_dict.items():
        name = (renames or {}).get(field, field)
        form.add_error(name if name in form.fields else None, messages)


class ResultForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ResultKind.choices)
    title = forms.CharField(label=_("title"), widget=forms.Textarea(attrs={"rows": 2}))
    title_en = forms.CharField(
        label=_("title in English"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IndicatorForm(forms.Form):
    title = forms.CharField(label=_("title"), widget=forms.Textarea(attrs={"rows": 2}))
    title_en = forms.CharField(
        label=_("title in English"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure = forms.ChoiceField(label=_("measure"), choices=Measure.choices)
    unit = forms.CharField(
        label=_("unit"), required=False, max_length=100, help_text=_("For example: people")
    )
    ascending = forms.BooleanField(label=_("higher is better"), required=False, initial=True)
    baseline_value = forms.DecimalField(
        label=_("baseline value"), required=False, max_digits=14, decimal_places=2
    )
    baseline_date = forms.DateField(label=_("baseline date"), required=False, widget=DateInput())
    baseline_comment = forms.CharField(
        label=_("baseline comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    data_source = forms.CharField(label=_("data source"), required=False, max_length=300)
    collection_method = forms.CharField(label=_("collection method"), required=False, max_length=300)
    frequency = forms.ChoiceField(label=_("frequency"), choices=Frequency.choices, initial=Frequency.YEARLY)
    responsible = forms.ModelChoiceField(
        label=_("person responsible"), queryset=active_people(), required=False, widget=QuickSelect
    )

    @classmethod
    def for_indicator(cls, indicator: Indicator) -> IndicatorForm:
        return cls(initial={name: getattr(indicator, name) for name in cls.base_fields})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            validate_indicator(data)
        except ValidationError as error:
            _move_errors(self, error, {"value": "baseline_value"})
        return data


class _PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("period start"), widget=DateInput())
    period_end = forms.DateField(label=_("period end"), widget=DateInput())

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            validate_period(data.get("period_start"), data.get("period_end"))
        except ValidationError as error:
            _move_errors(self, error)
        return data


class TargetForm(_PeriodForm):
    value = forms.DecimalField(label=_("target value"), required=False, max_digits=14, decimal_places=2)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "value" in self.errors:
            return data
        value = data.get("value")
        if value is None and self.indicator.measure != Measure.QUALITATIVE:
            self.add_error("value", _("Enter a number."))
            return data
        try:
            validate_measured(self.indicator.measure, value, data.get("comment", ""), required=False)
        except ValidationError as error:
            _move_errors(self, error)
        return data


class ValueForm(_PeriodForm):
    value = forms.DecimalField(label=_("value"), required=False, max_digits=14, decimal_places=2)
    text = forms.CharField(
        label=_("qualitative value or narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a qualitative indicator; a narrative for the others."),
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.URLField(
        label=_("evidence (address)"), required=False, max_length=1000, assume_scheme="https"
    )
    sex = forms.ChoiceField(label=_("sex"), required=False, choices=[("", "—"), *Sex.choices])
    age_group = forms.CharField(
        label=_("age group"), required=False, max_length=50, help_text=_("For example: 18-35")
    )
    place = forms.CharField(label=_("place"), required=False, max_length=200)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, indicator=indicator, **kwargs)
        if indicator.measure == Measure.YES_NO:
            self.fields["value"].help_text = _("1 for yes, 0 for no.")
        elif indicator.measure == Measure.PERCENT:
            self.fields["value"].help_text = _("Between 0 and 100.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "value" in self.errors:
            return data
        try:
            validate_measured(self.indicator.measure, data.get("value"), data.get("text", ""))
        except ValidationError as error:
            _move_errors(self, error)
        return data


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2200)
    planned = forms.DecimalField(label=_("planned"), min_value=0, max_digits=14, decimal_places=2)
    spent = forms.DecimalField(label=_("spent"), min_value=0, max_digits=14, decimal_places=2, initial=0)
    currency = forms.CharField(
        label=_("currency"), max_length=3, initial="CAD", help_text=_("ISO 4217 code, for example CAD")
    )
    funder = forms.ModelChoiceField(
        label=_("funder"),
        queryset=Partner.objects.funders(),
        required=False,
        widget=QuickSelect,
        help_text=_("Empty for the organisation's own funds."),
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        try:
            validate_currency(currency)
        except ValidationError as error:
            raise ValidationError(error.message_dict["currency"]) from error
        return currency
