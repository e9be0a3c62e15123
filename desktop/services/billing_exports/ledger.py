"""The billing transactions each format has sent (the ledger) and what is still to send: charges of lines now
billable and never charged, reversals of charges whose line is no longer billable.

A line is billable while its drug is posted and, for an administration code, while its revision is the visit's
billed one; both facts only ever end (posted -> voided is final, revisions are appended), so a line charged and
reversed is never billed again and "never charged in this format" is enough to find new charges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from db import models
from desktop.records.requests import ChargeState
from desktop.services.billing_exports.visit_rows import CODE, DRUG, LineKey, LineRow, VisitRows, chunks

T, A, V = models.ExportTransaction, models.Administration, models.Visit
VCS, VCL, CL, SC, RUN = (models.VisitCodeSet, models.VisitCodeLine, models.ChargeLine, models.StateChange,
                         models.ExportRun)


@dataclass(frozen=True, slots=True)
class SentCharge:
    """A charge this format sent and never reversed."""

    transaction_id: int
    key: LineKey
    administration_id: int | None
    visit_line_number: int


@dataclass(frozen=True, slots=True)
class Planned:
    """A transaction to send: a charge of `line`, or the reversal of `reverses`."""

    visit_id: int
    line: LineRow
    visit_line_number: int
    reverses: SentCharge | None = None


def _not_reversed() -> ColumnElement[bool]:
    reversal = aliased(T)
    return ~exists().where(reversal.reverses_id == T.id)


def line_key(charge_line_id: int | None, code_line_id: int | None) -> LineKey:
    """The line a ledger row names: a drug line, else an administration-code line."""
    if charge_line_id is not None:
        return DRUG, charge_line_id
    assert code_line_id is not None, "a transaction names a drug line or a code line"
    return CODE, code_line_id


def outstanding(session: Session, fmt: str, visit_ids: Iterable[int]) -> dict[int, dict[LineKey, SentCharge]]:
    """Per visit, the charges of this format not reversed, by line."""
    found: dict[int, dict[LineKey, SentCharge]] = {}
    for chunk in chunks(visit_ids):
        for tid, visit_id, drug_line, code_line, adm_id, number in session.execute(
            select(T.id, T.visit_id, T.charge_line_id, T.code_line_id, T.administration_id, T.visit_line_number)
            .where(T.format == fmt, T.kind == "charge", T.visit_id.in_(chunk), _not_reversed())
        ):
            key = line_key(drug_line, code_line)
            found.setdefault(visit_id, {})[key] = SentCharge(tid, key, adm_id, number)
    return found


def plan(visit: VisitRows, sent: dict[LineKey, SentCharge], old_code_lines: dict[int, LineRow]) -> list[Planned]:
    """The visit's transactions to send: reversals first (in claim order of the charges), then new charges."""
    billable = visit.billable()
    keys = {line.key for line in billable}
    numbers = {line.key: number for number, line in enumerate(visit.claim(), start=1)}
    lines = {line.key: line for line in visit.drug_lines + visit.code_lines}
    planned = []
    for charge in sorted(sent.values(), key=lambda s: s.visit_line_number):
        if charge.key not in keys:
            line = lines.get(charge.key) or old_code_lines[charge.key[1]]
            planned.append(Planned(visit.id, line, charge.visit_line_number, reverses=charge))
    planned.extend(Planned(visit.id, line, numbers[line.key]) for line in billable if line.key not in sent)
    return planned


def old_code_line_ids(visits: Iterable[VisitRows], sent: dict[int, dict[LineKey, SentCharge]]) -> set[int]:
    """Code lines of earlier revisions that a reversal will need to read back."""
    wanted = set()
    for visit in visits:
        current = {line.key for line in visit.code_lines}
        wanted |= {key[1] for key in sent.get(visit.id, {}) if key[0] == CODE and key not in current}
    return wanted


def changed_visits(session: Session, fmt: str) -> tuple[set[int], int, int]:
    """Visits that may hold something to send, and the marks to store with this run.

    After an incremental run everything pending was sent, so the next one reads only the visits whose drugs
    moved (state changes) or whose codes were computed again since its marks. Without one, every visit with a
    posted drug never charged, or a charge no longer billable, is read (the first incremental run).
    """
    marks = (session.execute(select(func.max(SC.id))).scalar() or 0,
             session.execute(select(func.max(VCS.id))).scalar() or 0)
    last = session.execute(
        select(RUN.state_change_mark, RUN.code_set_mark)
        .where(RUN.format == fmt, RUN.state_change_mark.is_not(None)).order_by(RUN.id.desc()).limit(1)
    ).first()
    if last is not None:
        moved = select(A.visit_id).join(SC, SC.administration_id == A.id).where(
            SC.id > last[0], SC.to_state.in_((ChargeState.POSTED.value, ChargeState.VOIDED.value)))
        recomputed = select(VCS.visit_id).where(VCS.id > last[1])
        visits = set(session.execute(moved).scalars()) | set(session.execute(recomputed).scalars())
        return visits, *marks
    return _every_visit_pending(session, fmt), *marks


def _every_visit_pending(session: Session, fmt: str) -> set[int]:
    posted = A.state == ChargeState.POSTED.value
    never_charged_drug = select(A.visit_id).join(CL, CL.administration_id == A.id).where(
        posted, CL.kind != "administration",
        ~exists().where(T.format == fmt, T.kind == "charge", T.charge_line_id == CL.id))
    never_charged_code = (
        select(VCS.visit_id).join(V, and_(V.id == VCS.visit_id, V.code_revision == VCS.revision))
        .join(VCL, VCL.code_set_id == VCS.id).outerjoin(A, A.id == VCL.administration_id)
        .where(or_(posted, VCL.administration_id.is_(None)),
               ~exists().where(T.format == fmt, T.kind == "charge", T.code_line_id == VCL.id))
    )
    drug = aliased(A)
    no_longer_billed = (
        select(T.visit_id).join(V, V.id == T.visit_id).outerjoin(drug, drug.id == T.administration_id)
        .outerjoin(VCL, VCL.id == T.code_line_id).outerjoin(VCS, VCS.id == VCL.code_set_id)
        .where(T.format == fmt, T.kind == "charge", _not_reversed(),
               or_(drug.state == ChargeState.VOIDED.value, VCS.revision != V.code_revision))
    )
    found: set[int] = set()
    for query in (never_charged_drug, never_charged_code, no_longer_billed):
        found |= set(session.execute(query.distinct()).scalars())
    return found


def record_run(session: Session, run: models.ExportRun, fmt: str, planned: list[Planned]) -> list[int]:
    """Store the run and its transactions; their ids (in `planned` order) are the transaction ids sent."""
    session.add(run)
    session.flush()
    if not planned:
        return []
    rows = [{
        "run_id": run.id, "format": fmt, "kind": "charge" if p.reverses is None else "reversal",
        "visit_id": p.visit_id, "administration_id": p.line.administration_id,
        "charge_line_id": p.line.key[1] if p.line.key[0] == DRUG else None,
        "code_line_id": p.line.key[1] if p.line.key[0] == CODE else None,
        "reverses_id": None if p.reverses is None else p.reverses.transaction_id,
        "visit_line_number": p.visit_line_number,
    } for p in planned]
    sent = models.ExportTransaction
    # Core "insertmanyvalues": a few multi-row INSERT ... RETURNING statements, ids in the order given.
    inserted = session.connection().execute(insert(sent).returning(sent.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in inserted.all()]


def run_transactions(session: Session, run_id: int) -> list[tuple[int, str, int, LineKey, int | None, int | None,
                                                                int]]:
    """A run's transactions as stored: (id, kind, visit, line, administration, reverses, visit line number)."""
    return [
        (tid, kind, visit_id, line_key(drug_line, code_line), adm_id, reverses, number)
        for tid, kind, visit_id, drug_line, code_line, adm_id, reverses, number in session.execute(
            select(T.id, T.kind, T.visit_id, T.charge_line_id, T.code_line_id, T.administration_id, T.reverses_id,
                   T.visit_line_number).where(T.run_id == run_id).order_by(T.id))
    ]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
