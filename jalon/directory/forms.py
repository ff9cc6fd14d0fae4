"""The directory's forms: a partner, a place (sub-national or region, or a country's names), a theme."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from jalon.lib.widgets import QuickSelect

from .codelists import codelist, organisation_type_choices
from .models import Partner, Place, PlaceKind, Theme

MAX_NAMES = 50


class LinesField(forms.CharField):
    """A list of strings typed one per line (other names, keywords), stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        lines = [line.strip() for line in (value or "").splitlines()]
        names = list(dict.fromkeys(line for line in lines if line))
        if len(names) > MAX_NAMES:
            raise ValidationError(_("At most %(count)s lines."), params={"count": MAX_NAMES})
        if any(len(name) > 200 for name in names):
            raise ValidationError(_("A line is longer than 200 characters."))
        return names


class PlaceChoiceField(forms.ModelChoiceField):
    widget = QuickSelect  # every country of the world, written quickly

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name())


class TwoNamesMixin:
    """A place or a theme needs a name in at least one of the two languages."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        if not (data.get("name_fr") or data.get("name_en")):
            raise ValidationError(_("Give a name in French or in English."))
        return data


class PartnerForm(forms.ModelForm):
    other_names = LinesField(label=capfirst(_("other names")))
    organisation_type = forms.ChoiceField(
        label=capfirst(_("type of organisation")),
        choices=organisation_type_choices,
        required=False,
        help_text=_("IATI organisation types, as funders expect them."),
    )
    country = PlaceChoiceField(
        label=capfirst(_("country")), queryset=Place.objects.countries(), required=False
    )
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "acronym",
            "other_names",
            "organisation_type",
            "country",
            "website",
            "contact",
            "notes",
            "is_funder",
            "public",
        ]
        widgets = {"contact": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 4})}


def codelist_field(name: str, label: Any, help_text: Any) -> forms.ChoiceField:
    """Return an optional choice among the codes of an IATI codelist, named in the interface language."""
    choices = [("", "—")] + [
        (code.code, f"{code.code} · {code.name()}") for code in codelist(name) if not code.withdrawn
    ]
    return forms.ChoiceField(label=capfirst(label), choices=choices, required=False, help_text=help_text)


class PlaceForm(TwoNamesMixin, forms.ModelForm):
    """A sub-national place or a region; countries come from ISO 3166 and are not created here."""

    kind = forms.ChoiceField(
        label=capfirst(_("kind")),
        choices=[
            (PlaceKind.SUBNATIONAL, PlaceKind.SUBNATIONAL.label),
            (PlaceKind.REGION, PlaceKind.REGION.label),
        ],
    )
    other_names = LinesField(label=capfirst(_("other names")))
    parent = PlaceChoiceField(
        label=capfirst(_("inside")),
        queryset=Place.objects.all(),
        required=False,
        help_text=_("The country or region this place belongs to."),
    )

    class Meta:
        model = Place
        fields = ["kind", "name_fr", "name_en", "other_names", "parent", "iati_region"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iati_region"] = codelist_field(
            "Region", _("IATI region code"), _("For regions: used by the IATI export.")
        )

    def clean_parent(self) -> Place | None:
        parent: Place | None = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and self._is_inside_itself(parent):
            raise ValidationError(_("A place cannot be inside itself."))
        return parent

    def _is_inside_itself(self, parent: Place) -> bool:
        seen: set[int] = set()
        current: Place | None = parent
        while current is not None and current.pk not in seen:
            if current.pk == self.instance.pk:
                return True
            seen.add(current.pk)
            current = current.parent
        return False


class CountryForm(TwoNamesMixin, forms.ModelForm):
    """A country keeps its ISO code; only its names change (a shorter usual name, a spelling)."""

    other_names = LinesField(label=capfirst(_("other names")))

    class Meta:
        model = Place
        fields = ["name_fr", "name_en", "other_names"]


class ThemeForm(TwoNamesMixin, forms.ModelForm):
    keywords = LinesField(
        label=capfirst(_("keywords")),
        help_text=_("Words in French or English, one per line: an item whose text holds one is proposed."),
    )

    class Meta:
        model = Theme
        fields = ["name_fr", "name_en", "slug", "keywords", "iati_sector"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iati_sector"] = codelist_field(
            "Sector", _("IATI sector code"), _("The OECD DAC sector of the theme, used by the IATI export.")
        )
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Left empty, it is made from the name.")

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or ""
        if not slug:
            slug = slugify(self.data.get("name_fr") or self.data.get("name_en") or "")[:100]
        if slug and Theme.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another theme already has this identifier."))
        return slug
