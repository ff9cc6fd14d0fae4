from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.lib.widgets import DateInput

from .formats import FORMATS

FORMAT_CHOICES = [("html", _("HTML (show here)")), ("pdf", _("PDF")), ("docx", _("DOCX (Word)"))]
LANGUAGE_CHOICES = [("fr", _("French")), ("en", _("English"))]


class ReportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range comes before its start."))
        if data.get("format") not in FORMATS:
            self.add_error("format", _("Choose a format."))
        return data
