"""The filters of the actions list, shared by its page and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan
from jalon.tracking import reads
from jalon.tracking.models import Status


class ActionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    axis = forms.ModelChoiceField(label=_("Axis"), queryset=Item.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=User.objects.none(), required=False)
    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.items.roots().in_document_order()  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All"))] + list(Status.choices)  # type: ignore[attr-defined]
        leads = User.objects.filter(leading__item__plan=plan).distinct()
        self.fields["lead"].queryset = leads  # type: ignore[attr-defined]

    def filter(self, items: QuerySet[Item]) -> QuerySet[Item]:
        data = self.cleaned_data
        if data.get("q"):
            items = items.search(data["q"])  # type: ignore[attr-defined]
        if data.get("axis"):
            items = items.filter(path__startswith=data["axis"].path)
        if data.get("status"):
            items = reads.with_status(items, data["status"])
        if data.get("lead"):
            items = items.filter(tracking__leads=data["lead"])
        if data.get("late"):
            items = reads.late(items, timezone.localdate())
        return items
