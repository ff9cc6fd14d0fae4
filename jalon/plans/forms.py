"""The forms that edit a plan's tree."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jalon.lib.widgets import QuickSelect

from .models import Item

# Addresses under plans/ that are pages, not plans.
RESERVED_SLUGS = {"importer"}


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
