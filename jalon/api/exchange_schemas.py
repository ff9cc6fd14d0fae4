"""The shapes of imports, their previews, exports and the actions table in the API."""

import datetime
from typing import Literal

from ninja import Field, Schema

from .plans_schemas import PlanOut


class Period(Schema):
    start: datetime.date
    end: datetime.date


class LevelCount(Schema):
    depth: int = Field(description="0 for the top level.")
    name: str = Field(description="The level's name as the file writes it, or empty.")
    items: int


class ImportAnomaly(Schema):
    kind: str
    kind_label: str
    code: str
    line: int | None
    message: str
    text: str = Field(description="The source words concerned, verbatim.")


class TreeRow(Schema):
    depth: int
    level: str
    code: str
    title: str


class ImportPreview(Schema):
    id: int
    file_name: str
    format: str
    uploaded_at: datetime.datetime
    expired: bool = Field(description="Older than a day: upload the file again to import it.")
    plan: str = Field(description="The identifier the plan would get.")
    title: str
    period: Period | None
    levels: list[LevelCount]
    items: int
    anomalies: list[ImportAnomaly]
    tree: list[TreeRow] = Field(description="Every item in document order, with its depth.")
    already_imported_as: str | None = Field(
        description="The identifier of a plan imported earlier from this very file, if any."
    )


class ImportDone(Schema):
    plan: PlanOut
    proposed_links: int = Field(description="Links to partners, places and themes proposed for review.")
    left_out: list[str] = Field(description="What the file carries that could not be kept, and why.")


class TableChange(Schema):
    row: int
    item_id: int
    code: str
    column: str
    before: str
    after: str


class TableError(Schema):
    row: int
    column: str
    message: str


class Difference(Schema):
    column: str
    in_file: str
    now: str


class TableConflict(Schema):
    row: int
    item_id: int
    code: str
    file_version: int
    current_version: int
    differences: list[Difference]


class TablePreviewOut(Schema):
    id: int
    plan: str
    file_name: str
    uploaded_at: datetime.datetime
    rows: int
    changes: list[TableChange]
    errors: list[TableError]
    conflicts: list[TableConflict]
    can_apply: bool = Field(description="Something changes, and no error or conflict stands in the way.")


class TableApplied(Schema):
    updated: int = Field(description="How many actions were changed.")


ExportFormat = Literal["json", "csv", "xlsx", "md"]


TableFormat = Literal["csv", "xlsx"]
