"""Billing transactions as the exports see them: per visit, each the charge or the reversal of one claim line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

MODIFIERS_340B = frozenset({"JG", "TB"})
SENDING_APPLICATION = "INFUSION_CHARGE"  # this program, as MSH-3 / FHS-3 / BHS-3 name it


class Purpose(StrEnum):
    """Why a file was made: billing transactions, a look at what would be billed, or billing sent again."""

    BILLING = "billing"
    PREVIEW = "preview"  # never billing transactions: HL7 processing id T, FHIR status planned, CSV "preview"
    RESEND = "resend"  # the transactions of an earlier run, sent again on purpose, under new control ids


class TransactionKind(StrEnum):
    CHARGE = "charge"
    REVERSAL = "reversal"  # takes back a charge sent before (Transaction.reverses_id)
    PREVIEW = "preview"


class Provider(NamedTuple):
    name: str
    npi: str | None = None


class ExportLine(NamedTuple):
    """One claim line of a visit: a drug line frozen when the drug was recorded, or an administration-code line
    of one revision of the visit's codes. `ndc_*` is the 837 loop 2410 data (LIN02, LIN03, CTP05-1, CTP04).

    The records of an export are immutable named tuples: a month is tens of thousands of them (issue 16)."""

    visit_line_number: int  # its place on the visit's claim (drug lines in entry order, then the codes)
    kind: str  # administered | discarded | administration
    hcpcs: str
    units: int
    modifiers: tuple[str, ...] = ()
    administration_id: int | None = None  # the drug it bills
    ndc11: str | None = None
    ndc10: str | None = None  # the labeled 10-digit package code with its hyphens (FHIR NDC system)
    ndc_qualifier: str | None = None
    ndc_unit: str | None = None
    ndc_quantity: Decimal | None = None
    lots: tuple[str, ...] = ()
    expiries: tuple[dt.date | None, ...] = ()  # one per lot
    infusion_start: dt.datetime | None = None
    infusion_stop: dt.datetime | None = None
    revenue_code: str | None = None  # UB-04 form locator 42, hospital outpatient only
    cdm: str | None = None  # the receiver's charge-master number, when the facility set one
    unit_price: Decimal | None = None

    @property
    def is_drug(self) -> bool:
        return self.kind in ("administered", "discarded")

    @property
    def acquired_340b(self) -> bool:
        return bool(MODIFIERS_340B.intersection(self.modifiers))

    @property
    def amount(self) -> Decimal | None:
        """The line charge: units x the facility's price per unit (None when no price is set)."""
        return None if self.unit_price is None else (self.unit_price * self.units).quantize(Decimal("0.01"))

    @property
    def box24a_ndc(self) -> str:
        """The NDC as printed in the shaded part of CMS-1500 box 24A: N4, 11 digits, unit, quantity."""
        if not (self.ndc11 and self.ndc_unit and self.ndc_quantity is not None):
            return ""
        return f"{self.ndc_qualifier or 'N4'}{self.ndc11}{self.ndc_unit}{decimal_text(self.ndc_quantity)}"

    @property
    def description(self) -> str:
        what = {"administered": "drug administered", "discarded": "drug discarded (waste)",
                "administration": "administration"}
        return f"{self.hcpcs} {what.get(self.kind, self.kind)}"


class Transaction(NamedTuple):
    """A charge, the reversal of a charge sent before, or (in a preview) a line that is not a transaction."""

    kind: TransactionKind
    line: ExportLine
    transaction_id: int | None  # unique for ever in this store; None in a preview
    reverses_id: int | None  # the charge a reversal takes back
    posted_at: dt.datetime  # when it happened in billing: posted, voided, or the codes computed again
    entered_by: str
    reason: str | None = None  # why a reversal (the void's reason, or why the codes were computed again)

    @property
    def transaction_type(self) -> str:
        """HL7 table 0017: CG charge, CD credit (the reversal of a charge); a preview is neither."""
        return {TransactionKind.CHARGE: "CG", TransactionKind.REVERSAL: "CD"}.get(self.kind, "")

    @property
    def charge_id(self) -> int | None:
        """The charge this transaction is about: itself, or the one it reverses."""
        return self.reverses_id if self.kind is TransactionKind.REVERSAL else self.transaction_id


class PatientRecord(NamedTuple):
    mrn: str
    name: str
    birth_date: dt.date
    sex: str | None  # HL7 table 0001 code, None when never recorded


class VisitExport(NamedTuple):
    """One visit (one claim) with the transactions of one run: reversals first, then charges."""

    visit_id: int
    date_of_service: dt.date
    place_of_service: str  # hospital_outpatient | office
    patient: PatientRecord
    payer: str | None
    payer_class: str
    diagnosis_codes: tuple[str, ...]
    prior_authorization: str | None
    ordering_provider: Provider | None
    nurse: str | None
    chair: str | None
    transactions: tuple[Transaction, ...]


@dataclass(frozen=True, slots=True)
class Sender:
    """The facility as a billing system knows it (facility settings)."""

    facility_name: str
    npi: str
    tin: str
    hl7_facility: str  # MSH-4.1; the NPI when none is set
    receiving_application: str
    receiving_facility: str
    mrn_authority: str  # PID-3.4
    rendering_provider: Provider | None


@dataclass(frozen=True, slots=True)
class RunHeader:
    """One export run: its number makes every control id of the file unique for ever."""

    run_id: int
    purpose: Purpose
    created_at: dt.datetime
    created_by: str
    sender: Sender
    resend_of: int | None = None  # the run sent again

    @property
    def control_id(self) -> str:
        return control_id(self.run_id)

    @property
    def batch_control_id(self) -> str:
        return f"{self.control_id}B"

    def message_control_id(self, number: int) -> str:
        """MSH-10 of the number-th message (1-based) of the run."""
        return f"{self.control_id}M{number}"

    @property
    def processing_id(self) -> str:
        """HL7 table 0103: P production for billing transactions, T for a preview."""
        return "T" if self.purpose is Purpose.PREVIEW else "P"


def control_id(run_id: int) -> str:
    return f"ICC{run_id}"


def decimal_text(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 10.50 -> 10.5, 1E+1 -> 10."""
    return f"{value.normalize():f}"


def money_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def split_name(name: str) -> tuple[str, str]:
    """(family, given) from "Doe, Jane" or "Jane Doe"; a single word is the family name."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return parts[-1], " ".join(parts[:-1])
