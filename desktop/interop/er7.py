"""HL7 v2 ER7 encoding: escaped text, components and segments by field number, timestamps with their offset.

The exports build each segment as text from a table of field numbers (one pass, no object tree): building a
month of messages with hl7apy's element tree took 15 ms each (issue 16). Every message shape is parsed back and
validated strictly with hl7apy in the tests instead (tests/interop).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping

FIELD, COMPONENT, REPETITION, ESCAPE, SUBCOMPONENT = "|", "^", "~", "\\", "&"
ENCODING_CHARACTERS = COMPONENT + REPETITION + ESCAPE + SUBCOMPONENT
SEGMENT_END = "\r"
_ESCAPES = str.maketrans({
    ESCAPE: "\\E\\", FIELD: "\\F\\", COMPONENT: "\\S\\", SUBCOMPONENT: "\\T\\", REPETITION: "\\R\\",
    "\r": " ", "\n": " ",
})
_PLAIN = frozenset("|^&~\\\r\n")


def escape(text: str | None) -> str:
    """Text with HL7 escape sequences for the delimiters, so free text never splits a field."""
    if not text:
        return ""
    return text.translate(_ESCAPES) if _PLAIN.intersection(text) else text


def components(*parts: str | None) -> str:
    """Escaped parts joined by ^, without trailing empty components."""
    return _joined([escape(p) for p in parts], COMPONENT)


def subcomponents(*parts: str | None) -> str:
    return _joined([escape(p) for p in parts], SUBCOMPONENT)


def joined_components(*parts: str) -> str:
    """Parts already encoded (e.g. holding subcomponents) joined by ^."""
    return _joined(list(parts), COMPONENT)


def repeated(values: Iterable[str]) -> str:
    return REPETITION.join(values)


def _joined(parts: list[str], separator: str) -> str:
    while parts and not parts[-1]:
        parts.pop()
    return separator.join(parts)


def segment(name: str, fields: Mapping[int, str]) -> str:
    """One segment from encoded field values by number (1-based), without trailing empty fields.

    MSH, FHS and BHS count the field separator itself as field 1: pass their fields from 2 (the encoding
    characters) on, and the separator is not written twice.
    """
    header = name in ("MSH", "FHS", "BHS")
    last = max((n for n, value in fields.items() if value), default=0)
    first = 2 if header else 1
    return name + FIELD + FIELD.join(fields.get(n, "") for n in range(first, last + 1)) if last else name


def fields(name: str, values: Iterable[str]) -> str:
    """A segment from its encoded fields in order (field 1 first), without trailing empty fields. Escaped
    values never hold a bare |, so stripping the separators at the end drops exactly the empty fields."""
    return (name + FIELD + FIELD.join(values)).rstrip(FIELD) or name


@functools.lru_cache(maxsize=8192)
def timestamp(moment: dt.datetime) -> str:
    """HL7 TS/DTM to the second, in UTC with its offset written out (an offset is never left to be guessed)."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S+0000")


def date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")
