"""Field metadata for documented facts: the label people read, the kind of value, its limit and JSON name."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

METADATA_KEY = "documented"
ICD10 = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")
NPI_DIGITS = 10
MAX_DIAGNOSES = 12  # an 837 claim carries at most 12 diagnosis codes


class FieldKind(StrEnum):
    TEXT = "text"  # one line of text
    LONG_TEXT = "long_text"  # free text, several lines
    NPI = "npi"  # a 10-digit National Provider Identifier (Luhn check digit)
    DIAGNOSES = "diagnoses"  # ICD-10-CM codes
    FLAG = "flag"  # yes / no


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """How one documented fact is named, limited and checked everywhere it appears."""

    name: str
    label: str  # on screen and on the ticket
    kind: FieldKind = FieldKind.TEXT
    max_length: int = 120
    words: str = ""  # how messages name it, e.g. "the payer"; defaults to the label in lower case
    on_ticket: bool = True
    hint: str = ""  # an example shown in the empty field, e.g. "e.g. Chair 3"
    spoken: str = ""  # the accessible name when the label alone is too short to say what it is

    @property
    def what(self) -> str:
        return self.words or f"the {self.label.lower()}"


def documented(label: str, *, kind: FieldKind = FieldKind.TEXT, max_length: int = 120, words: str = "",
               on_ticket: bool = True, hint: str = "", spoken: str = "", default: Any = None) -> Any:
    """A dataclass field carrying its FieldDoc (the name is filled in by `field_docs`)."""
    doc = FieldDoc("", label, kind, max_length, words, on_ticket, hint, spoken)
    if kind is FieldKind.DIAGNOSES:
        return dataclasses.field(default=(), metadata={METADATA_KEY: doc})
    if kind is FieldKind.FLAG:
        return dataclasses.field(default=bool(default), metadata={METADATA_KEY: doc})
    return dataclasses.field(default=default, metadata={METADATA_KEY: doc})


def field_docs(record_type: type) -> tuple[FieldDoc, ...]:
    """The documented fields of a record type, in definition order, each with its name."""
    return tuple(
        dataclasses.replace(f.metadata[METADATA_KEY], name=f.name)
        for f in dataclasses.fields(record_type)
        if METADATA_KEY in f.metadata
    )


def npi_valid(value: str) -> bool:
    """10 digits whose last is the Luhn check digit over the prefix 80840 (CMS NPI check-digit rule)."""
    if len(value) != NPI_DIGITS or not value.isascii() or not value.isdigit():
        return False
    total = 24  # the constant for the 80840 prefix
    for position, char in enumerate(reversed(value[:-1])):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(value[-1])


def problems(record: Any) -> list[str]:
    """Every documented value of `record` that cannot be stored, in words (empty: all can be)."""
    found: list[str] = []
    for doc in field_docs(type(record)):
        value = getattr(record, doc.name)
        found += _problems_of(doc, value)
    return found


def _problems_of(doc: FieldDoc, value: Any) -> list[str]:
    if doc.kind is FieldKind.FLAG:
        return [] if isinstance(value, bool) else [f"{doc.what} must be true or false"]
    if doc.kind is FieldKind.DIAGNOSES:
        if not isinstance(value, tuple):
            return [f"{doc.what} must be a list of ICD-10-CM codes"]
        if len(value) > MAX_DIAGNOSES:
            return [f"at most {MAX_DIAGNOSES} diagnosis codes fit on a claim ({len(value)} given)"]
        return [f"diagnosis code {code!r} is not an ICD-10-CM code (e.g. C34.90)" for code in value
                if not isinstance(code, str) or not ICD10.match(code.strip().upper())]
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"{doc.what} must be text"]
    text = value.strip()
    if len(text) > doc.max_length:
        return [f"{doc.what} is too long ({len(text)} characters; at most {doc.max_length})"]
    allowed = "\t\n" if doc.kind is FieldKind.LONG_TEXT else ""
    if any((ord(c) < 32 and c not in allowed) or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        return [f"{doc.what} contains control characters"]
    if doc.kind is FieldKind.NPI and text and not npi_valid(text):
        return [f"{doc.what} {text!r} is not a valid NPI (10 digits with a check digit)"]
    return []


def cleaned(record: Any) -> Any:
    """The record with text trimmed (blank is None) and diagnosis codes upper case, as it is stored."""
    changes: dict[str, Any] = {}
    for doc in field_docs(type(record)):
        value = getattr(record, doc.name)
        if doc.kind is FieldKind.DIAGNOSES:
            changes[doc.name] = tuple(dict.fromkeys(c.strip().upper() for c in value if c.strip()))
        elif doc.kind is not FieldKind.FLAG and isinstance(value, str):
            changes[doc.name] = value.strip() or None
    return dataclasses.replace(record, **changes)


def to_plain(record: Any) -> dict[str, Any]:
    """The documented values as JSON values (lists for codes), keyed by field name."""
    plain: dict[str, Any] = {}
    for doc in field_docs(type(record)):
        value = getattr(record, doc.name)
        plain[doc.name] = list(value) if doc.kind is FieldKind.DIAGNOSES else value
    return plain


def from_plain(record_type: type, values: dict[str, Any]) -> Any:
    """A record from JSON values keyed by field name (missing keys take the field's default)."""
    kwargs: dict[str, Any] = {}
    for doc in field_docs(record_type):
        if doc.name in values:
            value = values[doc.name]
            kwargs[doc.name] = tuple(value) if doc.kind is FieldKind.DIAGNOSES and isinstance(value, list) else value
    return record_type(**kwargs)


def display(doc: FieldDoc, value: Any) -> str:
    """A documented value as people read it on a screen or a ticket."""
    if doc.kind is FieldKind.FLAG:
        return "yes" if value else "no"
    if doc.kind is FieldKind.DIAGNOSES:
        return ", ".join(value) if value else ""
    return "" if value is None else str(value)
