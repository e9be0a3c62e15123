"""Reading stored administrations: a day's list and one record in full."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db import models
from desktop.billing.model import LineKind
from desktop.services.errors import NotFoundError
from desktop.services.mapping import (
    administration_value,
    claim_line,
    finding_value,
    patient_view,
    state_change_view,
)
from desktop.services.store import Store
from desktop.services.views import (
    AcknowledgementView,
    AdministrationDetail,
    AdministrationSummary,
    ChargeState,
)

A = models.Administration
DRUG_KINDS = (LineKind.ADMINISTERED.value, LineKind.DISCARDED.value)
# Load with these options before calling detail_in_session, so a list of rows costs a few queries, not N.
DETAIL_LOADS = (selectinload(A.packages), selectinload(A.lines), selectinload(A.findings), selectinload(A.history))


def list_administrations(
    store: Store,
    date_of_service: dt.date | None = None,
    state: ChargeState | None = None,
    limit: int | None = None,
) -> list[AdministrationSummary]:
    """Administrations, newest first, optionally for one date of service and/or one state."""
    units = (
        select(func.coalesce(func.sum(models.ChargeLine.units), 0))
        .where(models.ChargeLine.administration_id == A.id, models.ChargeLine.kind.in_(DRUG_KINDS))
        .scalar_subquery()
    )
    query = (
        select(A.id, A.version, A.state, A.date_of_service, models.Patient.mrn, models.Patient.name, A.hcpcs,
               A.administered_mg, units, A.recorded_by, A.recorded_at, A.hold_reason, A.replaces_id)
        .join(models.Patient, models.Patient.id == A.patient_id)
        .order_by(A.date_of_service.desc(), A.id.desc())
    )
    if date_of_service is not None:
        query = query.where(A.date_of_service == date_of_service)
    if state is not None:
        query = query.where(A.state == ChargeState(state).value)
    if limit is not None:
        query = query.limit(limit)
    with store.session_scope(write=False) as session:
        return [
            AdministrationSummary(
                id=r[0], version=r[1], state=ChargeState(r[2]), date_of_service=r[3], patient_mrn=r[4],
                patient_name=r[5], hcpcs=r[6], administered_mg=r[7],
                units=int(r[8]), recorded_by=r[9], recorded_at=r[10], hold_reason=r[11], replaces_id=r[12],
            )
            for r in session.execute(query)
        ]


def get_administration(store: Store, administration_id: int) -> AdministrationDetail:
    """One administration with packages, frozen lines, findings, acknowledgements and history."""
    with store.session_scope(write=False) as session:
        row = session.execute(
            select(A).where(A.id == administration_id).options(*DETAIL_LOADS)
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"There is no administration {administration_id}.")
        return detail_in_session(session, row)


def detail_in_session(session: Session, row: models.Administration) -> AdministrationDetail:
    """The frozen detail of a row loaded in `session` (shared by one-record and batch readers)."""
    replaced_by = session.execute(select(A.id).where(A.replaces_id == row.id)).scalar_one_or_none()
    acks = tuple(
        AcknowledgementView(code=f.code, message=f.message, acknowledged_by=f.acknowledgement.acknowledged_by,
                            acknowledged_at=f.acknowledgement.acknowledged_at)
        for f in row.findings if f.acknowledgement is not None
    )
    return AdministrationDetail(
        id=row.id, version=row.version, state=ChargeState(row.state), patient=patient_view(row.patient),
        administration=administration_value(row), diagnosis_codes=tuple(json.loads(row.diagnosis_codes)),
        payer=row.payer, prior_authorization=row.prior_authorization, ordered_dose_mg=row.ordered_dose_mg,
        infusion_start=row.infusion_start, infusion_stop=row.infusion_stop, nurse=row.nurse,
        waste_witness=row.waste_witness, discarded_by=row.discarded_by, chair=row.chair,
        consent_recorded=row.consent_recorded, notes=row.notes, recorded_by=row.recorded_by,
        recorded_at=row.recorded_at, hold_reason=row.hold_reason, void_reason=row.void_reason,
        replaces_id=row.replaces_id, replaced_by_id=replaced_by, ticket_pdf_sha256=row.ticket_pdf_sha256,
        lines=tuple(claim_line(x) for x in row.lines), findings=tuple(finding_value(f) for f in row.findings),
        explanations=tuple(json.loads(row.explanations)), rule_versions=json.loads(row.rule_versions),
        acknowledgements=acks, history=tuple(state_change_view(h) for h in row.history),
    )
