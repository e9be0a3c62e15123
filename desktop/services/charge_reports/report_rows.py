"""Frozen values of the reconciliation, waste and 340B reports (Decimal for mg and units of drug)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ReconItem:
    """One administration that needs attention, and why, in words."""

    id: int
    date_of_service: dt.date
    patient_name: str
    patient_mrn: str
    hcpcs: str
    state: str
    why: str


@dataclass(frozen=True, slots=True)
class HoldGroup:
    reason: str
    count: int
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    date_from: dt.date
    date_to: dt.date
    administrations: int
    posted: int
    without_accepted_charge: tuple[ReconItem, ...]
    not_posted: tuple[ReconItem, ...]
    tickets_not_printed: tuple[ReconItem, ...]
    held_by_reason: tuple[HoldGroup, ...]
    voids: tuple[ReconItem, ...]


@dataclass(frozen=True, slots=True)
class WasteRow:
    """Waste of one drug in one month: mg, the same in billing units, JW units on accepted charges, and dollars at
    the ASP payment limit of each date of service (0 where no limit is known)."""

    hcpcs: str
    drug: str
    month: str  # YYYY-MM
    administrations: int
    discarded_mg: Decimal
    discarded_units: Decimal  # discarded mg / mg per billing unit (not rounded)
    jw_units_billed: int
    jw_dollars: Decimal = Decimal(0)  # JW units billed x payment limit
    missed_jw_units: int = 0  # whole units of waste no accepted JW line carries
    missed_jw_dollars: Decimal = Decimal(0)

    @property
    def waste_dollars(self) -> Decimal:
        """The dollar value of the waste: billed on JW lines and missed."""
        return self.jw_dollars + self.missed_jw_dollars


@dataclass(frozen=True, slots=True)
class WasteReport:
    date_from: dt.date
    date_to: dt.date
    rows: tuple[WasteRow, ...]  # by drug, then month
    priced_with: str = ""  # the pricing files used, in words; "" when none was in force
    unpriced_codes: tuple[str, ...] = ()  # codes with waste but no payment limit on a date of service

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(sorted({r.month for r in self.rows}))

    def total_mg(self, hcpcs: str | None = None) -> Decimal:
        return sum((r.discarded_mg for r in self.rows if hcpcs in (None, r.hcpcs)), Decimal(0))

    def total_jw_units(self) -> int:
        return sum(r.jw_units_billed for r in self.rows)

    def total_jw_dollars(self) -> Decimal:
        return sum((r.jw_dollars for r in self.rows), Decimal(0))

    def total_missed_dollars(self) -> Decimal:
        return sum((r.missed_jw_dollars for r in self.rows), Decimal(0))

    def total_missed_units(self) -> int:
        return sum(r.missed_jw_units for r in self.rows)


@dataclass(frozen=True, slots=True)
class Units340bRow:
    """Drug-line units of one payer class under one 340B modifier (or none)."""

    payer_class: str
    modifier: str  # JG, TB, or "none"
    acquired_340b: bool  # at least one package of the administration was 340B-acquired
    lines: int
    units: int
    jw_units: int
    dollars: Decimal = Decimal(0)  # units x the payment limit of each date of service (0 where none is known)
    jw_dollars: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Report340b:
    date_from: dt.date
    date_to: dt.date
    rows: tuple[Units340bRow, ...]
    priced_with: str = ""
    unpriced_codes: tuple[str, ...] = ()

    def units_with(self, modifier: str) -> int:
        return sum(r.units for r in self.rows if r.modifier == modifier)

    def dollars_with(self, modifier: str) -> Decimal:
        return sum((r.dollars for r in self.rows if r.modifier == modifier), Decimal(0))
