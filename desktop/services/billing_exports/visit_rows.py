"""The visits an export reads: each visit's drugs, claim lines, lots and current codes, in six column queries.

Column queries rather than ORM objects: a month of a large center is tens of thousands of visits. The
selection (`where`) is applied through a join to the visit, so a date range reads with the date index and a
list of visits in chunks.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from db import models
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.records.requests import ChargeState

A, V, P = models.Administration, models.Visit, models.Patient
SC, CL, PO = models.StateChange, models.ChargeLine, models.PackageOpened
VCS, VCL = models.VisitCodeSet, models.VisitCodeLine
CHUNK = 500  # ids per IN (...) list: far below every driver's parameter limit
DRUG, CODE = "drug", "code"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
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
    """The selected visits (by date of service, then id) with their drugs, lines, lots and current codes.

    One query reads every drug line with its drug, visit and patient (as a one-off script would); the moments
    (posted, voided), the lots and the current codes follow in three small ones.
    """
    visits: dict[int, VisitRows] = {}
    by_drug: dict[int, VisitRows] = {}
    connection = session.connection()  # Core rows: no ORM loading for tens of thousands of them
    visit: VisitRows | None = None
    for row in connection.execute(
        select(V.id, raw(V.date_of_service), V.place_of_service, V.payer, V.payer_class, V.diagnosis_codes,
               V.prior_authorization, V.ordering_provider, V.ordering_provider_npi, V.nurse, V.chair,
               P.mrn, P.name, raw(P.date_of_birth), P.sex,
               A.id, A.position, A.state, A.hcpcs, raw(A.infusion_start), raw(A.infusion_stop), A.void_reason,
               raw(A.recorded_at), A.recorded_by,
               CL.id, CL.position, CL.hcpcs, CL.kind, CL.units, CL.modifiers, CL.ndc11, CL.ndc_qualifier,
               CL.ndc_unit, CL.ndc_quantity)
        .join(P, P.id == V.patient_id).join(A, A.visit_id == V.id)
        .outerjoin(CL, and_(CL.administration_id == A.id, CL.kind != "administration"))
        .where(*where).order_by(V.date_of_service, V.id, A.position, CL.position)
    ).all():
        if visit is None or visit.id != row[0]:
            visit = visits[row[0]] = VisitRows(
                id=row[0], date_of_service=_day(row[1]), place_of_service=row[2] or "hospital_outpatient",
                payer=row[3], payer_class=row[4], diagnosis_codes=_diagnoses(row[5]), prior_authorization=row[6],
                ordering_provider=row[7], ordering_provider_npi=row[8], nurse=row[9], chair=row[10],
                patient=(row[11], row[12], _day(row[13]), row[14]),
            )
        drug_id = row[15]
        if drug_id not in visit.drugs:
            visit.drugs[drug_id] = DrugRow(drug_id, row[16], row[17], row[18], _moment(row[19]), _moment(row[20]),
                                           row[21], _moment(row[22]) or _EPOCH, row[23])
            by_drug[drug_id] = visit
        if row[24] is not None:
            visit.drug_lines.append(LineRow((DRUG, row[24]), drug_id, row[25], row[26], row[27], row[28],
                                            _modifiers(row[29]), row[30], row[31], row[32], row[33]))
    if not visits:
        return visits
    _read_moments(session, where, by_drug)
    for drug_id, ndc, lot, expiry in connection.execute(
        select(PO.administration_id, PO.ndc, PO.lot, PO.expiry).join(A, A.id == PO.administration_id)
        .join(V, V.id == A.visit_id).where(*where).order_by(PO.administration_id, PO.position)
    ).all():
        by_drug[drug_id].packages.setdefault(drug_id, []).append(Package(ndc, lot, expiry))
    for code in connection.execute(
        select(VCL.id, VCS.visit_id, VCL.position, VCL.hcpcs, VCL.units, VCL.modifiers, VCL.administration_id,
               VCS.created_at, VCS.created_by, VCS.reason)
        .join(VCS, VCS.id == VCL.code_set_id).join(V, V.id == VCS.visit_id)
        .where(*where, VCS.revision == V.code_revision).order_by(VCS.visit_id, VCL.position)
    ).all():
        visit = visits[code[1]]
        visit.code_lines.append(code_line(code))
        visit.revision = CodeRevision(code[7], code[8], code[9])
    return visits


def raw(column: Any) -> Any:
    """A column read as the driver returns it: the visit's and drug's values repeat on each of their lines, so
    they are converted once (_day, _moment) rather than once per row."""
    return type_coerce(column, NullType())


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _moment(value: Any) -> dt.datetime | None:
    """A stored UTC time as db.column_types.UtcDateTime gives it (SQLite text, PostgreSQL timestamptz)."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def code_line(row: Any) -> LineRow:
    """A LineRow from (id, _, position, hcpcs, units, modifiers, administration_id, ...)."""
    return LineRow((CODE, row[0]), row[6], row[2], row[3], "administration", row[4], _modifiers(row[5]))


@functools.lru_cache(maxsize=256)
def _modifiers(text: str) -> tuple[str, ...]:
    """Stored "JW,TB" as a tuple; a few distinct texts repeat over a month of lines."""
    return tuple(m for m in text.split(",") if m)


@functools.lru_cache(maxsize=4096)
def _diagnoses(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _read_moments(session: Session, where: Sequence[ColumnElement[bool]], by_drug: dict[int, VisitRows]) -> None:
    wanted = (ChargeState.POSTED.value, ChargeState.VOIDED.value)
    connection = session.connection()
    for drug_id, state, at, by in connection.execute(
        select(SC.administration_id, SC.to_state, SC.changed_at, SC.changed_by).join(A, A.id == SC.administration_id)
        .join(V, V.id == A.visit_id).where(*where, SC.to_state.in_(wanted)).order_by(SC.id)
    ).all():
        drug = by_drug[drug_id].drugs[drug_id]
        if state == ChargeState.POSTED.value:
            drug.posted = (at, by)
        else:
            drug.voided = (at, by)


def load_code_lines(session: Session, ids: Iterable[int]) -> dict[int, LineRow]:
    """Administration-code lines by id, of any revision (what a reversal takes back)."""
    found: dict[int, LineRow] = {}
    connection = session.connection()
    for chunk in chunks(ids):
        for row in connection.execute(
            select(VCL.id, VCS.visit_id, VCL.position, VCL.hcpcs, VCL.units, VCL.modifiers, VCL.administration_id)
            .join(VCS, VCS.id == VCL.code_set_id).where(VCL.id.in_(chunk))
        ).all():
            found[row[0]] = code_line(row)
    return found


@functools.lru_cache(maxsize=4096)
def _claim_form(ndc: str) -> str | None:
    """The 11-digit claim form of a stored package NDC (None when it is not a labeled form): a few hundred
    NDCs over a month of lines."""
    try:
        return to_ndc11(ndc)
    except NdcFormatError:
        return None


def ndc10(packages: Sequence[Package], ndc11: str | None) -> tuple[str | None, tuple[str, ...],
                                                                    tuple[dt.date | None, ...]]:
    """The labeled (hyphenated 10-digit) NDC of the packages behind an 11-digit claim NDC, and their lots."""
    if not ndc11:
        return None, (), ()
    labeled: str | None = None
    lots: list[str] = []
    expiries: list[dt.date | None] = []
    for package in packages:
        if package.ndc is None or _claim_form(package.ndc) != ndc11:
            continue
        labeled = labeled or package.ndc.strip()
        if package.lot and package.lot not in lots:
            lots.append(package.lot)
            expiries.append(package.expiry)
    return labeled, tuple(lots), tuple(expiries)
