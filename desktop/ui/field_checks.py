"""Checks of what a person typed into a field, as pure functions returning a value or a message in words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

# Far above any single infusion of the catalog drugs; a typo guard, not a clinical limit.
MAX_MG = Decimal(20000)
MAX_VIALS = 50
T = TypeVar("T")
_ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
_ICD10CM_NO_DOT = re.compile(r"^([A-TV-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})$")
_MG_UNIT = re.compile(r"\s*(mg|milligrams?)\.?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Checked(Generic[T]):
    """A field's value when it is acceptable, otherwise the message to show next to it."""

    value: T | None
    message: str = ""
    understood: str = ""  # how an entry that was not in the usual form was read, e.g. "understood as 09:00"

    @property
    def ok(self) -> bool:
        return not self.message


def check_mg(text: str, caption: str, *, required: bool, at_most: Decimal | None = None) -> Checked[Decimal]:
    """mg amounts: digits with an optional decimal point and an optional "mg"; no other letters, no negatives,
    nothing absurd."""
    text = text.strip().replace(",", "")
    unit = _MG_UNIT.search(text)
    if unit and text[:unit.start()].strip():
        text = text[:unit.start()].strip()
    else:
        unit = None
    if not text:
        return Checked(None, f"Enter the {caption} in mg." if required else "")
    if text.startswith("-"):
        return Checked(None, f"The {caption} cannot be negative.")
    if not re.fullmatch(r"\d+(\.\d{1,3})?|\.\d{1,3}", text):
        return Checked(None, f"The {caption} must be a number of mg, e.g. 275 or 27.5 (no letters).")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return Checked(None, f"The {caption} must be a number of mg, e.g. 275.")
    if amount > MAX_MG:
        return Checked(None, f"{amount} mg is far more than any infusion; check the {caption}.")
    if at_most is not None and amount > at_most:
        return Checked(None, f"{amount} mg is more than the {at_most.normalize():f} mg in the opened vials.")
    return Checked(amount, understood=f"understood as {amount.normalize():f} mg" if unit else "")


def check_count(text: str, caption: str = "number of vials") -> Checked[int]:
    text = text.strip()
    if not text:
        return Checked(None, f"Enter the {caption}.")
    if text.startswith("-"):
        return Checked(None, f"The {caption} cannot be negative.")
    if not text.isdigit():
        return Checked(None, f"The {caption} must be a whole number, e.g. 3 (no letters).")
    count = int(text)
    if count == 0:
        return Checked(None, f"The {caption} must be at least 1.")
    if count > MAX_VIALS:
        return Checked(None, f"{count} vials is more than one chair uses; check the {caption}.")
    return Checked(count)


def check_diagnoses(text: str) -> Checked[tuple[str, ...]]:
    """ICD-10-CM codes separated by commas or spaces, e.g. C83.30, C91.10; lower case and a missing dot are
    understood (an ICD-10-CM code longer than three characters always has its dot after the third)."""
    typed = tuple(c for c in re.split(r"[,\s;]+", text.strip()) if c)
    if not typed:
        return Checked(None, "Enter at least one ICD-10-CM diagnosis code, e.g. C91.10.")
    codes = tuple(_ICD10CM_NO_DOT.sub(r"\1.\2", c.upper()) for c in typed)
    bad = [t for t, c in zip(typed, codes, strict=True) if not _ICD10CM.match(c)]
    if bad:
        return Checked(None, f"Not an ICD-10-CM code: {', '.join(bad)} (expected e.g. C91.10).")
    changed = codes != typed
    return Checked(codes, understood=f"understood as {', '.join(codes)}" if changed else "")


def check_time(text: str, caption: str) -> Checked[dt.time]:
    """A clock time: 09:30, 9:30, 0930, 930, 9.30, 9 am, 2:05 pm; "understood as" when not written as HH:MM."""
    text = text.strip()
    if not text:
        return Checked(None)
    match = _CLOCK.match(text)
    words = f"The {caption} must be a time on a 24-hour clock, e.g. 09:30 or 14:05."
    if not match:
        return Checked(None, words)
    hours_text, minutes_text, half = match.groups()
    if minutes_text is None and len(hours_text) > 2:
        return Checked(None, words)
    if minutes_text is None and not half:
        return Checked(None, f"{words} ({text!r} alone could be hours or minutes.)")
    if minutes_text is None and len(hours_text) <= 2:
        hours, minutes = int(hours_text), 0
    else:
        hours, minutes = int(hours_text), int(minutes_text or 0)
    if half:
        if not 1 <= hours <= 12:
            return Checked(None, words)
        hours = hours % 12 + (12 if half.lower().startswith("p") else 0)
    if hours > 23 or minutes > 59:
        return Checked(None, words)
    moment = dt.time(hours, minutes)
    usual = re.fullmatch(r"\d{2}:?\d{2}", text) is not None  # 09:30 or 0930: nothing to explain
    return Checked(moment, understood="" if usual else f"understood as {moment:%H:%M}")
