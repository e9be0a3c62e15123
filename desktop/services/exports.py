"""Exports to billing systems: load the charges of a date range and hand them to the CSV, HL7 or FHIR writer."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from db import models
from desktop.interop.csv_export import to_csv
from desktop.interop.export_model import ExportLine, ExportRecord
from desktop.interop.fhir_export import to_fhir_json
from desktop.interop.hl7_export import to_hl7
from desktop.services.errors import ServiceError
from desktop.services.roles import Permission, check_permission
from desktop.services.store import Store
from desktop.services.views import ChargeState

A = models.Administration
V = models.Visit
SC = models.StateChange
CL = models.ChargeLine
VCS = models.VisitCodeSet
VCL = models.VisitCodeLine


class ExportFormat(StrEnum):
    CSV = "csv"
    HL7 = "hl7"
    FHIR = "fhir"


class ExportScope(StrEnum):
    POSTED = "posted"  # posted charges, and reversals of posted charges that were voided since
    ALL = "all"  # every administration of the dates; voided ones as reversals


def load_export_records(
    store: Store, date_from: dt.date, date_to: dt.date, scope: ExportScope = ExportScope.POSTED,
    administration_ids: Iterable[int] | None = None,
) -> list[ExportRecord]:
    """The administrations with a date of service in [date_from, date_to], oldest first, as export records.

    A voided administration is always a reversal (never left out): with scope
    "posted" only those that had been posted, since only they reached billing.
    Three column queries (records, lines, posting/void times) rather than ORM
    objects: a month of a large center is tens of thousands of rows.
    """
    if date_to < date_from:
        raise ServiceError(f"The end date {date_to.isoformat()} is before the start date {date_from.isoformat()}.")
    where = [V.date_of_service >= date_from, V.date_of_service <= date_to]
    if ExportScope(scope) is ExportScope.POSTED:
        step = aliased(SC)  # its own alias: the times query below also reads state_change
        was_posted = (exists().where(step.administration_id == A.id, step.to_state == ChargeState.POSTED.value)
                      .correlate(A))
        where.append(or_(A.state == ChargeState.POSTED.value, and_(A.state == ChargeState.VOIDED.value, was_posted)))
    if administration_ids is not None:
        where.append(A.id.in_(list(administration_ids)))
    records = (
        select(A.id, A.state, V.date_of_service, models.Patient.mrn, models.Patient.name,
               models.Patient.date_of_birth, V.payer, V.payer_class, V.facility_type, V.diagnosis_codes, V.nurse,
               V.prior_authorization, A.recorded_at, A.void_reason, A.replaces_id)
        .join(V, V.id == A.visit_id).join(models.Patient, models.Patient.id == V.patient_id).where(*where)
        .order_by(V.date_of_service, A.id)
    )
    lines = (
        select(CL.administration_id, CL.hcpcs, CL.kind, CL.units, CL.modifiers, CL.ndc_qualifier, CL.ndc11,
               CL.ndc_unit, CL.ndc_quantity)
        .join(A, A.id == CL.administration_id).join(V, V.id == A.visit_id)
        .where(*where, CL.kind != "administration").order_by(CL.administration_id, CL.position)
    )
    # Each drug's administration codes: for a drug still billed, those of the visit's newest revision that bill
    # it; for a voided drug, those of the newest revision that billed it (what its reversal takes back).
    codes = (
        select(VCL.administration_id, VCS.revision, VCL.hcpcs, VCL.units, VCL.modifiers)
        .join(VCS, VCS.id == VCL.code_set_id).join(A, A.id == VCL.administration_id).join(V, V.id == A.visit_id)
        .where(*where).order_by(VCS.visit_id, VCS.revision, VCL.position)
    )
    times = (
        select(SC.administration_id, SC.to_state, SC.changed_at).join(A, A.id == SC.administration_id)
        .join(V, V.id == A.visit_id)
        .where(*where, SC.to_state.in_((ChargeState.POSTED.value, ChargeState.VOIDED.value))).order_by(SC.id)
    )
    by_id: dict[int, list[ExportLine]] = defaultdict(list)
    moments: dict[tuple[int, str], dt.datetime] = {}
    with store.session_scope(write=False) as session:
        rows = session.execute(records).all()
        for adm_id, hcpcs, kind, units, modifiers, qualifier, ndc11, unit, quantity in session.execute(lines):
            found = by_id[adm_id]
            found.append(ExportLine(number=len(found) + 1, hcpcs=hcpcs, kind=kind, units=units,
                                    modifiers=tuple(m for m in modifiers.split(",") if m), ndc_qualifier=qualifier,
                                    ndc11=ndc11, ndc_unit=unit, ndc_quantity=quantity))
        newest: dict[int, tuple[int, list[tuple[str, int, str]]]] = {}
        for adm_id, revision, hcpcs, units, modifiers in session.execute(codes):
            kept = newest.get(adm_id)
            if kept is None or kept[0] < revision:
                kept = newest[adm_id] = (revision, [])
            kept[1].append((hcpcs, units, modifiers))
        current = dict(session.execute(select(A.id, V.code_revision).join(V, V.id == A.visit_id).where(*where)).all())
        for adm_id, (revision, billed) in newest.items():
            still_billed = revision == current.get(adm_id)
            if not still_billed and adm_id not in voided_ids(rows):
                continue  # a drug still billed that the newest codes no longer name: nothing to send
            found = by_id[adm_id]
            for hcpcs, units, modifiers in billed:
                found.append(ExportLine(number=len(found) + 1, hcpcs=hcpcs, kind="administration", units=units,
                                        modifiers=tuple(m for m in modifiers.split(",") if m), ndc_qualifier=None,
                                        ndc11=None, ndc_unit=None, ndc_quantity=None))
        for adm_id, state, when in session.execute(times):
            moments[(adm_id, state)] = when  # ordered by id: the latest wins
    return [_record(row, tuple(by_id.get(row[0], ())), moments) for row in rows]


def voided_ids(rows: Any) -> set[int]:
    return {row[0] for row in rows if row[1] == ChargeState.VOIDED.value}


def _record(row: Any, lines: tuple[ExportLine, ...], moments: dict[tuple[int, str], dt.datetime]) -> ExportRecord:
    (adm_id, state, day, mrn, name, birth, payer, payer_class, facility, diagnoses, nurse, prior_auth, recorded_at,
     void_reason, replaces_id) = row
    return ExportRecord(
        administration_id=adm_id, state=state, reversal=state == ChargeState.VOIDED.value, date_of_service=day,
        patient_mrn=mrn, patient_name=name, patient_birth_date=birth, payer=payer, payer_class=payer_class,
        facility_type=facility, diagnosis_codes=tuple(json.loads(diagnoses)), nurse=nurse,
        prior_authorization=prior_auth, recorded_at=recorded_at,
        posted_at=moments.get((adm_id, ChargeState.POSTED.value)),
        voided_at=moments.get((adm_id, ChargeState.VOIDED.value)), void_reason=void_reason,
        replaces_id=replaces_id, lines=lines,
    )


def render_export(records: list[ExportRecord], export_format: ExportFormat, now: dt.datetime | None = None) -> str:
    """The export file's text in the chosen format."""
    moment = now or dt.datetime.now(dt.UTC)
    fmt = ExportFormat(export_format)
    if fmt is ExportFormat.CSV:
        return to_csv(records)
    if fmt is ExportFormat.HL7:
        return to_hl7(records, moment)
    return to_fhir_json(records, moment)


def export_charges(
    store: Store, export_format: ExportFormat, date_from: dt.date, date_to: dt.date,
    scope: ExportScope = ExportScope.POSTED, now: dt.datetime | None = None, *, user: str,
) -> tuple[str, int]:
    """(file text, number of administrations) for the dates and scope; charge entry and administrators only."""
    check_permission(store, user, Permission.EXPORT)
    records = load_export_records(store, date_from, date_to, scope)
    return render_export(records, export_format, now), len(records)
