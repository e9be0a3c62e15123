"""Readers for one value of the calc/record JSON: strict types, ASCII digits, words that name the field."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_MG = Decimal(100_000)  # no single administration of these drugs comes near 100 g (or 100 L)
SMALLEST_AMOUNT = Decimal("0.001")  # amounts are written to at most 3 decimals
MAX_INT_DIGITS = 30
SHOWN = 40  # characters of a person's value quoted back in a message
_DECIMAL_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")  # ASCII only: no "1_000", no Arabic-Indic or full-width digits
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})")
_TIME_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})?")


class InputError(ValueError):
    """The input cannot be read; the message says why, in one line."""


def shown(value: Any) -> str:
    """A person's value quoted in a message: one line, escaped, cut short."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def decode(raw: bytes) -> str:
    """Input bytes as text: UTF-8 (a byte-order mark is allowed), else a message naming the bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the input is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start})") from exc


def loads(text: str) -> Any:
    """Parse JSON keeping every number exact (Decimal), refusing NaN, Infinity, huge integers and deep nesting."""

    def reject(name: str) -> Any:
        raise InputError(f"{name} is not a number")

    def whole(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise InputError(f"a number of {len(digits)} digits is not a plausible value")
        return int(digits)

    def exact(digits: str) -> Decimal:
        if len(digits) > 100:
            raise InputError(f"a number of {len(digits)} characters is not a plausible value")
        return Decimal(digits)

    try:
        return json.loads(text, parse_float=exact, parse_int=whole, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise InputError("the JSON is nested too deeply to be an administration") from exc


def require(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj or obj[key] is None:
        raise InputError(f"{where}'{key}' is required")
    return obj[key]


def text_value(value: Any, name: str, longest: int) -> str:
    """Text without control characters, lone surrogates or NUL, at most `longest` characters."""
    if not isinstance(value, str):
        raise InputError(f"'{name}' must be text, not {shown(value)}")
    if len(value) > longest:
        raise InputError(f"'{name}' must be at most {longest} characters")
    if value.isprintable():  # no control, format, surrogate or unassigned character: the usual case, checked in C
        return value
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise InputError(f"'{name}' contains a control character or an invalid one ({ch!r}): {shown(value)}")
    return value


def amount(value: Any, name: str) -> Decimal:
    """An amount: a JSON number or a decimal string of ASCII digits, 0 to 100,000, at most 3 decimals."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise InputError(f"'{name}' must be a number, not {shown(value)}")
    if isinstance(value, str):
        if not _DECIMAL_TEXT.fullmatch(value.strip()):
            raise InputError(f"'{name}' must be a number written with the digits 0-9 and a point, "
                             f"not {shown(value)}")
        value = value.strip()
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise InputError(f"'{name}' must be a number, not {shown(value)}") from exc
    if not number.is_finite():
        raise InputError(f"'{name}' must be a finite number")
    if number < 0:
        raise InputError(f"'{name}' cannot be negative ({shown(value)})")
    if number > MAX_MG:
        raise InputError(f"'{name}' of {shown(value)} is not a plausible amount")
    if number != number.quantize(SMALLEST_AMOUNT):
        raise InputError(f"'{name}' has more than 3 decimals ({shown(value)}): write it to at most 0.001")
    return number


def whole_number(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"'{name}' must be a whole number, not {shown(value)}")
    if not low <= value <= high:
        raise InputError(f"'{name}' must be between {low} and {high}, not {value}")
    return value


def flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"'{name}' must be true or false, not {shown(value)}")
    return value


def date_value(value: Any, name: str) -> dt.date:
    if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
        raise InputError(f"'{name}' must be an ISO date like 2026-11-29, not {shown(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"'{name}' must be an ISO date like 2026-11-29, not {shown(value)}") from exc


EARLIEST_YEAR, LATEST_YEAR = 1900, 2999  # outside these a date or time is a typing mistake, not a vial or a visit


def expiry_value(value: Any, name: str) -> dt.date:
    """An expiry date; a year-month means the end of that month, as printed on vials."""
    if isinstance(value, str) and (month := _MONTH_TEXT.fullmatch(value)):
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12:
            raise InputError(f"'{name}' must be YYYY-MM-DD or YYYY-MM, not {shown(value)}")
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise InputError(f"'{name}' is in the year {year}: check the expiry ({shown(value)})")
        return dt.date(year, number, calendar.monthrange(year, number)[1])
    expiry = date_value(value, name)
    if not EARLIEST_YEAR <= expiry.year <= LATEST_YEAR:
        raise InputError(f"'{name}' is in the year {expiry.year}: check the expiry ({shown(value)})")
    return expiry


def moment_value(value: Any, name: str) -> dt.datetime:
    """An ISO date-time with a time zone offset, in a plausible year (1900-2999)."""
    example = "2026-11-29T09:30:00-06:00"
    if not isinstance(value, str) or not _TIME_TEXT.fullmatch(value):
        raise InputError(f"'{name}' must be an ISO date-time with its offset like {example}, not {shown(value)}")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"'{name}' must be an ISO date-time with its offset like {example}, "
                         f"not {shown(value)}") from exc
    if moment.tzinfo is None:
        raise InputError(f"'{name}' needs a time zone offset (e.g. -06:00 or Z), not {shown(value)}")
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise InputError(f"'{name}' is in the year {moment.year}: check the date ({shown(value)})")
    return moment


def choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"'{name}' must be one of {', '.join(choices)}, not {shown(value)}")
    return value
