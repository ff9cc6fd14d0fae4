"""The shapes of the directory, the links, results, indicators and budgets in the API."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from .schemas import Progress


class PartnerOut(Schema):
    id: int
    name: str
    acronym: str
    other_names: list[str]
    organisation_type: str = Field(description="A code of IATI's OrganisationType codelist, or empty.")
    country: str | None = Field(description="ISO 3166-1 alpha-2 code of its country.")
    website: str
    is_funder: bool
    public: bool = Field(description="Agreed to be named on the public portal.")

    @staticmethod
    def resolve_country(partner: Any) -> str | None:
        return partner.country.iso_code if partner.country else None


class PartnerIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    acronym: str = ""
    other_names: list[str] = []
    organisation_type: str = ""
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    website: str = ""
    contact: str = ""
    notes: str = ""
    is_funder: bool = False
    public: bool = False


class PlaceOut(Schema):
    id: int
    kind: str
    iso_code: str
    name_fr: str
    name_en: str
    other_names: list[str]
    parent: int | None
    iati_region: str

    @staticmethod
    def resolve_parent(place: Any) -> int | None:
        return place.parent_id  # type: ignore[no-any-return]


class PlaceIn(Schema):
    kind: str = Field("subnational", description="subnational or region; countries come from ISO 3166.")
    name_fr: str = ""
    name_en: str = ""
    other_names: list[str] = []
    parent: int | None = Field(None, description="The key of the country or region it lies in.")
    iati_region: str = Field("", description="A code of IATI's Region codelist, for regions.")


class CountryIn(Schema):
    name_fr: str = ""
    name_en: str = ""
    other_names: list[str] = []


class CountriesAdded(Schema):
    added: int = Field(description="How many countries were missing and are now in the directory.")


class ThemeOut(Schema):
    id: int
    slug: str
    name_fr: str
    name_en: str
    keywords: list[str]
    iati_sector: str


class ThemeIn(Schema):
    name_fr: str = ""
    name_en: str = ""
    slug: str = Field("", description="Left empty, it is made from the name.")
    keywords: list[str] = []
    iati_sector: str = Field("", description="A code of the OECD DAC sectors (IATI Sector codelist).")


class LinkedItemOut(Schema):
    """An item with an accepted link to a directory entry, and the progress of its actions."""

    id: int
    plan: str = Field(description="The slug of its plan.")
    code: str
    title: str
    depth: int
    is_action: bool
    evidence: str
    progress: Progress

    @staticmethod
    def resolve_id(entry: Any) -> int:
        return entry.item.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_plan(entry: Any) -> str:
        return entry.item.plan.slug  # type: ignore[no-any-return]

    @staticmethod
    def resolve_code(entry: Any) -> str:
        return entry.item.code  # type: ignore[no-any-return]

    @staticmethod
    def resolve_title(entry: Any) -> str:
        return entry.item.title  # type: ignore[no-any-return]

    @staticmethod
    def resolve_depth(entry: Any) -> int:
        return entry.item.depth  # type: ignore[no-any-return]

    @staticmethod
    def resolve_progress(entry: Any) -> dict[str, Any]:
        rollup = entry.rollup
        return {"actions": rollup.actions, "progress": rollup.progress, "by_status": dict(rollup.counts)}


class LinkOut(Schema):
    id: int
    item: int
    kind: str = Field(description="partner, place or theme")
    target: int = Field(description="The key of the partner, place or theme.")
    name: str
    status: str = Field(description="proposed, accepted or rejected")
    evidence: str = Field(description="The words of the item's text that proposed the link.")

    @staticmethod
    def resolve_item(link: Any) -> int:
        return link.item_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_kind(link: Any) -> str:
        return "partner" if link.partner_id else "place" if link.place_id else "theme"

    @staticmethod
    def resolve_target(link: Any) -> int:
        return link.partner_id or link.place_id or link.theme_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_name(link: Any) -> str:
        return str(link.partner or link.place or link.theme)


class LinkDecision(Schema):
    accept: bool


class Detected(Schema):
    proposed: int


class Decided(Schema):
    decided: int = Field(description="How many proposed links were accepted or rejected.")


class TargetOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None
    comment: str


class TargetIn(TargetOut):
    value: Decimal | None = None
    comment: str = ""


class ValueOut(Schema):
    id: int
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None
    text: str
    comment: str
    evidence: str
    sex: str
    age_group: str
    place: str


class ValueIn(Schema):
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None = None
    text: str = ""
    comment: str = ""
    evidence: str = ""
    sex: str = ""
    age_group: str = ""
    place: str = ""


class IndicatorOut(Schema):
    id: int
    title: str
    title_en: str
    measure: str = Field(description="number, percent, yes_no or qualitative")
    unit: str
    ascending: bool
    baseline_value: Decimal | None
    baseline_date: datetime.date | None
    baseline_comment: str
    data_source: str
    collection_method: str
    frequency: str
    responsible: str | None = Field(description="The username of the person responsible.")
    targets: list[TargetOut]
    values: list[ValueOut]

    @staticmethod
    def resolve_responsible(indicator: Any) -> str | None:
        return indicator.responsible.username if indicator.responsible_id else None

    @staticmethod
    def resolve_targets(indicator: Any) -> list[Any]:
        return list(indicator.targets.all())

    @staticmethod
    def resolve_values(indicator: Any) -> list[Any]:
        return list(indicator.values.all())


class IndicatorIn(Schema):
    title: str = Field(min_length=1)
    title_en: str = ""
    measure: str = "number"
    unit: str = ""
    ascending: bool = True
    baseline_value: Decimal | None = None
    baseline_date: datetime.date | None = None
    baseline_comment: str = ""
    data_source: str = ""
    collection_method: str = ""
    frequency: str = "yearly"


class IndicatorChange(Schema):
    """The fields to change; those left out keep their value, and so do those sent as null,
    except the baseline and the person responsible, which null clears."""

    title: str | None = Field(None, min_length=1)
    title_en: str | None = None
    measure: str | None = Field(None, description="number, percent, yes_no or qualitative")
    unit: str | None = None
    ascending: bool | None = None
    baseline_value: Decimal | None = None
    baseline_date: datetime.date | None = None
    baseline_comment: str | None = None
    data_source: str | None = None
    collection_method: str | None = None
    frequency: str | None = Field(None, description="monthly, quarterly, half_yearly or yearly")
    responsible: str | None = Field(None, description="A username; null for nobody.")


class PlanIndicatorOut(Schema):
    """A line of the plan's indicators page: where the indicator stands."""

    id: int
    item: int
    item_code: str
    result: int
    title: str
    title_en: str
    measure: str
    unit: str
    status: str = Field(description="on_track, late or no_target")
    late: bool = Field(description="The last period due (with 30 days' grace) has no value yet.")
    latest: ValueOut | None = Field(description="The latest value for the whole population.")
    target: TargetOut | None = Field(
        description="The target of the latest value's period, else the next one due, else the last."
    )


class ResultOut(Schema):
    id: int
    item: int
    kind: str = Field(description="outcome or output")
    title: str
    title_en: str
    description: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_item(result: Any) -> int:
        return result.item_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_indicators(result: Any) -> list[Any]:
        return list(result.indicators.all())


class ResultIn(Schema):
    kind: str = "outcome"
    title: str = Field(min_length=1)
    title_en: str = ""
    description: str = ""


class BudgetLineOut(Schema):
    id: int
    year: int
    currency: str
    planned: Decimal
    spent: Decimal
    funder: int | None = Field(description="The key of the funding partner; null for own funds.")
    note: str

    @staticmethod
    def resolve_funder(line: Any) -> int | None:
        return line.funder_id  # type: ignore[no-any-return]


class BudgetLineIn(Schema):
    year: int = Field(ge=1900, le=2200)
    currency: str = "CAD"
    planned: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    spent: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    funder: int | None = None
    note: str = ""


class AmountsOut(Schema):
    currency: str
    planned: Decimal
    spent: Decimal
    percent_spent: int | None = Field(description="Spent as a share of planned; null with nothing planned.")


class YearAmountsOut(AmountsOut):
    year: int


class FunderAmountsOut(AmountsOut):
    funder: int | None = Field(description="The key of the funding partner; null for own funds.")
    funder_name: str


class ItemBudgetOut(Schema):
    id: int
    code: str
    title: str
    depth: int
    amounts: list[AmountsOut] = Field(
        description="The budget of the item and everything under it, by currency."
    )


class PlanBudgetOut(Schema):
    """A plan's budget; amounts in different currencies are never added together."""

    totals: list[AmountsOut] = Field(description="The whole plan, one line per currency.")
    by_year: list[YearAmountsOut]
    by_funder: list[FunderAmountsOut] = Field(description="By funder and currency, own funds last.")
    items: list[ItemBudgetOut] = Field(description="Axes and orientations that have a budget.")
