"""Readers for one field of a rule-data entry (resources/*.toml), each failing with words that name it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

T = TypeVar("T")


class RuleDataError(ValueError):
    """A data file under resources/ is missing, malformed or inconsistent."""


def field_of(entry: Mapping[str, Any], key: str, where: str, convert: Callable[[Any], T]) -> T:
    if key not in entry:
        raise RuleDataError(f"{where}: '{key}' is missing")
    try:
        return convert(entry[key])
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise RuleDataError(f"{where}: '{key}' = {entry[key]!r} is not valid ({exc})") from exc


def optional_field(entry: Mapping[str, Any], key: str, where: str, convert: Callable[[Any], T]) -> T | None:
    return None if entry.get(key) is None else field_of(entry, key, where, convert)


def positive_decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("write amounts as strings, e.g. \"2.4\", not floats")
    amount = Decimal(str(value))
    if not amount.is_finite() or amount <= 0:
        raise ValueError("must be a positive number")
    return amount


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("must be a whole number above 0")
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be non-empty text")
    return value.strip()


def date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(str(value))


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)

    return convert


def in_force(effective_from: dt.date, effective_to: dt.date | None, day: dt.date) -> bool:
    """Whether a dated row applies on `day` (effective_to inclusive, None = until further notice)."""
    return effective_from <= day and (effective_to is None or day <= effective_to)


def describe_period(effective_from: dt.date, effective_to: dt.date | None) -> str:
    if effective_to is None:
        return f"from {effective_from.isoformat()}"
    return f"{effective_from.isoformat()} to {effective_to.isoformat()}"
