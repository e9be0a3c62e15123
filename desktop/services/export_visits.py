"""The visits an export reads: each visit's drugs, claim lines, lots and current codes, in six column queries.

Column queries rather than ORM objects: a month of a large center is tens of thousands of visits. The
selection (`where`) is applied through a join to the visit, so a date range reads with the date index and a
list of visits in chunks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from db import models
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.services.views import ChargeState

A, V, P = models.Administration, models.Visit, models.Patient
SC, CL, PO = models.StateChange, models.ChargeLine, models.PackageOpened
VCS, VCL = models.VisitCodeSet, models.VisitCodeLine
CHUNK = 500  # ids per IN (...) list: far below every driver's parameter limit
DRUG, CODE = "drug", "code"
LineKey = tuple[str, int]  # (drug, charge_line.id) or (code, visit_code_line.id)


@dataclass(slots=True)
class DrugRow:
    """One administration (drug) of the visit and the moments billing cares about."""

    id: int
    position: int
    state: str
    hcpcs: str
    infusion_start: dt.datetime | None
    infusion_stop: dt.datetime | None
    void_reason: str | None
    recorded_at: dt.datetime
    recorded_by: str
    posted: tuple[dt.datetime, str] | None = None  # when and by whom
    voided: tuple[dt.datetime, str] | None = None

    @property
    def is_posted(self) -> bool:
        return self.state == ChargeState.POSTED.value

    @property
    def is_voided(self) -> bool:
        return self.state == ChargeState.VOIDED.value


@dataclass(slots=True)
class LineRow:
    """A claim line as stored: a frozen drug line, or an administration-code line of one code revision."""

    key: LineKey
    administration_id: int | None
    position: int
    hcpcs: str
    kind: str
    units: int
    modifiers: tuple[str, ...]
    ndc11: str | None = None
    ndc_qualifier: str | None = None
    ndc_unit: str | None = None
    ndc_quantity: Decimal | None = None


@dataclass(slots=True)
class CodeRevision:
    created_at: dt.datetime
    created_by: str
    reason: str


@dataclass(slots=True)
class Package:
    ndc: str | None
    lot: str | None
    expiry: dt.date | None


@dataclass(slots=True)
class VisitRows:
    """Everything an export needs of one visit, as read."""

    id: int
    date_of_service: dt.date
    place_of_service: str
    payer: str | None
    payer_class: str
    diagnosis_codes: tuple[str, ...]
    prior_authorization: str | None
    ordering_provider: str | None
    ordering_provider_npi: str | None
    nurse: str | None
    chair: str | None
    patient: tuple[str, str, dt.date, str | None]  # mrn, name, birth date, sex
    drugs: dict[int, DrugRow] = field(default_factory=dict)
    drug_lines: list[LineRow] = field(default_factory=list)
    code_lines: list[LineRow] = field(default_factory=list)  # of the billed (newest) revision
    revision: CodeRevision | None = None
    packages: dict[int, list[Package]] = field(default_factory=dict)

    def claim(self) -> list[LineRow]:
        """The visit's claim as it stands: drug lines of the drugs not voided (entry order), then the codes."""
        active = [line for line in self.drug_lines if not self.drugs[line.administration_id or 0].is_voided]
        return active + self.code_lines

    def billable(self) -> list[LineRow]:
        """The lines that are billing transactions now: those of posted drugs, and codes billing posted drugs
        (a code billing no one drug only once every drug of the visit still billed is posted)."""
        active = [d for d in self.drugs.values() if not d.is_voided]
        all_posted = bool(active) and all(d.is_posted for d in active)
        return [line for line in self.claim()
                if (line.administration_id is None and all_posted)
                or (line.administration_id is not None and self.drugs[line.administration_id].is_posted)]


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def load_visits(session: Session, where: Sequence[ColumnElement[bool]]) -> dict[int, VisitRows]:
    """The selected visits (by date of service, then id) with their drugs, lines, lots and current codes."""
    visits: dict[int, VisitRows] = {}
    for row in session.execute(
        select(V.id, V.date_of_service, V.place_of_service, V.payer, V.payer_class, V.diagnosis_codes,
               V.prior_authorization, V.ordering_provider, V.ordering_provider_npi, V.nurse, V.chair,
               P.mrn, P.name, P.date_of_birth, P.sex)
        .join(P, P.id == V.patient_id).where(*where).order_by(V.date_of_service, V.id)
    ):
        visits[row[0]] = VisitRows(
            id=row[0], date_of_service=row[1], place_of_service=row[2] or "hospital_outpatient", payer=row[3],
            payer_class=row[4], diagnosis_codes=tuple(json.loads(row[5])), prior_authorization=row[6],
            ordering_provider=row[7], ordering_provider_npi=row[8], nurse=row[9], chair=row[10],
            patient=(row[11], row[12], row[13], row[14]),
        )
    if not visits:
        return visits
    by_drug: dict[int, VisitRows] = {}
    for drug_id, visit_id, position, state, hcpcs, start, stop, reason, at, by in session.execute(
        select(A.id, A.visit_id, A.position, A.state, A.hcpcs, A.infusion_start, A.infusion_stop, A.void_reason,
               A.recorded_at, A.recorded_by).join(V, V.id == A.visit_id).where(*where).order_by(A.visit_id, A.position)
    ):
        visit = visits[visit_id]
        visit.drugs[drug_id] = DrugRow(drug_id, position, state, hcpcs, start, stop, reason, at, by)
        by_drug[drug_id] = visit
    _read_moments(session, where, by_drug)
    _read_drug_lines(session, where, by_drug)
    for drug_id, ndc, lot, expiry in session.execute(
        select(PO.administration_id, PO.ndc, PO.lot, PO.expiry).join(A, A.id == PO.administration_id)
        .join(V, V.id == A.visit_id).where(*where).order_by(PO.administration_id, PO.position)
    ):
        by_drug[drug_id].packages.setdefault(drug_id, []).append(Package(ndc, lot, expiry))
    for code in session.execute(
        select(VCL.id, VCS.visit_id, VCL.position, VCL.hcpcs, VCL.units, VCL.modifiers, VCL.administration_id,
               VCS.created_at, VCS.created_by, VCS.reason)
        .join(VCS, VCS.id == VCL.code_set_id).join(V, V.id == VCS.visit_id)
        .where(*where, VCS.revision == V.code_revision).order_by(VCS.visit_id, VCL.position)
    ):
        visit = visits[code[1]]
        visit.code_lines.append(code_line(code))
        visit.revision = CodeRevision(code[7], code[8], code[9])
    return visits


def code_line(row: Any) -> LineRow:
    """A LineRow from (id, _, position, hcpcs, units, modifiers, administration_id, ...)."""
    return LineRow(key=(CODE, row[0]), administration_id=row[6], position=row[2], hcpcs=row[3], kind="administration",
                   units=row[4], modifiers=_modifiers(row[5]))


def _modifiers(text: str) -> tuple[str, ...]:
    return tuple(m for m in text.split(",") if m)


def _read_moments(session: Session, where: Sequence[ColumnElement[bool]], by_drug: dict[int, VisitRows]) -> None:
    wanted = (ChargeState.POSTED.value, ChargeState.VOIDED.value)
    for drug_id, state, at, by in session.execute(
        select(SC.administration_id, SC.to_state, SC.changed_at, SC.changed_by).join(A, A.id == SC.administration_id)
        .join(V, V.id == A.visit_id).where(*where, SC.to_state.in_(wanted)).order_by(SC.id)
    ):
        drug = by_drug[drug_id].drugs[drug_id]
        if state == ChargeState.POSTED.value:
            drug.posted = (at, by)
        else:
            drug.voided = (at, by)


def _read_drug_lines(session: Session, where: Sequence[ColumnElement[bool]], by_drug: dict[int, VisitRows]) -> None:
    for row in session.execute(
        select(CL.id, CL.administration_id, CL.position, CL.hcpcs, CL.kind, CL.units, CL.modifiers, CL.ndc11,
               CL.ndc_qualifier, CL.ndc_unit, CL.ndc_quantity)
        .join(A, A.id == CL.administration_id).join(V, V.id == A.visit_id)
        .where(*where, CL.kind != "administration").order_by(A.visit_id, A.position, CL.position)
    ):
        by_drug[row[1]].drug_lines.append(LineRow(
            key=(DRUG, row[0]), administration_id=row[1], position=row[2], hcpcs=row[3], kind=row[4], units=row[5],
            modifiers=_modifiers(row[6]), ndc11=row[7], ndc_qualifier=row[8], ndc_unit=row[9], ndc_quantity=row[10],
        ))


def load_code_lines(session: Session, ids: Iterable[int]) -> dict[int, LineRow]:
    """Administration-code lines by id, of any revision (what a reversal takes back)."""
    found: dict[int, LineRow] = {}
    for chunk in chunks(ids):
        for row in session.execute(
            select(VCL.id, VCS.visit_id, VCL.position, VCL.hcpcs, VCL.units, VCL.modifiers, VCL.administration_id)
            .join(VCS, VCS.id == VCL.code_set_id).where(VCL.id.in_(chunk))
        ):
            found[row[0]] = code_line(row)
    return found


def ndc10(packages: Sequence[Package], ndc11: str | None) -> tuple[str | None, tuple[str, ...],
                                                                    tuple[dt.date | None, ...]]:
    """The labeled (hyphenated 10-digit) NDC of the packages behind an 11-digit claim NDC, and their lots."""
    if not ndc11:
        return None, (), ()
    labeled: str | None = None
    lots: list[str] = []
    expiries: list[dt.date | None] = []
    for package in packages:
        try:
            if package.ndc is None or to_ndc11(package.ndc) != ndc11:
                continue
        except NdcFormatError:
            continue
        labeled = labeled or package.ndc.strip()
        if package.lot and package.lot not in lots:
            lots.append(package.lot)
            expiries.append(package.expiry)
    return labeled, tuple(lots), tuple(expiries)
