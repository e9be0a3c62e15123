"""The review queue: one row per visit, filtered and sorted in SQL a page at a time (keyset paging), and counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from db import models
from desktop.records.requests import ChargeState, visit_state
from desktop.services.people.roles import Permission, require
from desktop.services.storage.store import Store

A = models.Administration
V = models.Visit
P = models.Patient
F = models.FindingRow
CL = models.ChargeLine
FINDING_SEVERITIES = ("error", "warning")  # what "has findings" means: something a person must deal with
VOIDED = ChargeState.VOIDED.value
PAGE_SIZE = 200
# The filters' subqueries read the drugs through aliases: the counts query joins the visit's drugs itself, and
# these must not correlate to them. Made once: aliasing costs more than running a page's SQL.
DRUG = aliased(models.Administration, name="drug")
OTHER_DRUG = aliased(models.Administration, name="other_drug")
# A drug filter over a date range up to this long is checked visit by visit (EXISTS): the dates pick few visits.
# Over longer spans the counts start from the drugs instead (IN): "held J9302, all dates" counts in 130 ms
# instead of 610 ms on 1,000,000 administrations (benchmarks/bench_review.py).
VISIT_BY_VISIT_DAYS = 366


class SortKey(StrEnum):
    """What the queue can be sorted by: the visit's own columns, each backed by an index.

    Drug and state are not sort keys: a visit has several of each, and sorting 1,000,000 visits by a value
    computed over their drugs cannot use an index. The Drug and Status filters find those visits instead."""

    ID = "id"
    DATE = "date"
    PATIENT = "patient"
    MRN = "mrn"
    PAYER = "payer"
    NURSE = "nurse"


SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.ID: V.id, SortKey.DATE: V.date_of_service, SortKey.PATIENT: P.name, SortKey.MRN: P.mrn,
    SortKey.PAYER: V.payer_class, SortKey.NURSE: func.coalesce(V.nurse, ""),
}


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """What the biller asked for; None (or empty) means "any".

    Dates, payer class and nurse are the visit's. `states` and `hcpcs` pick visits having such a drug (both on
    the same drug when both are given: "a held J9302"). `has_findings` looks at the visit's billed drugs."""

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
    """Where the next page starts: the sort value and visit id of the last row shown."""

    value: Any
    id: int


@dataclass(frozen=True, slots=True)
class DrugRow:
    """One drug of a queue row, with its own charge state."""

    id: int  # the administration
    version: int
    hcpcs: str
    state: ChargeState
    units: int  # administered plus discarded drug units on its frozen lines
    errors: int
    warnings: int
    hold_reason: str | None
    replaces_id: int | None


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One row of the queue: a visit and its drugs (voided ones too, in entry order)."""

    id: int  # the visit
    version: int  # sent back with an action: a visit changed since is a conflict
    date_of_service: dt.date
    patient_name: str
    patient_mrn: str
    payer_class: str
    nurse: str | None
    drugs: tuple[DrugRow, ...]
    sort_value: Any

    @property
    def state(self) -> ChargeState | None:
        """The state of every drug still billed; VOIDED when all are voided; None when they differ."""
        return visit_state(d.state for d in self.drugs)

    @property
    def billed(self) -> tuple[DrugRow, ...]:
        """The drugs the row's units and findings count: those still billed (every drug of a voided visit)."""
        live = tuple(d for d in self.drugs if d.state is not ChargeState.VOIDED)
        return live or self.drugs

    @property
    def units(self) -> int:
        return sum(d.units for d in self.billed)

    @property
    def errors(self) -> int:
        return sum(d.errors for d in self.billed)

    @property
    def warnings(self) -> int:
        return sum(d.warnings for d in self.billed)

    @property
    def state_counts(self) -> dict[ChargeState, int]:
        """How many drugs are in each state, in the order of the charge's life."""
        counted = Counter(d.state for d in self.drugs)
        return {s: counted[s] for s in ChargeState if counted[s]}


ReviewRow = VisitRow  # the queue's row type by its older name


@dataclass(frozen=True, slots=True)
class ReviewPage:
    rows: tuple[VisitRow, ...]
    next_cursor: ReviewCursor | None  # None: this was the last page


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """Matching visits by visit state; `mixed` are visits whose billed drugs are in different states.

    The parts are counted in the same query as the total, so they always add up to it."""

    by_state: dict[ChargeState, int]
    mixed: int

    @property
    def total(self) -> int:
        return sum(self.by_state.values()) + self.mixed


def _billed_drug(drug: Any) -> ColumnElement[bool]:
    """The drug counts for its visit: it is still billed, or nothing in the visit is (a voided visit)."""
    return or_(drug.state != VOIDED,
               ~exists().where(OTHER_DRUG.visit_id == drug.visit_id, OTHER_DRUG.state != VOIDED))


def _few_days(review_filter: ReviewFilter) -> bool:
    f = review_filter
    return f.date_from is not None and f.date_to is not None and (f.date_to - f.date_from).days <= VISIT_BY_VISIT_DAYS


def _conditions(review_filter: ReviewFilter, *, counting: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE of the queue; `counting`: for the counts, which read every match instead of the first page."""
    f = review_filter
    where: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        where.append(V.date_of_service >= f.date_from)
    if f.date_to is not None:
        where.append(V.date_of_service <= f.date_to)
    if f.payer_class:
        where.append(V.payer_class == f.payer_class)
    if f.nurse:
        where.append(V.nurse == f.nurse.strip())
    d = DRUG
    drug: list[ColumnElement[bool]] = []
    if f.states:
        drug.append(d.state.in_([ChargeState(s).value for s in f.states]))
    if f.hcpcs:
        drug.append(d.hcpcs == f.hcpcs.strip().upper())
    if drug and (not counting or _few_days(f)):  # visits having such a drug, checked visit by visit
        where.append(exists().where(d.visit_id == V.id, *drug))
    elif drug:  # every match over a long span: start from the drugs
        where.append(V.id.in_(select(d.visit_id).where(*drug)))
    if f.has_findings is not None:
        # IN (...) lets the database start from the (usually few) findings instead of every visit.
        with_findings = (select(d.visit_id).join(F, F.administration_id == d.id)
                         .where(F.severity.in_(FINDING_SEVERITIES), _billed_drug(d)))
        where.append(V.id.in_(with_findings) if f.has_findings else V.id.not_in(with_findings))
    return where


def review_query(review_filter: ReviewFilter, sort: ReviewSort, cursor: ReviewCursor | None, limit: int) -> Select[Any]:
    """The SQL of one page of visits: filters, then rows after `cursor` in (sort value, visit id) order."""
    key = SORT_COLUMNS[sort.key]
    query = (
        select(V.id, V.version, V.date_of_service, P.name, P.mrn, V.payer_class, V.nurse, key)
        .join(P, P.id == V.patient_id).where(*_conditions(review_filter))
    )
    if sort.key is SortKey.ID:
        if cursor is not None:
            query = query.where(V.id < cursor.id if sort.descending else V.id > cursor.id)
        order = [V.id.desc() if sort.descending else V.id.asc()]
    else:
        if cursor is not None:
            after = tuple_(key, V.id)
            bound = tuple_(cursor.value, cursor.id)
            query = query.where(after < bound if sort.descending else after > bound)
        order = [key.desc(), V.id.desc()] if sort.descending else [key.asc(), V.id.asc()]
    return query.order_by(*order).limit(limit)


def _count_of(severity: str) -> Any:
    return (select(func.count()).where(F.administration_id == A.id, F.severity == severity)
            .correlate(A).scalar_subquery())


def _drugs_query() -> Select[Any]:
    """The drugs of the page's visits (`visit_ids`), in entry order, with their units and finding counts."""
    units = (select(func.coalesce(func.sum(CL.units), 0))
             .where(CL.administration_id == A.id, CL.kind.in_(("administered", "discarded")))
             .correlate(A).scalar_subquery())
    return (select(A.visit_id, A.id, A.version, A.hcpcs, A.state, units, _count_of("error"), _count_of("warning"),
                   A.hold_reason, A.replaces_id)
            .where(A.visit_id.in_(bindparam("visit_ids", expanding=True))).order_by(A.visit_id, A.position, A.id))


DRUGS_QUERY = _drugs_query()  # built once: the page's visit ids are its only parameter
STATE_OF = {s.value: s for s in ChargeState}


def fetch_review_page(
    store: Store, review_filter: ReviewFilter, sort: ReviewSort = ReviewSort(),
    cursor: ReviewCursor | None = None, limit: int = PAGE_SIZE, *, user: str,
) -> ReviewPage:
    """Up to `limit` visits after `cursor`; `next_cursor` is set when more rows may follow."""
    query = review_query(review_filter, sort, cursor, limit)
    with store.session_scope(write=False) as session:
        require(session, user, Permission.REVIEW)
        visits = session.execute(query).all()
        drugs: dict[int, list[DrugRow]] = {v[0]: [] for v in visits}
        if visits:
            for r in session.execute(DRUGS_QUERY, {"visit_ids": list(drugs)}):
                drugs[r[0]].append(DrugRow(id=r[1], version=r[2], hcpcs=r[3], state=STATE_OF[r[4]],
                                           units=int(r[5]), errors=int(r[6]), warnings=int(r[7]),
                                           hold_reason=r[8], replaces_id=r[9]))
    rows = tuple(
        VisitRow(id=v[0], version=v[1], date_of_service=v[2], patient_name=v[3], patient_mrn=v[4], payer_class=v[5],
                 nurse=v[6], drugs=tuple(drugs[v[0]]), sort_value=v[7])
        for v in visits
    )
    last = rows[-1] if len(rows) == limit else None
    return ReviewPage(rows, ReviewCursor(last.sort_value, last.id) if last else None)


def counts_query(review_filter: ReviewFilter) -> Select[Any]:
    """Matching visits grouped by the visit's state: lowest and highest state of its billed drugs."""
    live = case((A.state != VOIDED, A.state))
    per_visit = (select(func.min(live).label("low"), func.max(live).label("high"))
                 .select_from(V).join(A, A.visit_id == V.id).where(*_conditions(review_filter, counting=True))
                 .group_by(V.id).subquery())
    return select(per_visit.c.low, per_visit.c.high, func.count()).group_by(per_visit.c.low, per_visit.c.high)


def count_queue(store: Store, review_filter: ReviewFilter) -> QueueCounts:
    """The matching visits (all pages) by visit state, for the queue's summary line."""
    by_state: Counter[ChargeState] = Counter()
    mixed = 0
    with store.session_scope(write=False) as session:
        for low, high, n in session.execute(counts_query(review_filter)):
            if low is None:
                by_state[ChargeState.VOIDED] += int(n)
            elif low == high:
                by_state[ChargeState(low)] += int(n)
            else:
                mixed += int(n)
    return QueueCounts({s: by_state[s] for s in ChargeState if by_state[s]}, mixed)


def count_review(store: Store, review_filter: ReviewFilter) -> int:
    """How many visits match the filter (all pages)."""
    return count_queue(store, review_filter).total


def review_choices(store: Store) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(HCPCS codes, nurse names) that occur in the store, for the filter drop-downs."""
    with store.session_scope(write=False) as session:
        codes = tuple(session.execute(select(A.hcpcs).distinct().order_by(A.hcpcs)).scalars())
        nurses = tuple(n for n in session.execute(
            select(V.nurse).distinct().where(V.nurse.is_not(None)).order_by(V.nurse)).scalars() if n)
    return codes, nurses
