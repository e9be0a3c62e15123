"""Checks of what a person typed into a field, as pure functions returning a value or a message in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

# Far above any single infusion of the catalog drugs; a typo guard, not a clinical limit.
MAX_MG = Decimal(20000)
MAX_VIALS = 50
T = TypeVar("T")
_ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


@dataclass(frozen=True, slots=True)
class Checked(Generic[T]):
    """A field's value when it is acceptable, otherwise the message to show next to it."""

    value: T | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.message


def check_mg(text: str, caption: str, *, required: bool, at_most: Decimal | None = None) -> Checked[Decimal]:
    """mg amounts: digits with an optional decimal point; no letters, no negatives, nothing absurd."""
    text = text.strip().replace(",", "")
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
    return Checked(amount)


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
    """ICD-10-CM codes separated by commas or spaces, e.g. C83.30, C91.10."""
    codes = tuple(c.upper() for c in re.split(r"[,\s;]+", text.strip()) if c)
    if not codes:
        return Checked(None, "Enter at least one ICD-10-CM diagnosis code, e.g. C91.10.")
    bad = [c for c in codes if not _ICD10CM.match(c)]
    if bad:
        return Checked(None, f"Not an ICD-10-CM code: {', '.join(bad)} (expected e.g. C91.10).")
    return Checked(codes)
