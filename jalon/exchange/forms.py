"""The upload forms of a whole plan and of the actions table, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jalon.plans.forms import RESERVED_SLUGS
from jalon.plans.importers import FORMATS
from jalon.plans.models import Plan

FORMAT_LABELS = {
    "seed": _("Table of the Alternatives plan (seed)"),
    "outline": _("Text or Markdown outline"),
    "docx": _("Word document (DOCX)"),
    "xlsx": _("Excel workbook (XLSX)"),
    "csv": _("CSV table"),
    "json": _("Jalon JSON"),
}


def format_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Detect it from the content")),
        *((name, FORMAT_LABELS.get(name, name)) for name in FORMATS),
    ]


class ImportForm(forms.Form):
    # An empty file is let through so that the reader refuses it with the file's name.
    file = forms.FileField(label=_("file"), allow_empty_file=True)
    format = forms.ChoiceField(label=_("format"), choices=format_choices, required=False)
    slug = forms.SlugField(
        label=_("identifier"),
        max_length=120,
        required=False,
        help_text=_("The end of the plan's address; made from its title when left empty."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.JALON_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("%(name)s is larger than %(limit)s MB; no plan is that long."),
                params={"name": upload.name, "limit": max(limit // 1_000_000, 1)},
            )
        return upload

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This identifier is taken by a page of Jalon; choose another."))
        if slug and Plan.objects.filter(slug=slug).exists():
            raise ValidationError(_("A plan already uses this identifier."))
        return slug


class TableUploadForm(forms.Form):
    file = forms.FileField(
        label=_("edited actions table (CSV or XLSX)"),
        allow_empty_file=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.JALON_MAX_IMPORT_BYTES:
            raise ValidationError(
                _("%(name)s is larger than %(limit)s MB.")
                % {"name": upload.name, "limit": max(settings.JALON_MAX_IMPORT_BYTES // 1_000_000, 1)}
            )
        return upload
