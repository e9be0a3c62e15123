"""What a charge ticket shows (one visit: its drugs and its administration codes): frozen values, nothing rendered."""

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
    address: str = ""  # lines separated by "\n"

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.address.splitlines() if line.strip())


@dataclass(frozen=True, slots=True)
class Patient:
    name: str
    mrn: str
    date_of_birth: dt.date


@dataclass(frozen=True, slots=True)
class TicketFact:
    """One documented fact as printed: its label from the record's definition and its value in words."""

    label: str
    value: str  # blank prints as a dash: not documented


@dataclass(frozen=True, slots=True)
class TicketPackage:
    """Packages (vials) of one kind opened for a drug, as the ticket lists them."""

    description: str  # its strength, e.g. "100 mg/5 mL" (with the drug's name when it is not the drug's own code)
    ndc11: str  # 11 claim digits, no hyphens
    count: int
    acquired_340b: bool
    lot: str = ""
    expiry: dt.date | None = None
    label_mg: Decimal | None = None  # labeled amount of one package
    multiple_dose: bool = False
    serial: str = ""  # GS1 serial of a scanned vial


@dataclass(frozen=True, slots=True)
class TicketLine:
    """One claim line. `charge` is None when the facility has no price per unit for the code; `allowance` is the
    expected payer allowance when a payment limit is known for the date of service (else None, not shown)."""

    hcpcs: str
    kind: LineKind
    units: int
    modifiers: tuple[str, ...] = ()
    ndc: NdcDetail | None = None
    charge: Decimal | None = None
    drug: int | None = None  # the number of the drug it bills (1, 2, ...); None: an administration code
    reason: str = ""  # why an administration code is there, in words
    allowance: Decimal | None = None

    @classmethod
    def from_claim_line(cls, line: ClaimLine, price_per_unit: Decimal | None = None, *, drug: int | None = None,
                        allowance: Decimal | None = None) -> TicketLine:
        charge = None if price_per_unit is None else (price_per_unit * line.units).quantize(Decimal("0.01"))
        return cls(line.hcpcs, line.kind, line.units, line.modifiers, line.ndc, charge, drug, line.reason, allowance)


@dataclass(frozen=True, slots=True)
class AcknowledgedFinding:
    finding: Finding
    acknowledged_by: str
    acknowledged_at: dt.datetime | None = None
    drug: int | None = None  # the drug it was found on


@dataclass(frozen=True, slots=True)
class VoidMark:
    """Why and by whom a drug (or a whole visit) was voided; voided lines must never be billed."""

    reason: str
    voided_by: str = ""
    voided_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("a voided ticket needs a reason")


@dataclass(frozen=True, slots=True)
class TicketDrug:
    """One drug of the visit: what was opened, given and discarded, when, by whom, and its own claim lines."""

    number: int  # its place in the visit, 1 first
    hcpcs: str
    name: str  # generic (brand)
    packages: tuple[TicketPackage, ...]
    administered_mg: Decimal
    discarded_mg: Decimal
    lines: tuple[TicketLine, ...]  # its drug lines (billed only while it is not voided)
    route: str = ""
    ordered_dose_mg: Decimal | None = None  # None: no order was documented
    infusion_start: dt.datetime | None = None
    infusion_stop: dt.datetime | None = None
    facts: tuple[TicketFact, ...] = ()  # documented for this drug (who discarded, who witnessed)
    state: str = ""  # in words, printed when the drugs of the visit are not all in one state
    void: VoidMark | None = None
    replaces: str = ""  # e.g. "drug 1" or "ticket T-000004": what this drug corrects
    replaced_by: str = ""  # e.g. "drug 3": where the correction of this voided drug is
    split_dose_reason: str = ""

    @property
    def active(self) -> bool:
        return self.void is None


@dataclass(frozen=True, slots=True)
class TicketData:
    """Everything printed on one charge ticket: one visit, every drug of it, its administration codes."""

    facility: Facility
    ticket_number: str
    patient: Patient
    date_of_service: dt.date
    payer_class: PayerClass
    drugs: tuple[TicketDrug, ...]
    code_lines: tuple[TicketLine, ...]  # the visit's administration codes (the revision billed)
    nurse: str  # full name and credentials, for the signature
    printed_at: dt.datetime
    facts: tuple[TicketFact, ...] = ()  # the visit's documented facts, in the definition's order
    state: str = ""  # the record's state in words (recorded / verified / ticket printed / posted / void)
    place_of_service: str = ""
    code_revision: str = ""  # which revision of the administration codes is billed, and why it was made
    witnesses: tuple[str, ...] = ()  # who witnessed waste, for the signature boxes
    findings: tuple[AcknowledgedFinding, ...] = ()
    notes: str = ""
    void: VoidMark | None = None  # every drug of the visit is voided
    replaces_ticket: str | None = None  # a ticket of another visit this one corrects
    reprint: bool = False
    paper: PaperSize = PaperSize.LETTER

    def __post_init__(self) -> None:
        if not self.ticket_number.strip():
            raise ValueError("a ticket needs a number")
        if self.printed_at.tzinfo is None:
            raise ValueError("printed_at must be timezone-aware")

    @property
    def lines(self) -> tuple[TicketLine, ...]:
        """The claim lines billed from this ticket: the drug lines of drugs not voided, then the visit's codes."""
        return tuple(line for drug in self.drugs if drug.active for line in drug.lines) + self.code_lines

    @property
    def total_charge(self) -> Decimal | None:
        """Sum of the priced lines billed, or None when no line has a price."""
        priced = [line.charge for line in self.lines if line.charge is not None]
        return sum(priced, Decimal("0")) if priced else None

    @property
    def total_allowance(self) -> Decimal | None:
        """Sum of the expected allowances known, or None when none is known."""
        known = [line.allowance for line in self.lines if line.allowance is not None]
        return sum(known, Decimal("0")) if known else None

    @property
    def replaced(self) -> tuple[TicketDrug, ...]:
        """Drugs of this visit that correct another drug."""
        return tuple(drug for drug in self.drugs if drug.replaces)
