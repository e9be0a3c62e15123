"""Charges as the exports see them: one administration with its frozen claim lines, charged or reversed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

MODIFIERS_340B = frozenset({"JG", "TB"})


@dataclass(frozen=True, slots=True)
class ExportLine:
    """One frozen claim line; `ndc_*` is the 837P loop 2410 data (LIN02, LIN03, CTP05-1, CTP04)."""

    number: int  # 1-based, in claim order
    hcpcs: str
    kind: str  # administered | discarded | administration
    units: int
    modifiers: tuple[str, ...] = ()
    ndc_qualifier: str | None = None
    ndc11: str | None = None
    ndc_unit: str | None = None
    ndc_quantity: Decimal | None = None

    @property
    def is_drug(self) -> bool:
        return self.kind in ("administered", "discarded")

    @property
    def acquired_340b(self) -> bool:
        return bool(MODIFIERS_340B.intersection(self.modifiers))

    @property
    def box24a_ndc(self) -> str:
        """The NDC as printed in the shaded part of CMS-1500 box 24A: N4, 11 digits, unit, quantity."""
        if not (self.ndc11 and self.ndc_unit and self.ndc_quantity is not None):
            return ""
        return f"{self.ndc_qualifier or 'N4'}{self.ndc11}{self.ndc_unit}{decimal_text(self.ndc_quantity)}"


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One administration to send to billing. `reversal` is True for a voided charge: it is sent as a credit."""

    administration_id: int
    state: str
    reversal: bool
    date_of_service: dt.date
    patient_mrn: str
    patient_name: str
    patient_birth_date: dt.date
    payer: str | None
    payer_class: str
    facility_type: str
    diagnosis_codes: tuple[str, ...]
    nurse: str | None
    prior_authorization: str | None
    recorded_at: dt.datetime
    posted_at: dt.datetime | None
    voided_at: dt.datetime | None
    void_reason: str | None
    replaces_id: int | None
    lines: tuple[ExportLine, ...]

    @property
    def transaction_type(self) -> str:
        """HL7 table 0017: CG charge, CD credit (the reversal of a voided charge)."""
        return "CD" if self.reversal else "CG"

    @property
    def sign(self) -> int:
        return -1 if self.reversal else 1

    @property
    def posting_time(self) -> dt.datetime:
        """When this transaction happened: the void for a reversal, else the posting (or the recording)."""
        if self.reversal and self.voided_at is not None:
            return self.voided_at
        return self.posted_at or self.recorded_at


def decimal_text(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 10.50 -> 10.5, 1E+1 -> 10."""
    text = f"{value.normalize():f}"
    return text


def split_name(name: str) -> tuple[str, str]:
    """(family, given) from "Doe, Jane" or "Jane Doe"; a single word is the family name."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return parts[-1], " ".join(parts[:-1])
