"""The shapes of results, indicators and budgets in the API."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


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
