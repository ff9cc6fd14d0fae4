"""The forms of an action's tracking panel: edit, journal update, milestone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import User
from jalon.lib.widgets import DateInput, QuickSelectMultiple

from .models import Priority, Status, Tracking
from .services import LinkData

LINK_SLOTS = 3


def active_people() -> Any:
    # Only what a choice shows: the dates and the password of hundreds of people are not read.
    people = User.objects.filter(is_active=True).only("username", "first_name", "last_name")
    return people.order_by("first_name", "last_name", "username")


class TrackingForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices)
    start_date = forms.DateField(label=_("start date"), required=False, widget=DateInput())
    due_date = forms.DateField(label=_("due date"), required=False, widget=DateInput())
    # Every active person is offered: the lists are written by QuickSelectMultiple, which
    # keeps a page with hundreds of people fast.
    leads = forms.ModelMultipleChoiceField(
        label=_("leads"), queryset=active_people(), required=False, widget=QuickSelectMultiple
    )
    team = forms.ModelMultipleChoiceField(
        label=_("team"), queryset=active_people(), required=False, widget=QuickSelectMultiple
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_tracking(cls, tracking: Tracking) -> TrackingForm:
        initial = {name: getattr(tracking, name) for name in ("status", "progress", "priority")}
        initial.update(start_date=tracking.start_date, due_date=tracking.due_date, notes=tracking.notes)
        initial.update(version=tracking.version)
        if tracking.pk:
            initial.update(leads=list(tracking.leads.all()), team=list(tracking.team.all()))
        return cls(initial=initial, auto_id="edit_%s")

    def changes(self) -> dict[str, Any]:
        names = ("status", "progress", "priority", "start_date", "due_date", "notes")
        return {name: self.cleaned_data[name] for name in names}


class UpdateForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    text = forms.CharField(
        label=_("text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: *italics*, **bold**, [link](https://…), lists."),
    )
    status = forms.ChoiceField(label=_("new status"), choices=[("", "—"), *Status.choices], required=False)
    progress = forms.IntegerField(label=_("new progress (%)"), min_value=0, max_value=100, required=False)
    public = forms.BooleanField(
        label=_("Publish on the public portal"),
        required=False,
        help_text=_("Anyone can read it there once the plan is published. Unticked, it stays internal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "update_%s")
        super().__init__(*args, **kwargs)
        for slot in range(1, LINK_SLOTS + 1):
            self.fields[f"link_url_{slot}"] = forms.URLField(
                label=_("Link %(number)s: address") % {"number": slot},
                required=False,
                max_length=1000,
                assume_scheme="https",
            )
            self.fields[f"link_label_{slot}"] = forms.CharField(
                label=_("Link %(number)s: label") % {"number": slot}, required=False, max_length=300
            )
        # The choice to publish comes last, after everything it would publish.
        self.fields["public"] = self.fields.pop("public")

    def links(self) -> list[LinkData]:
        data = self.cleaned_data
        return [
            LinkData(url=data[f"link_url_{slot}"], label=data[f"link_label_{slot}"])
            for slot in range(1, LINK_SLOTS + 1)
            if data.get(f"link_url_{slot}")
        ]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    due_date = forms.DateField(label=_("due date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "milestone_%s")
        super().__init__(*args, **kwargs)
