"""The plan's world: partner organisations, places and themes, and their links to items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jalon.plans.models import Item, Plan


def _in_language(french: str, english: str, language: str | None) -> str:
    """Return the name in the language asked for (the interface's by default), else the other."""
    language = (language or get_language() or "fr")[:2]
    first, second = (english, french) if language == "en" else (french, english)
    return first or second


class PlaceKind(models.TextChoices):
    COUNTRY = "country", pgettext_lazy("place kind", "Country")
    SUBNATIONAL = "subnational", pgettext_lazy("place kind", "Sub-national place")
    REGION = "region", pgettext_lazy("place kind", "Region")


class PlaceQuerySet(models.QuerySet["Place"]):
    def countries(self) -> PlaceQuerySet:
        return self.filter(kind=PlaceKind.COUNTRY)


class Place(models.Model):
    """A country (with its ISO code), a place inside one (Sud-Kivu, Gaza) or a region."""

    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    iso_code = models.CharField(
        _("ISO code"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2, for countries.")
    )
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    # For regions: the code of IATI's Region codelist (OECD DAC), so that the IATI export
    # can name Amérique centrale (389) or Afrique subsaharienne (289).
    iati_region = models.CharField(_("IATI region code"), max_length=5, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("inside"),
    )

    history = HistoricalRecords()
    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name_fr", "name_en", "pk"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"], condition=~Q(iso_code=""), name="place_iso_code_unique"
            ),
            models.CheckConstraint(condition=~Q(name_fr="") | ~Q(name_en=""), name="place_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name()

    def get_absolute_url(self) -> str:
        return reverse("directory:place", args=[self.pk])

    def name(self, language: str | None = None) -> str:
        return _in_language(self.name_fr, self.name_en, language)


class PartnerQuerySet(models.QuerySet["Partner"]):
    def funders(self) -> PartnerQuerySet:
        return self.filter(is_funder=True)

    def public(self) -> PartnerQuerySet:
        return self.filter(public=True)


class Partner(models.Model):
    """An organisation the plan works with or is funded by."""

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    # A code of IATI's OrganisationType codelist (codelists.py reads it), so that the
    # IATI export needs no mapping.
    organisation_type = models.CharField(_("type of organisation"), max_length=10, blank=True)
    country = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("country"),
    )
    website = models.URLField(_("website"), blank=True)
    contact = models.TextField(_("contact"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_funder = models.BooleanField(_("funder"), default=False)
    # Off until the partner has agreed to appear on the public portal.
    public = models.BooleanField(_("shown on the public portal"), default=False)

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:partner", args=[self.pk])

    @property
    def has_web_address(self) -> bool:
        # The form checks the address, but an import or the API may not: only a web
        # address becomes a link, never "javascript:".
        return self.website.lower().startswith(("https://", "http://"))


class Theme(models.Model):
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    # A sector of the OECD DAC list (IATI Sector codelist), for the IATI export.
    iati_sector = models.CharField(_("IATI sector code"), max_length=5, blank=True)
    # Words (French or English) whose presence in an item's text proposes the theme.
    keywords = models.JSONField(_("keywords"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_fr", "name_en", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(condition=~Q(name_fr="") | ~Q(name_en=""), name="theme_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name()

    def get_absolute_url(self) -> str:
        return reverse("directory:theme", args=[self.pk])

    def name(self, language: str | None = None) -> str:
        return _in_language(self.name_fr, self.name_en, language)


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("link status", "Proposed")
    ACCEPTED = "accepted", pgettext_lazy("link status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("link status", "Rejected")


class ItemLinkQuerySet(models.QuerySet["ItemLink"]):
    def accepted(self) -> ItemLinkQuerySet:
        return self.filter(status=LinkStatus.ACCEPTED)

    def proposed(self) -> ItemLinkQuerySet:
        return self.filter(status=LinkStatus.PROPOSED)

    def of_plan(self, plan: Plan) -> ItemLinkQuerySet:
        return self.filter(item__plan=plan)

    def in_place(self, place: Place) -> ItemLinkQuerySet:
        """Return the links to a place and to the places directly inside it (Gaza for Palestine)."""
        return self.filter(Q(place=place) | Q(place__parent=place))


class ItemLink(models.Model):
    """A link from an item to one partner, place or theme: proposed, then decided by a person.

    One model with three nullable keys rather than ItemPartner, ItemPlace and ItemTheme:
    the three share their whole life (detection proposes, a coordinator decides, the
    review page and the export list them together), so one table keeps one queryset, one
    service and one review page; a check constraint keeps exactly one key set. A rejected
    row stays, so that the next detection does not propose it again.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="directory_links")
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="item_links"
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, null=True, blank=True, related_name="item_links"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="item_links"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LinkStatus.choices, default=LinkStatus.PROPOSED
    )
    evidence = models.TextField(_("evidence"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemLinkQuerySet.as_manager()

    class Meta:
        ordering = ["item__path", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(partner__isnull=False, place__isnull=True, theme__isnull=True)
                    | Q(partner__isnull=True, place__isnull=False, theme__isnull=True)
                    | Q(partner__isnull=True, place__isnull=True, theme__isnull=False)
                ),
                name="itemlink_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["item", "partner"], condition=Q(partner__isnull=False), name="itemlink_unique_partner"
            ),
            models.UniqueConstraint(
                fields=["item", "place"], condition=Q(place__isnull=False), name="itemlink_unique_place"
            ),
            models.UniqueConstraint(
                fields=["item", "theme"], condition=Q(theme__isnull=False), name="itemlink_unique_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.target}"

    @property
    def kind(self) -> str:
        """Return "partner", "place" or "theme"."""
        if self.partner_id:
            return "partner"
        return "place" if self.place_id else "theme"

    @property
    def target(self) -> Partner | Place | Theme | None:
        return self.partner or self.place or self.theme
