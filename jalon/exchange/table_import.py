"""Reading an edited actions table (CSV or XLSX) back into tracking changes, for a preview.

Only the tracking fields change: status, progress, leads, team, dates and priority.
Titles, codes, the tree, partners, places, themes and budgets are read-only columns here
(edited on their own pages), so a change to them in the spreadsheet is ignored.

A row finds its item by id, else by its code when the plan has only one item with that
code. Every bad value is reported with its row and column, every row whose version is no
longer the action's is a conflict, and nothing is applied while any error or conflict
remains: an import either succeeds whole or changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.lib import spreadsheet
from jalon.lib.spreadsheet import CellError, SpreadsheetError, Value, column_keys, text_of
from jalon.plans.importers import Source
from jalon.plans.models import Item, Plan
from jalon.tracking.history import people_of, with_people
from jalon.tracking.models import Priority, Status, Tracking
from jalon.tracking.services import ActionChange, keep_status_and_progress_consistent

from .table_columns import BY_KEY, usernames

# The columns this import reads; the others are there to be read by people.
EDITABLE = ("status", "progress", "leads", "team", "start_date", "due_date", "priority")
PEOPLE = ("leads", "team")
MAX_KEY = 2**63 - 1
TRACKING_DEFAULTS: dict[str, Any] = {
    "status": Status.NOT_STARTED.value,
    "progress": 0,
    "priority": Priority.NORMAL.value,
    "start_date": None,
    "due_date": None,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Change:
    row: int
    item: Item
    column: str  # the header, in the reader's language
    before: str
    after: str


@dataclass(frozen=True)
class Conflict:
    """A row made from an older version of the action: someone changed it since the export."""

    row: int
    item: Item
    file_version: int
    current_version: int
    differences: list[tuple[str, str, str]]  # (column, in the file, now)


@dataclass
class TablePreview:
    rows: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    updates: list[ActionChange] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return bool(self.updates) and not self.errors and not self.conflicts


# Reading the file into rows of cells, by column key


def read_rows(source: Source) -> list[tuple[int, dict[str, Value]]]:
    """Return each non-empty row with its spreadsheet row number, cells keyed by column."""
    table = [row.cells for row in _file_rows(source)]
    if not table:
        raise source.fail(_("the file has no header row."))
    keys = _column_keys(source, table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        row = {key: cells[index] for index, key in keys.items() if index < len(cells)}
        if any(text_of(value) for value in row.values()):
            rows.append((number, row))
    return rows


def _file_rows(source: Source) -> list[spreadsheet.Row]:
    try:
        if spreadsheet.is_xlsx(source.data) or source.extension == "xlsx":
            return spreadsheet.read_xlsx(source.data)
        return spreadsheet.read_csv(source.text, _header_score)
    except SpreadsheetError as error:
        raise source.fail(error.message, line=error.line) from error


def _header_score(rows: list[spreadsheet.Row]) -> int:
    """Return how many columns the first row names: the delimiter naming most is the file's."""
    return len(column_keys(list(BY_KEY.values()), rows[0].cells)) if rows else 0


def _column_keys(source: Source, header: list[Value]) -> dict[int, str]:
    keys = column_keys(list(BY_KEY.values()), header)
    found = set(keys.values())
    if not found & {"id", "code"} or "version" not in found:
        raise source.fail(
            _("the first row should be the header of an actions table exported by Jalon, "
              "with the columns “Id” (or “Code”) and “Version”.")
        )  # fmt: skip
    return keys


# The plan's current state, read once


@dataclass
class Current:
    items: dict[int, Item]
    by_code: dict[str, list[Item]]
    people: dict[tuple[int, str], set[str]]
    users: dict[str, User]
    elsewhere: set[int]
    # What each stale row's action held at the version the row was exported from.
    exported: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)

    def tracking(self, item: Item) -> dict[str, Any]:
        tracking: Tracking | None = item.tracking_or_none
        values = (
            {name: getattr(tracking, name) for name in TRACKING_DEFAULTS}
            if tracking
            else dict(TRACKING_DEFAULTS)
        )
        values["version"] = tracking.version if tracking else 1
        for name in PEOPLE:
            values[name] = self.people.get((item.pk, name), set())
        return values


def _current(plan: Plan, rows: list[tuple[int, dict[str, Value]]]) -> Current:
    items = {item.pk: item for item in plan.items.in_document_order().select_related("tracking")}
    by_code: dict[str, list[Item]] = {}
    for item in items.values():
        by_code.setdefault(item.code, []).append(item)
    people: dict[tuple[int, str], set[str]] = {}
    for name in PEOPLE:
        through = getattr(Tracking, name).through
        for item_id, username in through.objects.filter(tracking__item__plan=plan).values_list(
            "tracking__item_id", "user__username"
        ):
            people.setdefault((item_id, name), set()).add(username)
    names = {name for _n, row in rows for key in PEOPLE for name in usernames(row.get(key))}
    ids = {int(text) for _n, row in rows if (text := text_of(row.get("id"))).isdigit()} - set(items)
    ids = {key for key in ids if key <= MAX_KEY}  # a larger number names no row, and breaks SQLite
    return Current(
        items=items,
        by_code=by_code,
        people=people,
        users={user.username: user for user in User.objects.filter(username__in=names)},
        elsewhere=set(Item.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set(),
        exported=_exported_states(items, rows),
    )


def _exported_states(
    items: dict[int, Item], rows: list[tuple[int, dict[str, Value]]]
) -> dict[tuple[int, int], dict[str, Any]]:
    """Return, by (item key, version), what the actions of stale rows held at that version,
    read from their history (three queries, whatever the number of rows)."""
    stale: set[int] = set()
    for _number, row in rows:
        key, version = text_of(row.get("id")), text_of(row.get("version"))
        tracking = items[int(key)].tracking_or_none if key.isdigit() and int(key) in items else None
        if tracking is not None and version.isdigit() and int(version) != tracking.version:
            stale.add(tracking.pk)
    if not stale:
        return {}
    records = with_people(Tracking.history.filter(id__in=stale)).order_by("history_id")  # type: ignore[attr-defined]
    states: dict[tuple[int, int], dict[str, Any]] = {}
    for record in records:  # a later record of the same version holds its final state
        state = {name: getattr(record, name) for name in TRACKING_DEFAULTS}
        for name in PEOPLE:
            state[name] = {person.username for person in people_of(record, name).values()}
        states[(record.item_id, record.version)] = state
    return states


# Comparing each row with the action


def table_preview(plan: Plan, source: Source) -> TablePreview:
    """Return every change the file asks for, or the errors and conflicts that block it.

    Raises ImportFailure when the file cannot be read as an actions table at all."""
    rows = read_rows(source)
    current = _current(plan, rows)
    headers = {key: str(column.header) for key, column in BY_KEY.items()}
    preview = TablePreview(rows=len(rows))
    seen: dict[int, int] = {}
    for number, row in rows:
        _RowReader(number, row, current, headers, preview, seen).read()
    return preview


class _RowReader:
    """Reads one row: finds its item, parses each editable cell, records changes or errors."""

    def __init__(
        self,
        number: int,
        row: dict[str, Value],
        current: Current,
        headers: dict[str, str],
        preview: TablePreview,
        seen: dict[int, int],
    ) -> None:
        self.number, self.row, self.current = number, row, current
        self.headers, self.preview, self.seen = headers, preview, seen

    def error(self, key: str, message: str) -> None:
        self.preview.errors.append(RowError(self.number, self.headers[key], message))

    def read(self) -> None:
        item = self._item()
        version = self._version()
        wanted = {key: self._value(key) for key in EDITABLE if key in self.row}
        if item is None or version is None or any(value is _BAD for value in wanted.values()):
            return
        self._check_dates(wanted, self.current.tracking(item))
        self._compare(item, version, wanted)

    def _item(self) -> Item | None:
        text = text_of(self.row.get("id"))
        item = self._by_id(text) if text else self._by_code(text_of(self.row.get("code")))
        if item is not None and item.pk in self.seen:
            self.error("id", _("this item is already on row %(row)s.") % {"row": self.seen[item.pk]})
            return None
        if item is not None:
            self.seen[item.pk] = self.number
        return item

    def _by_id(self, text: str) -> Item | None:
        if not text.isdigit():
            self.error("id", _("“%(value)s” is not an item number.") % {"value": text})
            return None
        item = self.current.items.get(int(text))
        if item is None and int(text) in self.current.elsewhere:
            self.error("id", _("item %(id)s belongs to another plan.") % {"id": text})
        elif item is None:
            self.error("id", _("no item has the number %(id)s.") % {"id": text})
        return item

    def _by_code(self, code: str) -> Item | None:
        found = self.current.by_code.get(code, []) if code else []
        if len(found) == 1:
            return found[0]
        if not code:
            self.error("id", _("the row has neither an id nor a code."))
        elif found:
            self.error("code", _("%(code)s names more than one item; give the id.") % {"code": code})
        else:
            self.error("code", _("no item has the code %(code)s.") % {"code": code})
        return None

    def _version(self) -> int | None:
        text = text_of(self.row.get("version"))
        if text.isdigit():
            return int(text)
        self.error(
            "version", _("“%(value)s” is not a version number; export the table again.") % {"value": text}
        )
        return None

    def _value(self, key: str) -> Any:
        try:
            value = BY_KEY[key].read(self.row.get(key))
            if key in PEOPLE:
                _check_people(value, self.current)
        except CellError as problem:
            self.error(key, str(problem))
            return _BAD
        return value

    def _check_dates(self, wanted: dict[str, Any], now: dict[str, Any]) -> None:
        start = wanted.get("start_date", now["start_date"])
        due = wanted.get("due_date", now["due_date"])
        if start and due and due < start:
            self.error(
                "due_date",
                _("%(due)s comes before the start date, %(start)s.") % {"due": due, "start": start},
            )
            wanted.clear()

    def _compare(self, item: Item, version: int, wanted: dict[str, Any]) -> None:
        now = self.current.tracking(item)
        differences = [key for key, value in wanted.items() if _comparable(value) != _comparable(now[key])]
        if not differences:
            return
        if version != now["version"]:
            self._conflict(item, version, wanted, now)
            return
        changes = {key: wanted[key] for key in differences}
        after = {**now, **changes, **_as_saved(now, changes)}
        # Listed as they will be saved: "Done" brings progress to 100, 100 % makes it done.
        for key in EDITABLE:
            if key in changes or _comparable(after[key]) != _comparable(now[key]):
                self.preview.changes.append(
                    Change(self.number, item, self.headers[key], _shown(now[key]), _shown(after[key]))
                )
        self.preview.updates.append(_action_change(item, version, changes, self.current))

    def _conflict(self, item: Item, version: int, wanted: dict[str, Any], now: dict[str, Any]) -> None:
        """Report the cells this row changes on an action someone changed since the export.

        A cell still showing what the action held at the row's version was not touched in
        the spreadsheet: it only looks different because of the other person's change, and
        is left alone. A row with no touched cell is no conflict at all."""
        then = self.current.exported.get((item.pk, version))
        touched = [
            key
            for key, value in wanted.items()
            if then is None or _comparable(value) != _comparable(then[key])
        ]
        if touched:
            differences = [(self.headers[key], _shown(wanted[key]), _shown(now[key])) for key in touched]
            self.preview.conflicts.append(Conflict(self.number, item, version, now["version"], differences))


def _as_saved(now: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Return the status and progress action_update will save for these changes."""
    probe = Tracking(
        status=changes.get("status", now["status"]), progress=changes.get("progress", now["progress"])
    )
    keep_status_and_progress_consistent(probe, changes)
    return {"status": probe.status, "progress": probe.progress}


def _action_change(item: Item, version: int, changed: dict[str, Any], current: Current) -> ActionChange:
    people = {
        name: [current.users[username] for username in sorted(changed.pop(name))]
        for name in PEOPLE
        if name in changed
    }
    return ActionChange(
        item=item,
        expected_version=version,
        changes=changed,
        leads=people.get("leads"),
        team=people.get("team"),
    )


def _comparable(value: Any) -> Any:
    return frozenset(value) if isinstance(value, set | frozenset) else value


def _shown(value: Any) -> str:
    """Return a value as the preview shows it, in the reader's language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(value)) or "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    for choices in (Status, Priority):
        if isinstance(value, str) and value in choices.values:
            return str(choices(value).label)
    return str(value)


_BAD: Any = object()  # a cell that could not be read; its error is already reported


def _check_people(names: set[str], current: Current) -> None:
    unknown = sorted(name for name in names if name not in current.users)
    if unknown:
        raise CellError(
            _("nobody has the username %(names)s.") % {"names": ", ".join(f"“{name}”" for name in unknown)}
        )
