"""The actions table's columns, declared once: the export (`table.py`) writes each value
with the column's `write`, the import (`table_import.py`) reads an edited cell back with
its `read`, in either language. Only the tracking columns are read back; the others are
there for people to read, and for the spreadsheet to sort and sum."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalon.lib.spreadsheet import TEXT, CellError, Column, Value, text_of
from jalon.lib.text import fold
from jalon.tracking.models import Priority, Status

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
PEOPLE_SEPARATOR = re.compile(r"[,;\n]")


# Writing


def status_label(value: str) -> str:
    return str(Status(value).label)


def priority_label(value: str) -> str:
    return str(Priority(value).label)


def status_labels() -> list[str]:
    return [str(label) for label in Status.labels]


def people_text(usernames: Iterable[str]) -> str:
    return ", ".join(usernames)


def names_text(names: Iterable[str]) -> str:
    # A partner's or a place's name may hold a comma; semicolons keep the names apart.
    return "; ".join(names)


# Reading


@functools.cache
def _choice_names(choices: type[Status] | type[Priority]) -> dict[str, str]:
    """Return each choice's value by its folded code, English label and French label."""
    known: dict[str, str] = {}
    for language in ("en", "fr"):
        with translation.override(language):
            known.update({fold(str(label)): value for value, label in choices.choices})
    known.update({value: value for value in choices.values})
    return known


def _choice(cell: Value, choices: type[Status] | type[Priority]) -> str:
    text = text_of(cell)
    known = _choice_names(choices)
    if fold(text) in known:
        return known[fold(text)]
    labels = ", ".join(str(label) for label in choices.labels)
    if not text:
        raise CellError(_("the cell is empty; write one of %(labels)s.") % {"labels": labels})
    raise CellError(_("“%(value)s” is not one of %(labels)s.") % {"value": text, "labels": labels})


def status_code(cell: Value) -> str:
    return _choice(cell, Status)


def priority_code(cell: Value) -> str:
    return _choice(cell, Priority)


def progress_number(cell: Value) -> int:
    text = text_of(cell).removesuffix("%").strip().replace(",", ".")
    if not text:
        raise CellError(_("the cell is empty; write a number from 0 to 100."))
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text_of(cell)}) from error
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": text_of(cell)})
    if number > 100:
        raise CellError(_("%(value)s is more than 100.") % {"value": int(number)})
    if number < 0:
        raise CellError(_("%(value)s is less than 0.") % {"value": int(number)})
    return int(number)


def date_value(cell: Value) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = text_of(cell)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date; write it YYYY-MM-DD.") % {"value": text})


def usernames(cell: Value) -> set[str]:
    """Return the usernames a cell names, separated by commas, semicolons or lines."""
    return {name.strip() for name in PEOPLE_SEPARATOR.split(text_of(cell)) if name.strip()}


COLUMNS = (
    Column("id", gettext_lazy("Id"), width=8),
    Column("code", gettext_lazy("Code"), width=10, number_format=TEXT),
    Column("level", gettext_lazy("Level"), width=20),
    Column("title", gettext_lazy("Title"), width=60, wrap=True),
    Column(
        "status",
        gettext_lazy("Status"),
        write=status_label,
        read=status_code,
        width=16,
        choices=status_labels,
    ),
    Column("progress", gettext_lazy("Progress (%)"), read=progress_number, width=12),
    Column("leads", gettext_lazy("Leads"), write=people_text, read=usernames),
    Column("team", gettext_lazy("Team"), write=people_text, read=usernames),
    Column("start_date", gettext_lazy("Start date"), read=date_value),
    Column("due_date", gettext_lazy("Due date"), read=date_value),
    Column("priority", gettext_lazy("Priority"), write=priority_label, read=priority_code),
    Column("partners", gettext_lazy("Partners"), write=names_text),
    Column("places", gettext_lazy("Places"), write=names_text),
    Column("themes", gettext_lazy("Themes"), write=names_text),
)
# The last column, after the budget's: the tracking version the row was exported at.
VERSION = Column("version", gettext_lazy("Version"), width=9)
BY_KEY = {column.key: column for column in (*COLUMNS, VERSION)}


def budget_columns(currency: str) -> list[Column]:
    """Return the two amount columns of a currency, headed in the active language."""
    return [
        Column(f"planned:{currency}", _("Budget planned (%(currency)s)") % {"currency": currency}),
        Column(f"spent:{currency}", _("Budget spent (%(currency)s)") % {"currency": currency}),
    ]
