"""Checking Jalon's JSON document one field at a time, each refusal naming where it is
("items[0].children[1].tracking: “progress” should be a whole number, not text.").

The tree's reader (json_format.py) and the sections the other apps read (their
exchange.py) check their values with these, so every part of the document refuses bad
input in the same words."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Stands for "no default": the field must be there.
REQUIRED: Any = object()


class Invalid(Exception):
    """A part of the document is not what the format says; `path` names that part."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)


def object_of(value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    """Return the value if it is an object holding only the allowed fields."""
    if not isinstance(value, dict):
        raise Invalid(path, _("should be an object, not %(actual)s.") % {"actual": kind_of(value)})
    refuse_unknown(value, path, allowed)
    return value


def refuse_unknown(data: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed:
            raise Invalid(
                path,
                _("“%(key)s” is not a field of this format; the fields are %(allowed)s.")
                % {"key": key, "allowed": ", ".join(allowed)},
            )


def field(
    data: dict[str, Any],
    key: str,
    path: str,
    expected: type,
    *,
    default: Any = REQUIRED,
    nullable: bool = False,
) -> Any:
    """Return data[key] if it has the expected JSON type, else the default if there is one."""
    if key not in data:
        if default is REQUIRED:
            raise Invalid(path, _("“%(key)s” is missing.") % {"key": key})
        return default
    value = data[key]
    if (value is None and nullable) or is_a(value, expected):
        return value
    raise Invalid(
        path,
        _("“%(key)s” should be %(expected)s, not %(actual)s.")
        % {"key": key, "expected": _EXPECTED[expected](), "actual": kind_of(value)},
    )


def text(
    data: dict[str, Any], key: str, path: str, *, default: Any = REQUIRED, limit: int | None = None
) -> str:
    value: str = field(data, key, path, str, default=default)
    if limit is not None and len(value) > limit:
        raise Invalid(
            path,
            _("“%(key)s” is longer than %(limit)s characters.") % {"key": key, "limit": limit},
        )
    return value


def list_of(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(path, _("should be a list."))
    return value


def names(data: dict[str, Any], key: str, path: str) -> list[str]:
    """Return a list of text (usernames, file names), empty when the field is left out."""
    values = field(data, key, path, list, default=[])
    if not all(isinstance(value, str) for value in values):
        raise Invalid(f"{path}.{key}", _("should be a list of text."))
    return list(values)


def date(data: dict[str, Any], key: str, path: str, *, required: bool = False) -> datetime.date | None:
    value = field(data, key, path, str, default=None, nullable=not required)
    if value is None:
        if required:
            raise Invalid(path, _("“%(key)s” is missing.") % {"key": key})
        return None
    try:
        if DATE.match(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid(f"{path}.{key}", _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value})


def choice(data: dict[str, Any], key: str, path: str, choices: list[str], default: str) -> str:
    value = text(data, key, path, default=default)
    if value not in choices:
        raise Invalid(
            f"{path}.{key}",
            _("“%(value)s” is not one of %(choices)s.") % {"value": value, "choices": ", ".join(choices)},
        )
    return value


def percent(data: dict[str, Any], key: str, path: str, *, nullable: bool) -> int | None:
    value = field(data, key, path, int, default=None if nullable else 0, nullable=nullable)
    if value is not None and not 0 <= value <= 100:
        raise Invalid(
            f"{path}.{key}", _("a percent lies between 0 and 100, not %(value)s.") % {"value": value}
        )
    return value


def decimal(data: dict[str, Any], key: str, path: str) -> Decimal | None:
    """Return an amount or a measure, written as text so that no digit is lost to floats."""
    value = field(data, key, path, str, default=None, nullable=True)
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise Invalid(
            f"{path}.{key}",
            _('%(value)s is not a number written as text ("12000.50").')
            % {"value": json.dumps(value, ensure_ascii=False)},
        )
    return number


def is_a(value: Any, expected: type) -> bool:
    # JSON's true and false are Python ints too, but never a count or a line number.
    if isinstance(value, bool):
        return expected is bool
    return isinstance(value, expected)


_EXPECTED: dict[type, Callable[[], str]] = {
    str: lambda: pgettext("JSON type", "text"),
    int: lambda: pgettext("JSON type", "a whole number"),
    list: lambda: pgettext("JSON type", "a list"),
    dict: lambda: pgettext("JSON type", "an object"),
    bool: lambda: pgettext("JSON type", "true or false"),
}


def kind_of(value: Any) -> str:
    """Return the JSON type of a value as a reader says it ("text", "a list", "null")."""
    if value is None:
        return pgettext("JSON type", "null")
    if isinstance(value, bool):
        return _EXPECTED[bool]()
    if isinstance(value, int | float):
        return pgettext("JSON type", "a number")
    for expected in (str, list, dict):
        if isinstance(value, expected):
            return _EXPECTED[expected]()
    return repr(type(value))
