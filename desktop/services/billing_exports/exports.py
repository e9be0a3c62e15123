"""Exports to billing systems: billing runs (incremental or by dates), previews, re-sends, each recorded as a run.

Only posted charges and reversals of charges sent before are billing transactions; they are recorded per
format (desktop.services.billing_exports.ledger), so nothing is sent twice and a reversal names its charge. A preview
shows every line of the chosen dates and is marked as one in each format. See resources/docs/interfaces.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from desktop.interop.csv_export import to_csv
from desktop.interop.export_model import Purpose, RunHeader, VisitExport
from desktop.interop.fhir_export import to_fhir_json
from desktop.interop.hl7_export import to_hl7
from desktop.services.billing_exports.bulk_work import collector_paused
from desktop.services.billing_exports.claim_build import Builder, sender_of
from desktop.services.billing_exports.ledger import (
    Planned,
    changed_visits,
    old_code_line_ids,
    outstanding,
    plan,
    record_run,
    run_transactions,
)
from desktop.services.billing_exports.visit_rows import CODE, VisitRows, chunks, load_code_lines, load_visits
from desktop.services.errors import NotFoundError, ServiceError
from desktop.services.facility.settings import FacilitySettings, read_facility_settings
from desktop.services.people.roles import Permission, check_permission, require
from desktop.services.storage.store import Store

V, RUN = models.Visit, models.ExportRun
BASELINE = "baseline"
Deliver = Callable[[str], None]  # writes the file; an exception rolls the run back


class ExportFormat(StrEnum):
    CSV = "csv"
    HL7 = "hl7"
    FHIR = "fhir"


class ExportScope(StrEnum):
    POSTED = "posted"  # billing transactions: posted charges and reversals of charges sent before
    ALL = "all"  # a preview of every line of the dates (held, recorded, verified too): never billing


RENDERERS: dict[ExportFormat, Callable[[RunHeader, Sequence[VisitExport]], str]] = {
    ExportFormat.CSV: to_csv, ExportFormat.HL7: to_hl7, ExportFormat.FHIR: to_fhir_json,
}


@dataclass(frozen=True, slots=True)
class ExportRunView:
    id: int
    format: str
    purpose: str
    created_by: str
    created_at: dt.datetime
    date_from: dt.date | None
    date_to: dt.date | None
    visit_count: int
    transaction_count: int
    sha256: str | None
    resend_of: int | None

    @property
    def control_id(self) -> str:
        return f"ICC{self.id}"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """The file's text, the run recorded for it, and what a person should know before sending it."""

    text: str
    run: ExportRunView
    warnings: tuple[str, ...] = ()


def _view(run: models.ExportRun) -> ExportRunView:
    return ExportRunView(run.id, run.format, run.purpose, run.created_by, run.created_at, run.date_from, run.date_to,
                         run.visit_count, run.transaction_count, run.sha256, run.resend_of_id)


def _warnings(settings: FacilitySettings, fmt: ExportFormat) -> tuple[str, ...]:
    found = []
    if not settings.billing_npi:
        found.append("The facility NPI is not set (Administration, facility settings, identifiers): the file names "
                     "no billing provider.")
    if not settings.unit_prices:
        found.append("No prices are set: line charges are left empty for the billing system to price.")
    if fmt is ExportFormat.HL7 and not settings.receiving_application:
        found.append("No receiving application is set: MSH-5 is empty.")
    return tuple(found)


def _check_dates(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ServiceError(f"The end date {date_to.isoformat()} is before the start date {date_from.isoformat()}.")


def export_since_last(store: Store, export_format: ExportFormat, *, user: str, now: dt.datetime | None = None,
                      deliver: Deliver | None = None) -> ExportResult:
    """Every billing transaction this format has not sent yet, whatever its date of service."""
    return _billing(store, ExportFormat(export_format), None, user=user, now=now, deliver=deliver)


def export_dates(store: Store, export_format: ExportFormat, date_from: dt.date, date_to: dt.date,
                 scope: ExportScope = ExportScope.POSTED, *, user: str, now: dt.datetime | None = None,
                 deliver: Deliver | None = None) -> ExportResult:
    """Dates of service from..to: the billing transactions not sent yet (posted), or a preview of every line."""
    _check_dates(date_from, date_to)
    if ExportScope(scope) is ExportScope.ALL:
        return _preview(store, ExportFormat(export_format), date_from, date_to, user=user, now=now, deliver=deliver)
    return _billing(store, ExportFormat(export_format), (date_from, date_to), user=user, now=now, deliver=deliver)


def export_charges(store: Store, export_format: ExportFormat, date_from: dt.date, date_to: dt.date,
                   scope: ExportScope = ExportScope.POSTED, now: dt.datetime | None = None, *,
                   user: str) -> tuple[str, int]:
    """(file text, number of transactions) for the dates and scope (see export_dates)."""
    result = export_dates(store, export_format, date_from, date_to, scope, user=user, now=now)
    return result.text, result.run.transaction_count


def _load(session: Session, where: Sequence[ColumnElement[bool]] | None, visit_ids: set[int] | None,
          ) -> dict[int, VisitRows]:
    if where is not None:
        return load_visits(session, where)
    visits: dict[int, VisitRows] = {}
    for chunk in chunks(visit_ids or ()):
        visits.update(load_visits(session, [V.id.in_(chunk)]))
    return dict(sorted(visits.items(), key=lambda item: (item[1].date_of_service, item[0])))


def _begin(session: Session, user: str) -> FacilitySettings:
    lock_chain(session)  # one export at a time, and no state change while it reads what to send
    require(session, user, Permission.EXPORT)
    return read_facility_settings(session)


@collector_paused()
def _billing(store: Store, fmt: ExportFormat, dates: tuple[dt.date, dt.date] | None, *, user: str,
             now: dt.datetime | None, deliver: Deliver | None) -> ExportResult:
    moment = now or dt.datetime.now(dt.UTC)
    with store.session_scope() as session:
        settings = _begin(session, user)
        marks: tuple[int, int] | None = None
        if dates is None:
            candidates, *found = changed_visits(session, fmt.value)
            marks = (found[0], found[1])
            visits = _load(session, None, candidates)
        else:
            visits = _load(session, [V.date_of_service >= dates[0], V.date_of_service <= dates[1]], None)
        planned = _plan(session, fmt.value, visits)
        run = models.ExportRun(
            format=fmt.value, purpose=Purpose.BILLING.value, created_by=user, created_at=moment,
            date_from=dates[0] if dates else None, date_to=dates[1] if dates else None,
            visit_count=sum(1 for p in planned.values() if p), transaction_count=sum(map(len, planned.values())),
            state_change_mark=marks[0] if marks else None, code_set_mark=marks[1] if marks else None,
        )
        flat = [p for visit_plan in planned.values() for p in visit_plan]
        ids = iter(record_run(session, run, fmt.value, flat))
        header = RunHeader(run.id, Purpose.BILLING, moment, user, sender_of(settings))
        builder = Builder(settings)
        exports = [builder.visit(visits[vid], [(p, next(ids)) for p in visit_plan])
                   for vid, visit_plan in planned.items() if visit_plan]
        return _finish(session, run, fmt, header, exports, settings, deliver)


def _plan(session: Session, fmt: str, visits: dict[int, VisitRows]) -> dict[int, list[Planned]]:
    sent = outstanding(session, fmt, visits)
    old = load_code_lines(session, old_code_line_ids(visits.values(), sent))
    return {vid: plan(visit, sent.get(vid, {}), old) for vid, visit in visits.items()}


def _finish(session: Session, run: models.ExportRun, fmt: ExportFormat, header: RunHeader,
            exports: Sequence[VisitExport], settings: FacilitySettings, deliver: Deliver | None) -> ExportResult:
    """Render, hash and audit the run; `deliver` writes the file before the run is committed, so a file that
    could not be written leaves nothing recorded as sent."""
    text = RENDERERS[fmt](header, exports)
    run.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    session.flush()
    append_event(session, actor=run.created_by, action="export", entity="export_run", entity_id=run.id, before=None,
                 after={"format": run.format, "purpose": run.purpose, "visits": run.visit_count,
                        "transactions": run.transaction_count, "sha256": run.sha256,
                        "resend_of": run.resend_of_id},
                 occurred_at=run.created_at)
    session.flush()
    if deliver is not None:
        deliver(text)
    return ExportResult(text, _view(run), _warnings(settings, fmt))


@collector_paused()
def _preview(store: Store, fmt: ExportFormat, date_from: dt.date, date_to: dt.date, *, user: str,
             now: dt.datetime | None, deliver: Deliver | None) -> ExportResult:
    moment = now or dt.datetime.now(dt.UTC)
    with store.session_scope() as session:
        settings = _begin(session, user)
        visits = load_visits(session, [V.date_of_service >= date_from, V.date_of_service <= date_to])
        shown = {vid: visit.claim() for vid, visit in visits.items()}
        run = models.ExportRun(format=fmt.value, purpose=Purpose.PREVIEW.value, created_by=user, created_at=moment,
                               date_from=date_from, date_to=date_to, visit_count=sum(1 for c in shown.values() if c),
                               transaction_count=sum(map(len, shown.values())))
        record_run(session, run, fmt.value, [])
        header = RunHeader(run.id, Purpose.PREVIEW, moment, user, sender_of(settings))
        builder = Builder(settings)
        exports = [builder.preview(visits[vid], claim) for vid, claim in shown.items() if claim]
        return _finish(session, run, fmt, header, exports, settings, deliver)


@collector_paused()
def resend_run(store: Store, run_id: int, *, user: str, now: dt.datetime | None = None,
               deliver: Deliver | None = None) -> ExportResult:
    """The transactions of a past billing run, sent again on purpose: same transaction ids, new control ids,
    and the file says it is a re-send of that run (FHS-12/BHS-12, a Bundle tag, the CSV purpose column)."""
    moment = now or dt.datetime.now(dt.UTC)
    with store.session_scope() as session:
        settings = _begin(session, user)
        original = session.get(RUN, run_id) if isinstance(run_id, int) and not isinstance(run_id, bool) else None
        if original is None:
            raise NotFoundError(f"There is no export run {run_id}.")
        if original.purpose == Purpose.RESEND.value and original.resend_of_id is not None:
            original = session.get(RUN, original.resend_of_id) or original
        if original.purpose != Purpose.BILLING.value:
            raise ServiceError(f"Run {original.id} was a {original.purpose}, not billing transactions: there is "
                               "nothing to send again (make a new export instead).")
        fmt = ExportFormat(original.format)
        stored = run_transactions(session, original.id)
        visits = _load(session, None, {row[2] for row in stored})
        current = {line.key for visit in visits.values() for line in visit.code_lines}
        old = load_code_lines(session, {row[3][1] for row in stored if row[3][0] == CODE and row[3] not in current})
        run = models.ExportRun(format=fmt.value, purpose=Purpose.RESEND.value, created_by=user, created_at=moment,
                               visit_count=len({row[2] for row in stored}), transaction_count=len(stored),
                               resend_of_id=original.id)
        record_run(session, run, fmt.value, [])
        header = RunHeader(run.id, Purpose.RESEND, moment, user, sender_of(settings), resend_of=original.id)
        exports = Builder(settings).from_ledger(visits, stored, old)
        return _finish(session, run, fmt, header, exports, settings, deliver)


def mark_sent_through(store: Store, export_format: ExportFormat, day: dt.date, *, user: str,
                      now: dt.datetime | None = None) -> ExportRunView:
    """Record every billing transaction of dates of service up to `day` as sent in this format, without a file:
    for an installation whose older exports already sent them (the first incremental run would send them)."""
    fmt = ExportFormat(export_format)
    moment = now or dt.datetime.now(dt.UTC)
    with store.session_scope() as session:
        _begin(session, user)
        visits = load_visits(session, [V.date_of_service <= day])
        planned = _plan(session, fmt.value, visits)
        flat = [p for visit_plan in planned.values() for p in visit_plan]
        run = models.ExportRun(format=fmt.value, purpose=BASELINE, created_by=user, created_at=moment, date_to=day,
                               visit_count=sum(1 for p in planned.values() if p), transaction_count=len(flat))
        record_run(session, run, fmt.value, flat)
        append_event(session, actor=user, action="export", entity="export_run", entity_id=run.id, before=None,
                     after={"format": fmt.value, "purpose": BASELINE, "through": day.isoformat(),
                            "transactions": len(flat)}, occurred_at=moment)
        return _view(run)


def export_runs(store: Store, export_format: ExportFormat | None = None, *, user: str,
                limit: int = 50) -> list[ExportRunView]:
    """The newest runs first (of one format, or all)."""
    check_permission(store, user, Permission.EXPORT)
    query = select(RUN).order_by(RUN.id.desc()).limit(limit)
    if export_format is not None:
        query = query.where(RUN.format == ExportFormat(export_format).value)
    with store.session_scope(write=False) as session:
        return [_view(run) for run in session.execute(query).scalars()]


__all__ = [
    "ExportFormat", "ExportResult", "ExportRunView", "ExportScope", "export_charges", "export_dates", "export_runs",
    "export_since_last", "mark_sent_through", "resend_run",
]
