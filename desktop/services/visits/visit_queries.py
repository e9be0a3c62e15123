"""Reading stored visits and administrations: a day's list, one drug in full, one visit in full."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from db import models
from desktop.billing.model import FacilityType, LineKind, PayerClass, PlaceOfService
from desktop.records.requests import (
    AcknowledgementView,
    AdministrationDetail,
    AdministrationSummary,
    ChargeState,
    CodeSetView,
    VisitDetail,
    visit_state,
)
from desktop.services.errors import NotFoundError
from desktop.services.storage.store import Store
from desktop.services.visits.row_values import (
    administration_value,
    code_line,
    drug_facts,
    drug_lines,
    finding_value,
    patient_view,
    state_change_view,
    visit_facts,
)

A = models.Administration
V = models.Visit
DRUG_KINDS = (LineKind.ADMINISTERED.value, LineKind.DISCARDED.value)
# Load with these options before calling detail_in_session, so a list of rows costs a few queries, not N.
DETAIL_LOADS = (selectinload(A.packages), selectinload(A.lines), selectinload(A.findings), selectinload(A.history))
VISIT_LOADS = (
    selectinload(V.administrations).selectinload(A.packages), selectinload(V.administrations).selectinload(A.lines),
    selectinload(V.administrations).selectinload(A.findings), selectinload(V.administrations).selectinload(A.history),
    selectinload(V.code_sets).selectinload(models.VisitCodeSet.lines),
)


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
        select(A.id, A.version, A.state, V.date_of_service, models.Patient.mrn, models.Patient.name, A.hcpcs,
               A.administered_mg, units, A.recorded_by, A.recorded_at, A.hold_reason, A.replaces_id, A.visit_id)
        .join(V, V.id == A.visit_id)
        .join(models.Patient, models.Patient.id == V.patient_id)
        .order_by(V.date_of_service.desc(), A.id.desc())
    )
    if date_of_service is not None:
        query = query.where(V.date_of_service == date_of_service)
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
                visit_id=r[13],
            )
            for r in session.execute(query)
        ]


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """One visit of a day's work list, with its drugs (voided ones too, in entry order)."""

    id: int
    version: int
    date_of_service: dt.date
    patient_mrn: str
    patient_name: str
    nurse: str | None
    chair: str | None
    recorded_at: dt.datetime
    drugs: tuple[AdministrationSummary, ...]

    @property
    def state(self) -> ChargeState | None:
        """The state of every drug still billed; VOIDED when all are voided; None when they differ."""
        return visit_state(d.state for d in self.drugs)

    @property
    def active(self) -> tuple[AdministrationSummary, ...]:
        return tuple(d for d in self.drugs if d.state is not ChargeState.VOIDED)

    @property
    def units(self) -> int:
        """Drug units of the drugs still billed (of every drug when the whole visit was voided)."""
        return sum(d.units for d in (self.active or self.drugs))


def _day_queries() -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    units = (
        select(func.coalesce(func.sum(models.ChargeLine.units), 0))
        .where(models.ChargeLine.administration_id == A.id, models.ChargeLine.kind.in_(DRUG_KINDS))
        .scalar_subquery()
    )
    visits = (
        select(V.id, V.version, V.date_of_service, models.Patient.mrn, models.Patient.name, V.nurse, V.chair,
               V.recorded_at)
        .join(models.Patient, models.Patient.id == V.patient_id)
        .where(V.date_of_service == bindparam("day")).order_by(V.recorded_at.desc(), V.id.desc())
    )
    drugs = (
        select(A.id, A.version, A.state, A.hcpcs, A.administered_mg, units, A.recorded_by, A.recorded_at,
               A.hold_reason, A.replaces_id, A.visit_id)
        .where(A.visit_id.in_(bindparam("visit_ids", expanding=True))).order_by(A.visit_id, A.position, A.id)
    )
    return visits, drugs


DAY_VISITS, DAY_DRUGS = _day_queries()  # built once: a day's list is read after every save


def list_visits(store: Store, date_of_service: dt.date) -> list[VisitSummary]:
    """The visits of one date of service, newest first, each with its drugs (voided ones too, in entry order)."""
    with store.session_scope(write=False) as session:
        visits = session.execute(DAY_VISITS, {"day": date_of_service}).all()
        drugs: dict[int, list[AdministrationSummary]] = {v[0]: [] for v in visits}
        if visits:
            patient = {v[0]: (v[3], v[4]) for v in visits}
            for r in session.execute(DAY_DRUGS, {"visit_ids": list(drugs)}):
                mrn, name = patient[r[10]]
                drugs[r[10]].append(AdministrationSummary(
                    id=r[0], version=r[1], state=ChargeState(r[2]), date_of_service=date_of_service,
                    patient_mrn=mrn, patient_name=name, hcpcs=r[3], administered_mg=r[4], units=int(r[5]),
                    recorded_by=r[6], recorded_at=r[7], hold_reason=r[8], replaces_id=r[9], visit_id=r[10]))
    return [
        VisitSummary(id=v[0], version=v[1], date_of_service=v[2], patient_mrn=v[3], patient_name=v[4], nurse=v[5],
                     chair=v[6], recorded_at=v[7], drugs=tuple(drugs[v[0]]))
        for v in visits
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
    visit = row.visit
    return AdministrationDetail(
        id=row.id, version=row.version, state=ChargeState(row.state), patient=patient_view(visit.patient),
        administration=administration_value(row), facts=drug_facts(row), visit_id=visit.id,
        visit=visit_facts(visit), place_of_service=_place(visit), recorded_by=row.recorded_by,
        recorded_at=row.recorded_at, hold_reason=row.hold_reason, void_reason=row.void_reason,
        replaces_id=row.replaces_id, replaced_by_id=replaced_by, ticket_pdf_sha256=row.ticket_pdf_sha256,
        lines=drug_lines(row), findings=tuple(finding_value(f) for f in row.findings),
        explanations=tuple(json.loads(row.explanations)), rule_versions=json.loads(row.rule_versions),
        acknowledgements=acks, history=tuple(state_change_view(h) for h in row.history),
    )


def _place(visit: models.Visit) -> PlaceOfService | None:
    return PlaceOfService(visit.place_of_service) if visit.place_of_service else None


def get_visit(store: Store, visit_id: int) -> VisitDetail:
    """One visit with every drug recorded in it (voided ones too) and its administration codes."""
    if isinstance(visit_id, bool) or not isinstance(visit_id, int):
        raise NotFoundError(f"{visit_id!r} is not a visit number")
    with store.session_scope(write=False) as session:
        row = session.execute(select(V).where(V.id == visit_id).options(*VISIT_LOADS)).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"There is no visit {visit_id}.")
        return visit_in_session(session, row)


def visit_in_session(session: Session, row: models.Visit) -> VisitDetail:
    """The frozen detail of a visit loaded in `session` (with VISIT_LOADS for a list of them)."""
    index_of = {a.id: i for i, a in enumerate(row.administrations)}
    return VisitDetail(
        id=row.id, version=row.version, patient=patient_view(row.patient), date_of_service=row.date_of_service,
        payer_class=PayerClass(row.payer_class), facility_type=FacilityType(row.facility_type),
        place_of_service=_place(row), facts=visit_facts(row),
        administrations=tuple(detail_in_session(session, a) for a in row.administrations),
        code_sets=tuple(
            CodeSetView(revision=c.revision, reason=c.reason, created_by=c.created_by, created_at=c.created_at,
                        lines=tuple(code_line(x, index_of) for x in c.lines))
            for c in row.code_sets
        ),
        recorded_by=row.recorded_by, recorded_at=row.recorded_at,
    )


def open_visit_for(store: Store, mrn: str, date_of_service: dt.date) -> VisitDetail | None:
    """The patient's visit of that date still billing a drug (the chair continues it), or None."""
    with store.session_scope(write=False) as session:
        rows = session.execute(
            select(V).join(models.Patient, models.Patient.id == V.patient_id)
            .where(models.Patient.mrn == mrn.strip(), V.date_of_service == date_of_service)
            .order_by(V.id.desc()).options(*VISIT_LOADS)
        ).scalars().all()
        for row in rows:
            if any(a.state != ChargeState.VOIDED.value for a in row.administrations):
                return visit_in_session(session, row)
    return None
