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
    """Waste of one drug in one month: mg, the same in billing units, and JW units on accepted charges."""

    hcpcs: str
    drug: str
    month: str  # YYYY-MM
    administrations: int
    discarded_mg: Decimal
    discarded_units: Decimal  # discarded mg / mg per billing unit (not rounded)
    jw_units_billed: int


@dataclass(frozen=True, slots=True)
class WasteReport:
    date_from: dt.date
    date_to: dt.date
    rows: tuple[WasteRow, ...]  # by drug, then month

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(sorted({r.month for r in self.rows}))

    def total_mg(self, hcpcs: str | None = None) -> Decimal:
        return sum((r.discarded_mg for r in self.rows if hcpcs in (None, r.hcpcs)), Decimal(0))

    def total_jw_units(self) -> int:
        return sum(r.jw_units_billed for r in self.rows)


@dataclass(frozen=True, slots=True)
class Units340bRow:
    """Drug-line units of one payer class under one 340B modifier (or none)."""

    payer_class: str
    modifier: str  # JG, TB, or "none"
    acquired_340b: bool  # at least one package of the administration was 340B-acquired
    lines: int
    units: int
    jw_units: int


@dataclass(frozen=True, slots=True)
class Report340b:
    date_from: dt.date
    date_to: dt.date
    rows: tuple[Units340bRow, ...]

    def units_with(self, modifier: str) -> int:
        return sum(r.units for r in self.rows if r.modifier == modifier)
