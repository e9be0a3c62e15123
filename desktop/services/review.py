"""The review queue: filtered, sorted administrations read a page at a time (keyset paging in SQL), and counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select, tuple_

from db import models
from desktop.services.roles import Permission, require
from desktop.services.store import Store
from desktop.services.views import ChargeState

A = models.Administration
V = models.Visit
P = models.Patient
F = models.FindingRow
CL = models.ChargeLine
FINDING_SEVERITIES = ("error", "warning")  # what "has findings" means: something a person must deal with
PAGE_SIZE = 200


class SortKey(StrEnum):
    ID = "id"
    DATE = "date"
    PATIENT = "patient"
    MRN = "mrn"
    DRUG = "drug"
    PAYER = "payer"
    NURSE = "nurse"
    STATE = "state"


SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.ID: A.id, SortKey.DATE: V.date_of_service, SortKey.PATIENT: P.name, SortKey.MRN: P.mrn,
    SortKey.DRUG: A.hcpcs, SortKey.PAYER: V.payer_class, SortKey.NURSE: func.coalesce(V.nurse, ""),
    SortKey.STATE: A.state,
}


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """What the biller asked for; None (or empty) means "any"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    states: tuple[ChargeState, ...] = ()
    payer_class: str | None = None
    hcpcs: str | None = None
    nurse: str | None = None
    has_findings: bool | None = None


@dataclass(frozen=True, slots=True)
class ReviewSort:
    key: SortKey = SortKey.DATE
    descending: bool = True


@dataclass(frozen=True, slots=True)
class ReviewCursor:
    """Where the next page starts: the sort value and id of the last row shown."""

    value: Any
    id: int


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: int
    version: int
    state: ChargeState
    date_of_service: dt.date
    patient_name: str
    patient_mrn: str
    hcpcs: str
    payer_class: str
    nurse: str | None
    units: int  # administered plus discarded drug units on the frozen lines
    errors: int
    warnings: int
    hold_reason: str | None
    replaces_id: int | None
    sort_value: Any


@dataclass(frozen=True, slots=True)
class ReviewPage:
    rows: tuple[ReviewRow, ...]
    next_cursor: ReviewCursor | None  # None: this was the last page


def _conditions(review_filter: ReviewFilter) -> list[ColumnElement[bool]]:
    f = review_filter
    where: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        where.append(V.date_of_service >= f.date_from)
    if f.date_to is not None:
        where.append(V.date_of_service <= f.date_to)
    if f.states:
        where.append(A.state.in_([ChargeState(s).value for s in f.states]))
    if f.payer_class:
        where.append(V.payer_class == f.payer_class)
    if f.hcpcs:
        where.append(A.hcpcs == f.hcpcs.strip().upper())
    if f.nurse:
        where.append(V.nurse == f.nurse.strip())
    if f.has_findings:
        # IN (...) lets the database start from the (usually few) findings instead of every administration.
        where.append(A.id.in_(select(F.administration_id).where(F.severity.in_(FINDING_SEVERITIES))))
    elif f.has_findings is False:
        where.append(~exists().where(F.administration_id == A.id, F.severity.in_(FINDING_SEVERITIES)))
    return where


def _count_of(severity: str) -> Any:
    return (select(func.count()).where(F.administration_id == A.id, F.severity == severity)
            .correlate(A).scalar_subquery())


def review_query(review_filter: ReviewFilter, sort: ReviewSort, cursor: ReviewCursor | None, limit: int) -> Select[Any]:
    """The SQL of one page: filters, then rows after `cursor` in (sort value, id) order."""
    key = SORT_COLUMNS[sort.key]
    units = (select(func.coalesce(func.sum(CL.units), 0))
             .where(CL.administration_id == A.id, CL.kind.in_(("administered", "discarded")))
             .correlate(A).scalar_subquery())
    query = (
        select(A.id, A.version, A.state, V.date_of_service, P.name, P.mrn, A.hcpcs, V.payer_class, V.nurse, units,
               _count_of("error"), _count_of("warning"), A.hold_reason, A.replaces_id, key)
        .join(V, V.id == A.visit_id).join(P, P.id == V.patient_id).where(*_conditions(review_filter))
    )
    if sort.key is SortKey.ID:
        if cursor is not None:
            query = query.where(A.id < cursor.id if sort.descending else A.id > cursor.id)
        order = [A.id.desc() if sort.descending else A.id.asc()]
    else:
        if cursor is not None:
            after = tuple_(key, A.id)
            bound = tuple_(cursor.value, cursor.id)
            query = query.where(after < bound if sort.descending else after > bound)
        order = [key.desc(), A.id.desc()] if sort.descending else [key.asc(), A.id.asc()]
    return query.order_by(*order).limit(limit)


def fetch_review_page(
    store: Store, review_filter: ReviewFilter, sort: ReviewSort = ReviewSort(),
    cursor: ReviewCursor | None = None, limit: int = PAGE_SIZE, *, user: str,
) -> ReviewPage:
    """Up to `limit` rows after `cursor`; `next_cursor` is set when more rows may follow."""
    query = review_query(review_filter, sort, cursor, limit)
    with store.session_scope(write=False) as session:
        require(session, user, Permission.REVIEW)
        rows = tuple(
            ReviewRow(id=r[0], version=r[1], state=ChargeState(r[2]), date_of_service=r[3], patient_name=r[4],
                      patient_mrn=r[5], hcpcs=r[6], payer_class=r[7], nurse=r[8], units=int(r[9]),
                      errors=int(r[10]), warnings=int(r[11]), hold_reason=r[12], replaces_id=r[13], sort_value=r[14])
            for r in session.execute(query)
        )
    last = rows[-1] if len(rows) == limit else None
    return ReviewPage(rows, ReviewCursor(last.sort_value, last.id) if last else None)


def count_review(store: Store, review_filter: ReviewFilter) -> int:
    """How many administrations match the filter (all pages)."""
    query = select(func.count()).select_from(A).join(V, V.id == A.visit_id).where(*_conditions(review_filter))
    with store.session_scope(write=False) as session:
        return int(session.execute(query).scalar_one())


def count_by_state(store: Store, review_filter: ReviewFilter) -> dict[ChargeState, int]:
    """Matching administrations per state (the state filter itself is ignored), for the queue's summary line."""
    plain = replace(review_filter, states=())
    query = (select(A.state, func.count()).select_from(A).join(V, V.id == A.visit_id).where(*_conditions(plain))
             .group_by(A.state))
    with store.session_scope(write=False) as session:
        return {ChargeState(state): int(n) for state, n in session.execute(query)}


def review_choices(store: Store) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(HCPCS codes, nurse names) that occur in the store, for the filter drop-downs."""
    with store.session_scope(write=False) as session:
        codes = tuple(session.execute(select(A.hcpcs).distinct().order_by(A.hcpcs)).scalars())
        nurses = tuple(n for n in session.execute(
            select(V.nurse).distinct().where(V.nurse.is_not(None)).order_by(V.nurse)).scalars() if n)
    return codes, nurses

