"""Reports for charge-entry staff: a period's reconciliation, waste by drug and month, 340B units."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import func, select

from db import models
from desktop.records.charge_states import state_name
from desktop.records.requests import ChargeState
from desktop.report_pdfs import ReportDocument, render_report
from desktop.services.charge_reports.report_documents import (
    reconciliation_document,
    units_340b_document,
    waste_document,
)
from desktop.services.charge_reports.report_rows import (
    HoldGroup,
    ReconciliationReport,
    ReconItem,
    Report340b,
    WasteReport,
)
from desktop.services.charge_reports.waste_340b import units_340b, waste
from desktop.services.errors import ServiceError
from desktop.services.people.roles import Permission, check_permission
from desktop.services.storage.store import Store

A = models.Administration
V = models.Visit
CL = models.ChargeLine
S = ChargeState
UNPOSTED = (S.RECORDED.value, S.VERIFIED.value, S.TICKET_PRINTED.value)
DRUG_KINDS = ("administered", "discarded")
REPORT_KINDS = ("reconciliation", "waste", "340b")


def _check(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ServiceError(f"The end date {date_to.isoformat()} is before the start date {date_from.isoformat()}.")


__all__ = ["REPORTS", "REPORT_KINDS", "reconciliation", "report", "report_document", "report_pdf", "units_340b",
           "waste"]


def _state_words(state: str) -> str:
    return state_name(ChargeState(state))


def _item(row: tuple[Any, ...], why: str) -> ReconItem:
    return ReconItem(row[0], row[1], row[2], row[3], row[4], _state_words(row[5]), why)


def reconciliation(store: Store, date_from: dt.date, date_to: dt.date | None = None) -> ReconciliationReport:
    """What is still open for the dates of service: no accepted charge, not posted, no ticket, held, voided."""
    date_to = date_to or date_from
    _check(date_from, date_to)
    drug_units = (select(func.coalesce(func.sum(CL.units), 0))
                  .where(CL.administration_id == A.id, CL.kind.in_(DRUG_KINDS)).scalar_subquery())
    query = (
        select(A.id, V.date_of_service, models.Patient.name, models.Patient.mrn, A.hcpcs, A.state, A.hold_reason,
               A.void_reason, A.ticket_pdf_sha256, drug_units, A.free_drug, A.administered_mg)
        .join(V, V.id == A.visit_id).join(models.Patient, models.Patient.id == V.patient_id)
        .where(V.date_of_service >= date_from, V.date_of_service <= date_to).order_by(V.date_of_service, A.id)
    )
    no_charge, not_posted, no_ticket, voids = [], [], [], []
    holds: dict[str, list[int]] = defaultdict(list)
    total = posted = 0
    with store.session_scope(write=False) as session:
        rows = session.execute(query).all()
        replacements = dict(session.execute(
            select(A.replaces_id, A.id).where(A.replaces_id.in_([r[0] for r in rows if r[5] == S.VOIDED.value]))
        ).all()) if any(r[5] == S.VOIDED.value for r in rows) else {}
    for row in rows:
        adm_id, _day, _name, _mrn, _hcpcs, state, hold, void, sha, units, free, given = row
        total += 1
        item = partial(_item, tuple(row))
        if state == S.VOIDED.value:
            by = replacements.get(adm_id)
            voids.append(item((void or "no reason kept") + (f"; replaced by #{by}" if by else "; not replaced")))
            continue
        if state == S.POSTED.value:
            posted += 1
        if state == S.HELD.value:
            holds[hold or "(no reason given)"].append(adm_id)
            no_charge.append(item(f"held: {hold or 'no reason given'}"))
        elif int(units) == 0:
            why = "free drug (no billable drug line)" if free else (
                "nothing given" if Decimal(given) == 0 else "no billable drug line")
            no_charge.append(item(why))
        if state in UNPOSTED:
            not_posted.append(item(f"{_state_words(state)}, not posted"))
        if sha is None and state in (S.RECORDED.value, S.VERIFIED.value):
            no_ticket.append(item("no ticket printed yet"))
    held = tuple(HoldGroup(reason, len(ids), tuple(ids))
                 for reason, ids in sorted(holds.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    return ReconciliationReport(date_from, date_to, total, posted, tuple(no_charge), tuple(not_posted),
                                tuple(no_ticket), held, tuple(voids))


AnyReport = ReconciliationReport | WasteReport | Report340b
REPORTS: dict[str, Callable[[Store, dt.date, dt.date], AnyReport]] = {
    "reconciliation": reconciliation, "waste": waste, "340b": units_340b}


def report(
    store: Store, kind: str, date_from: dt.date, date_to: dt.date, *, user: str
) -> ReconciliationReport | WasteReport | Report340b:
    """The report `kind` (reconciliation | waste | 340b); charge entry and administrators only."""
    build = REPORTS.get(kind)
    if build is None:
        raise ServiceError(f"There is no report called {kind!r}; choose reconciliation, waste or 340b.")
    check_permission(store, user, Permission.REPORTS)
    return build(store, date_from, date_to)


def report_document(store: Store, kind: str, date_from: dt.date, date_to: dt.date, *, user: str) -> ReportDocument:
    """The report as a document for the screen or a PDF."""
    found = report(store, kind, date_from, date_to, user=user)
    if isinstance(found, ReconciliationReport):
        return reconciliation_document(found)
    if isinstance(found, WasteReport):
        return waste_document(found)
    return units_340b_document(found)


def report_pdf(document: ReportDocument) -> bytes:
    return render_report(document)
