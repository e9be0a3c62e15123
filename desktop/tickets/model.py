"""What a charge ticket shows: frozen values the store maps its rows into, nothing rendered yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop.billing.model import ClaimLine, Finding, LineKind, NdcDetail, PayerClass


class PaperSize(StrEnum):
    LETTER = "letter"
    A4 = "a4"


@dataclass(frozen=True, slots=True)
class FacilityIdentifier:
    """One identifier printed under the facility name, e.g. ("NPI", "1234567890")."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Facility:
    name: str
    identifiers: tuple[FacilityIdentifier, ...] = ()
    address: str = ""


@dataclass(frozen=True, slots=True)
class Patient:
    name: str
    mrn: str
    date_of_birth: dt.date


@dataclass(frozen=True, slots=True)
class TicketPackage:
    """Packages (vials) of one kind opened for the administration, as the ticket lists them."""

    drug: str
    ndc11: str  # 11 claim digits, no hyphens
    count: int
    acquired_340b: bool
    lot: str = ""
    expiry: dt.date | None = None
    label_mg: Decimal | None = None  # labeled amount of one package
    multiple_dose: bool = False


@dataclass(frozen=True, slots=True)
class TicketLine:
    """One claim line; `charge` is None when the facility has no price per unit for the code."""

    hcpcs: str
    kind: LineKind
    units: int
    modifiers: tuple[str, ...] = ()
    ndc: NdcDetail | None = None
    charge: Decimal | None = None

    @classmethod
    def from_claim_line(cls, line: ClaimLine, price_per_unit: Decimal | None = None) -> TicketLine:
        charge = None if price_per_unit is None else (price_per_unit * line.units).quantize(Decimal("0.01"))
        return cls(line.hcpcs, line.kind, line.units, line.modifiers, line.ndc, charge)


@dataclass(frozen=True, slots=True)
class AcknowledgedFinding:
    finding: Finding
    acknowledged_by: str
    acknowledged_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class VoidMark:
    """Why and by whom a ticket was voided; a voided ticket must never be billed."""

    reason: str
    voided_by: str = ""
    voided_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("a voided ticket needs a reason")


@dataclass(frozen=True, slots=True)
class TicketData:
    """Everything printed on one charge ticket."""

    facility: Facility
    ticket_number: str
    patient: Patient
    date_of_service: dt.date
    payer: str
    payer_class: PayerClass
    diagnosis_codes: tuple[str, ...]
    ordered_dose_mg: Decimal | None  # None: no order was documented with the record
    route: str
    packages: tuple[TicketPackage, ...]
    administered_mg: Decimal
    discarded_mg: Decimal
    lines: tuple[TicketLine, ...]
    nurse: str
    printed_at: dt.datetime
    prior_auth: str = ""
    ordered_dose_note: str = ""  # the order as written when it is not plain mg, e.g. "2 mg/kg x 75 kg"
    infusion_start: dt.datetime | None = None
    infusion_stop: dt.datetime | None = None
    discarded_by: str = ""
    witness: str = ""
    findings: tuple[AcknowledgedFinding, ...] = ()
    chair: str = ""
    notes: str = ""
    void: VoidMark | None = None
    replaces_ticket: str | None = None
    reprint: bool = False
    paper: PaperSize = PaperSize.LETTER

    def __post_init__(self) -> None:
        if not self.ticket_number.strip():
            raise ValueError("a ticket needs a number")
        if self.printed_at.tzinfo is None:
            raise ValueError("printed_at must be timezone-aware")

    @property
    def total_charge(self) -> Decimal | None:
        """Sum of the priced lines, or None when no line has a price."""
        priced = [line.charge for line in self.lines if line.charge is not None]
        return sum(priced, Decimal("0")) if priced else None

    @property
    def drugs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.drug for p in self.packages))
