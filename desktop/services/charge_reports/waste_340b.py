"""The waste and 340B reports, in units and in dollars at the ASP payment limit in force on each date of service.

Waste dollars (issue 14): the JW lines billed on accepted charges, at the payment limit x their units; and the JW
lines missed: whole units of waste a JW line could carry (`waste_units_due`: the labels less the units given for
single-dose vials, drug not accounted for included; the documented discard where the vials were mixed) that no
accepted JW line carries: waste documented but not billable, held charges, unaccounted drug.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import exists, func, select

from db import models
from desktop.billing.model import DoseType
from desktop.billing.reference import allowance, waste_units_due
from desktop.records.requests import ChargeState
from desktop.services.charge_reports.report_rows import Report340b, Units340bRow, WasteReport, WasteRow
from desktop.services.errors import ServiceError
from desktop.services.facility.catalog import newest_catalog
from desktop.services.facility.reference.in_force import limits_on_days, prices_source
from desktop.services.storage.store import Store

A = models.Administration
V = models.Visit
CL = models.ChargeLine
P = models.PackageOpened
S = ChargeState
NOT_ACCEPTED = (S.HELD.value, S.VOIDED.value)  # lines of these are not on a charge that goes to billing
DRUG_KINDS = ("administered", "discarded")
MODIFIERS_340B = ("JG", "TB")
ZERO = Decimal(0)


def _check(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ServiceError(f"The end date {date_to.isoformat()} is before the start date {date_from.isoformat()}.")


def _dollars(limits: Mapping[dt.date, Mapping[str, Decimal]], day: dt.date, hcpcs: str, units: int) -> Decimal | None:
    return allowance(limits.get(day, {}).get(hcpcs), units)


def waste(store: Store, date_from: dt.date, date_to: dt.date) -> WasteReport:
    """Discarded mg and units by drug and month (voided records left out); JW units of accepted charges and
    their dollars; JW lines missed, in units and dollars."""
    _check(date_from, date_to)
    in_period = (V.date_of_service >= date_from, V.date_of_service <= date_to, A.state != S.VOIDED.value)
    jw_units = (select(func.coalesce(func.sum(CL.units), 0))
                .where(CL.administration_id == A.id, CL.kind == "discarded").scalar_subquery().label("jw_units"))
    query = (select(A.id, A.hcpcs, V.date_of_service, A.state, A.administered_mg, A.discarded_mg, A.free_drug,
                    jw_units).join(V, V.id == A.visit_id).where(*in_period))
    with store.session_scope(write=False) as session:
        records = session.execute(query).all()
        packages: dict[int, list[tuple[Decimal, int, DoseType]]] = defaultdict(list)
        ids = [r.id for r in records]
        for start in range(0, len(ids), 5000):  # bounded IN lists
            for adm_id, label, vials, dose_type in session.execute(
                    select(P.administration_id, P.label_mg, P.count, P.dose_type)
                    .where(P.administration_id.in_(ids[start:start + 5000]))):
                packages[adm_id].append((label, vials, DoseType(dose_type)))
        days = {r.date_of_service for r in records}
        limits = limits_on_days(session, days)
        source = prices_source(session, days)
        catalog = newest_catalog(session, store.rules.catalog)
    mg: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    count: dict[tuple[str, str], int] = defaultdict(int)
    billed: dict[tuple[str, str], int] = defaultdict(int)
    missed: dict[tuple[str, str], int] = defaultdict(int)
    billed_dollars: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    missed_dollars: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    unpriced: set[str] = set()
    for r in records:
        key = (r.hcpcs, f"{r.date_of_service:%Y-%m}")
        mg[key] += r.discarded_mg
        count[key] += 1
        accepted_jw = 0 if r.state in NOT_ACCEPTED else int(r.jw_units)
        billed[key] += accepted_jw
        drug = catalog.drug(r.hcpcs)
        due = waste_units_due(packages.get(r.id, []), r.administered_mg, r.discarded_mg, drug.mg_per_unit,
                              r.free_drug) if drug else 0
        lost = max(due - accepted_jw, 0)
        missed[key] += lost
        for units, total in ((accepted_jw, billed_dollars), (lost, missed_dollars)):
            value = _dollars(limits, r.date_of_service, r.hcpcs, units)
            if value is None:
                if units:
                    unpriced.add(r.hcpcs)
            else:
                total[key] += value
    rows = []
    for hcpcs, month in sorted(count):
        key = (hcpcs, month)
        drug = catalog.drug(hcpcs) or store.rules.catalog.drug(hcpcs)
        per_unit = drug.mg_per_unit if drug else None
        wasted = (mg[key] / per_unit).quantize(Decimal("0.01")) if per_unit else ZERO
        rows.append(WasteRow(hcpcs, drug.generic if drug else hcpcs, month, count[key], mg[key], wasted, billed[key],
                             billed_dollars[key], missed[key], missed_dollars[key]))
    return WasteReport(date_from, date_to, tuple(rows), source, tuple(sorted(unpriced)))


def units_340b(store: Store, date_from: dt.date, date_to: dt.date) -> Report340b:
    """Drug-line units of accepted charges by payer class and 340B modifier (JG, TB or none), with their dollars
    at the payment limit of each date of service."""
    _check(date_from, date_to)
    acquired = exists().where(P.administration_id == A.id, P.acquired_340b.is_(True))
    query = (select(V.payer_class, CL.modifiers, CL.kind, CL.units, acquired, V.date_of_service, CL.hcpcs)
             .select_from(A).join(V, V.id == A.visit_id).join(CL, CL.administration_id == A.id)
             .where(V.date_of_service >= date_from, V.date_of_service <= date_to, A.state.not_in(NOT_ACCEPTED),
                    CL.kind.in_(DRUG_KINDS)))
    totals: dict[tuple[str, str, bool], list[int]] = defaultdict(lambda: [0, 0, 0])
    dollars: dict[tuple[str, str, bool], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    unpriced: set[str] = set()
    with store.session_scope(write=False) as session:
        lines = session.execute(query).all()
        days = {line.date_of_service for line in lines}
        limits = limits_on_days(session, days)
        source = prices_source(session, days)
    for payer_class, modifiers, kind, units, was_340b, day, hcpcs in lines:
        codes = [m for m in modifiers.split(",") if m]
        modifier = next((m for m in codes if m in MODIFIERS_340B), "none")
        key = (payer_class, modifier, bool(was_340b))
        bucket = totals[key]
        bucket[0] += 1
        bucket[1] += units
        bucket[2] += units if kind == "discarded" else 0
        value = _dollars(limits, day, hcpcs, units)
        if value is None:
            unpriced.add(hcpcs)
            continue
        dollars[key][0] += value
        dollars[key][1] += value if kind == "discarded" else ZERO
    rows = tuple(Units340bRow(p, m, a, *_three(totals[(p, m, a)]), *_two(dollars[(p, m, a)]))
                 for p, m, a in sorted(totals))
    return Report340b(date_from, date_to, rows, source, tuple(sorted(unpriced)))


def _three(counts: list[int]) -> tuple[int, int, int]:
    """Lines, units and JW units of one row (kept as a list while counting)."""
    return counts[0], counts[1], counts[2]


def _two(amounts: list[Decimal]) -> tuple[Decimal, Decimal]:
    """Dollars and JW dollars of one row."""
    return amounts[0], amounts[1]
