"""The forms that import a plan from the web and edit its tree."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jalon.lib.widgets import QuickSelect

from .importers import FORMATS
from .models import Item, Plan

FORMAT_LABELS = {
    "seed": _("Table of the Alternatives plan (seed)"),
    "outline": _("Text or Markdown outline"),
    "docx": _("Word document (DOCX)"),
    "xlsx": _("Excel workbook (XLSX)"),
    "csv": _("CSV table"),
    "json": _("Jalon JSON"),
}

# Addresses under plans/ that are pages, not plans.
RESERVED_SLUGS = {"importer"}


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


class ItemForm(forms.Form):
    code = forms.CharField(
        label=_("code"), max_length=50, required=False, help_text=_("Kept exactly as written, dot included.")
    )
    title = forms.CharField(label=_("title"), widget=forms.Textarea(attrs={"rows": 2}))
    title_en = forms.CharField(
        label=_("title in English"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    TEXT_FIELDS = ("code", "title", "title_en", "body")

    def texts(self) -> dict[str, str]:
        # Browsers send text areas with CRLF; imported texts and exports use LF only.
        return {name: self.cleaned_data[name].replace("\r\n", "\n") for name in self.TEXT_FIELDS}


class ItemEditForm(ItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_item(cls, item: Item) -> ItemEditForm:
        initial: dict[str, Any] = {name: getattr(item, name) for name in cls.TEXT_FIELDS}
        return cls(initial={**initial, "version": item.version})


class ParentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    widget = QuickSelect  # every item of the plan, written quickly

    def label_from_instance(self, obj: Any) -> str:
        # Indented by depth so that the list reads as the tree does.
        title = obj.title if len(obj.title) <= 80 else obj.title[:79] + "…"
        return "\u2003" * (obj.depth + 1) + f"{obj.code} {title}".strip()


class ItemMoveForm(forms.Form):
    parent = ParentChoiceField(
        label=_("new place: under"),
        queryset=Item.objects.none(),
        required=False,
        empty_label=_("the top level of the plan"),
    )
    position = forms.IntegerField(
        label=_("position among the items there"),
        min_value=1,
        help_text=_("1 puts it first; a number past the last item puts it last."),
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        field = self.fields["parent"]
        assert isinstance(field, ParentChoiceField)
        field.queryset = Item.objects.filter(plan_id=item.plan_id).in_document_order()

    def clean_parent(self) -> Item | None:
        parent: Item | None = self.cleaned_data["parent"]
        if parent is not None and parent.path.startswith(self.item.path):
            raise ValidationError(_("An item cannot move under itself or under an item that is below it."))
        return parent
