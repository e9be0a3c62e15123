"""Exports to billing systems: load the charges of a date range and hand them to the CSV, HL7 or FHIR writer."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from db import models
from desktop.interop.csv_export import to_csv
from desktop.interop.export_model import ExportLine, ExportRecord
from desktop.interop.fhir_export import to_fhir_json
from desktop.interop.hl7_export import to_hl7
from desktop.services.errors import ServiceError
from desktop.services.store import Store
from desktop.services.views import ChargeState

A = models.Administration
SC = models.StateChange
BATCH = 2000  # ids per IN (...) when loading state history


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
    """
    if date_to < date_from:
        raise ServiceError(f"The end date {date_to.isoformat()} is before the start date {date_from.isoformat()}.")
    query = (
        select(A).where(A.date_of_service >= date_from, A.date_of_service <= date_to)
        .options(selectinload(A.lines)).order_by(A.date_of_service, A.id)
    )
    if ExportScope(scope) is ExportScope.POSTED:
        was_posted = exists().where(SC.administration_id == A.id, SC.to_state == ChargeState.POSTED.value)
        query = query.where(or_(A.state == ChargeState.POSTED.value,
                                and_(A.state == ChargeState.VOIDED.value, was_posted)))
    if administration_ids is not None:
        query = query.where(A.id.in_(list(administration_ids)))
    with store.session_scope(write=False) as session:
        rows = list(session.execute(query).scalars())
        times = _state_times(session, [r.id for r in rows])
        return [_record(row, times) for row in rows]


def _state_times(session: Session, ids: list[int]) -> dict[tuple[int, str], dt.datetime]:
    """Latest time each administration became posted / voided."""
    found: dict[tuple[int, str], dt.datetime] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        query = select(SC.administration_id, SC.to_state, SC.changed_at).where(
            SC.administration_id.in_(chunk), SC.to_state.in_((ChargeState.POSTED.value, ChargeState.VOIDED.value))
        ).order_by(SC.id)
        for administration_id, state, when in session.execute(query):
            found[(administration_id, state)] = when
    return found


def _record(row: models.Administration, times: dict[tuple[int, str], dt.datetime]) -> ExportRecord:
    lines = tuple(
        ExportLine(number=i, hcpcs=x.hcpcs, kind=x.kind, units=x.units,
                   modifiers=tuple(m for m in x.modifiers.split(",") if m), ndc_qualifier=x.ndc_qualifier,
                   ndc11=x.ndc11, ndc_unit=x.ndc_unit, ndc_quantity=x.ndc_quantity)
        for i, x in enumerate(row.lines, start=1)
    )
    return ExportRecord(
        administration_id=row.id, state=row.state, reversal=row.state == ChargeState.VOIDED.value,
        date_of_service=row.date_of_service, patient_mrn=row.patient.mrn, patient_name=row.patient.name,
        patient_birth_date=row.patient.date_of_birth, payer=row.payer, payer_class=row.payer_class,
        facility_type=row.facility_type, diagnosis_codes=tuple(json.loads(row.diagnosis_codes)), nurse=row.nurse,
        prior_authorization=row.prior_authorization, recorded_at=row.recorded_at,
        posted_at=times.get((row.id, ChargeState.POSTED.value)),
        voided_at=times.get((row.id, ChargeState.VOIDED.value)), void_reason=row.void_reason,
        replaces_id=row.replaces_id, lines=lines,
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
    scope: ExportScope = ExportScope.POSTED, now: dt.datetime | None = None,
) -> tuple[str, int]:
    """(file text, number of administrations) for the dates and scope."""
    records = load_export_records(store, date_from, date_to, scope)
    return render_export(records, export_format, now), len(records)
