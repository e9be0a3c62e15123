"""Charge tickets from the store, one per visit: its PDF, recording that it was printed, and a day's batch."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.audit import lock_chain
from desktop.billing.model import ClaimLine, PayerClass
from desktop.records.charge_states import ACTION_FROM, TICKET_PRINTABLE_STATES, ChargeAction, state_name
from desktop.records.requests import ChargeState, TransitionOutcome, VisitDetail
from desktop.services.charge_review.transitions import SHA256_HEX, transition_in_session
from desktop.services.charge_tickets.ticket_mapping import AllowanceFor, TicketContext, ticket_number, visit_ticket_data
from desktop.services.errors import ConflictError, InvalidStateError, NotFoundError, ServiceError
from desktop.services.facility.settings import FacilitySettings, read_facility_settings
from desktop.services.people.roles import Permission, require
from desktop.services.storage.store import Store
from desktop.services.validation import check_text
from desktop.services.visits.visit_queries import VISIT_LOADS, visit_in_session
from desktop.tickets.ticket_data import PaperSize, TicketData
from desktop.tickets.ticket_pdf import render_batch, render_ticket

A = models.Administration
V = models.Visit

__all__ = [
    "TicketRender",
    "VisitPrintOutcome",
    "day_batch_pdf",
    "day_tickets",
    "record_ticket_printed",
    "record_visit_ticket_printed",
    "ticket_number",
    "ticket_pdf",
    "visit_ticket_pdf",
]


@dataclass(frozen=True, slots=True)
class TicketRender:
    """One rendered visit ticket and what it was rendered from.

    Pass `sha256` and `version` (the visit's version) to `record_ticket_printed` once the pages were printed;
    `recordable` is False when no drug of the visit takes a printed mark (recorded, voided, posted): the PDF
    is still a valid ticket. `administration_id` and `state` are the drug it was asked for (the visit's first
    drug when it was asked for by visit).
    """

    pdf: bytes
    sha256: str
    ticket_number: str
    reprint: bool
    administration_id: int
    version: int
    state: ChargeState
    recordable: bool
    visit_id: int = 0
    visit_state: ChargeState | None = None  # None: the drugs are in different states
    recordable_ids: tuple[int, ...] = ()  # the drugs that printing marks ticket printed


@dataclass(frozen=True, slots=True)
class VisitPrintOutcome(TransitionOutcome):
    """The drug asked for after printing (`id`, `state`, `version`), and what printing did to the whole visit."""

    visit_id: int = 0
    visit_version: int = 0
    marked: tuple[TransitionOutcome, ...] = ()  # every drug marked ticket printed
    not_marked: tuple[tuple[int, ChargeState], ...] = ()  # the visit's other drugs and the state that kept them


def visit_ticket_pdf(
    store: Store,
    visit_id: int,
    *,
    paper: PaperSize | str | None = None,
    printed_at: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
    allowance_for: AllowanceFor | None = None,
) -> TicketRender:
    """The charge ticket of one stored visit: every drug and its administration codes.

    `paper` None uses the facility's paper size; `printed_at` (default now) and `zone` (default the facility's
    time zone, else this computer's) are for reproducible output. A visit with a held drug gets no ticket
    (InvalidStateError): it must not reach billing as it is.
    """
    if isinstance(visit_id, bool) or not isinstance(visit_id, int):
        raise NotFoundError(f"{visit_id!r} is not a visit number")
    with store.session_scope(write=False) as session:
        row = session.execute(select(V).where(V.id == visit_id).options(*VISIT_LOADS)).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"There is no visit {visit_id}.")
        visit, context = _read(session, [row], store, paper, printed_at, zone, allowance_for)[0]
    return _render(visit, context, None)


def ticket_pdf(
    store: Store,
    administration_id: int,
    *,
    paper: PaperSize | str | None = None,
    printed_at: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
    allowance_for: AllowanceFor | None = None,
) -> TicketRender:
    """The charge ticket of the visit this administration (one drug) belongs to; see `visit_ticket_pdf`."""
    if isinstance(administration_id, bool) or not isinstance(administration_id, int):
        raise NotFoundError(f"{administration_id!r} is not an administration id")
    with store.session_scope(write=False) as session:
        visit_id = session.execute(select(A.visit_id).where(A.id == administration_id)).scalar_one_or_none()
        if visit_id is None:
            raise NotFoundError(f"There is no administration {administration_id}.")
        row = session.execute(select(V).where(V.id == visit_id).options(*VISIT_LOADS)).scalar_one()
        visit, context = _read(session, [row], store, paper, printed_at, zone, allowance_for)[0]
    return _render(visit, context, administration_id)


def record_ticket_printed(
    store: Store, administration_id: int, pdf_sha256: str, user: str, expected_version: int | None = None
) -> VisitPrintOutcome:
    """Mark the ticket of this drug's visit printed (see `record_visit_ticket_printed`); `expected_version` is
    the visit's version, `TicketRender.version`."""
    if isinstance(administration_id, bool) or not isinstance(administration_id, int):
        raise NotFoundError(f"{administration_id!r} is not an administration id")
    with store.session_scope(write=False) as session:
        visit_id = session.execute(select(A.visit_id).where(A.id == administration_id)).scalar_one_or_none()
    if visit_id is None:
        raise NotFoundError(f"There is no administration {administration_id}.")
    return record_visit_ticket_printed(store, visit_id, pdf_sha256, user, expected_version,
                                       administration_id=administration_id)


def record_visit_ticket_printed(
    store: Store, visit_id: int, pdf_sha256: str, user: str, expected_version: int | None = None, *,
    administration_id: int | None = None,
) -> VisitPrintOutcome:
    """Mark every drug of the visit that the state allows (verified, or printed before: a reprint) ticket printed
    with the SHA-256 of the PDF printed, in one transaction.

    Pass the `TicketRender.version` as `expected_version`: a visit changed since its ticket was rendered (a drug
    added, voided, verified) is refused (ConflictError) instead of being marked with a ticket that no longer
    matches it. Drugs in other states (recorded, posted, voided) are left as they are and listed.
    """
    digest = (pdf_sha256 or "").strip().lower()
    if len(digest) != 64 or not set(digest) <= SHA256_HEX:
        raise ServiceError("the ticket's SHA-256 must be 64 hexadecimal characters")
    user = check_text(user, "the user name")
    with store.session_scope() as session:
        lock_chain(session)
        visit = session.execute(select(V).where(V.id == visit_id)).scalar_one_or_none()
        if visit is None:
            raise NotFoundError(f"There is no visit {visit_id}.")
        if expected_version is not None and visit.version != expected_version:
            raise ConflictError(
                f"The visit of ticket {ticket_number(visit.id)} was changed by someone else since its ticket was "
                f"made (version {visit.version}; the ticket shows version {expected_version}). Make the ticket "
                "again and print that one; nothing was marked.", current_version=visit.version)
        require(session, user, Permission.PRINT_TICKET)
        rows = list(visit.administrations)
        _refuse_held(visit.id, [(r.id, ChargeState(r.state), r.hold_reason) for r in rows])
        wanted = [r for r in rows if ChargeState(r.state) in TICKET_PRINTABLE_STATES]
        if not wanted:
            states = ", ".join(sorted({state_name(ChargeState(r.state)) for r in rows}))
            raise InvalidStateError(
                f"No drug of ticket {ticket_number(visit.id)} can be marked printed: they are {states}, and "
                "printing is recorded only from: verified, ticket printed.")
        marked = tuple(
            transition_in_session(session, r, user, to_state=ChargeState.TICKET_PRINTED, reason=None,
                                  allowed_from=ACTION_FROM[ChargeAction.PRINT_TICKET], ticket_sha256=digest)
            for r in wanted
        )
        asked = next((r for r in rows if r.id == administration_id), wanted[0])
        return VisitPrintOutcome(
            id=asked.id, state=ChargeState(asked.state), version=asked.version, visit_id=visit.id,
            visit_version=visit.version, marked=marked,
            not_marked=tuple((r.id, ChargeState(r.state)) for r in rows if r not in wanted),
        )


def day_tickets(
    store: Store,
    date_of_service: dt.date,
    *,
    nurse: str | None = None,
    chair: str | None = None,
    paper: PaperSize | str | None = None,
    printed_at: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
    allowance_for: AllowanceFor | None = None,
) -> tuple[TicketData, ...]:
    """One ticket per visit of a date of service, in recording order (voided visits marked VOID; a visit with a
    held drug left out).

    `nurse` keeps the visits of one nurse (the visit's nurse, else who recorded it), `chair` those at one chair
    (both case-insensitive, surrounding blanks ignored; a blank chair keeps every visit). Visits without a
    chair match no chair.
    """
    query = select(V).where(V.date_of_service == date_of_service).order_by(V.id).options(*VISIT_LOADS)
    with store.session_scope(write=False) as session:
        rows = [r for r in session.execute(query).scalars() if r.administrations and not _held(r)]
        if nurse is not None:
            wanted = nurse.strip().casefold()
            rows = [r for r in rows if (r.nurse or r.recorded_by).strip().casefold() == wanted]
        if chair is not None and chair.strip():
            wanted_chair = chair.strip().casefold()
            rows = [r for r in rows if (r.chair or "").strip().casefold() == wanted_chair]
        read = _read(session, rows, store, paper, printed_at, zone, allowance_for)
    return tuple(visit_ticket_data(visit, context) for visit, context in read)


def day_batch_pdf(
    store: Store,
    date_of_service: dt.date,
    *,
    nurse: str | None = None,
    chair: str | None = None,
    paper: PaperSize | str | None = None,
) -> bytes:
    """Every visit's ticket of a day in one PDF, each starting a page; NotFoundError when there are none."""
    tickets = day_tickets(store, date_of_service, nurse=nurse, chair=chair, paper=paper)
    if not tickets:
        raise NotFoundError(no_tickets_message(date_of_service, nurse, chair))
    return render_batch(tickets)


def no_tickets_message(date_of_service: dt.date, nurse: str | None = None, chair: str | None = None) -> str:
    who = f" by {nurse}" if nurse else ""
    where = f" at chair {chair.strip()!r}" if chair and chair.strip() else ""
    return (f"There are no tickets for {date_of_service.isoformat()}{who}{where} (a visit with a held drug gets "
            "no ticket).")


def _held(row: models.Visit) -> bool:
    return any(a.state == ChargeState.HELD.value for a in row.administrations)


def _refuse_held(visit_id: int, drugs: Iterable[tuple[int, ChargeState, str | None]]) -> None:
    for administration_id, state, hold_reason in drugs:
        if state is ChargeState.HELD:
            raise InvalidStateError(
                f"Administration {administration_id} of visit {visit_id} is held ({hold_reason or 'no reason given'}"
                "); the visit gets a ticket once the hold is released, or the drug is voided or corrected."
            )


def _read(
    session: Session, rows: list[models.Visit], store: Store, paper: PaperSize | str | None,
    printed_at: dt.datetime | None, zone: dt.tzinfo | None, allowance_for: AllowanceFor | None,
) -> list[tuple[VisitDetail, TicketContext]]:
    """The visits' details and one shared context: settings, the people named, visits of corrections."""
    settings = read_facility_settings(session)
    visits = [visit_in_session(session, row) for row in rows]
    names: set[str] = set()
    linked: set[int] = set()
    for visit in visits:
        names |= {visit.facts.nurse or "", visit.recorded_by, *(c.created_by for c in visit.code_sets)}
        for adm in visit.administrations:
            names |= {adm.recorded_by, *(h.changed_by for h in adm.history),
                      *(a.acknowledged_by for a in adm.acknowledgements)}
            linked |= {i for i in (adm.replaces_id, adm.replaced_by_id) if i is not None}
    names.discard("")
    people: dict[str, str] = {}
    if names:
        query = select(models.User.username, models.User.display_name).where(
            models.User.username.in_(names), models.User.display_name.is_not(None))
        people = {username: display for username, display in session.execute(query) if display is not None}
    other_visits: dict[int, int] = {}
    if linked:
        other_visits = {i: v for i, v in session.execute(select(A.id, A.visit_id).where(A.id.in_(linked)))}
    context = TicketContext(
        settings=settings, catalog=store.rules.catalog, printed_at=printed_at or dt.datetime.now(dt.UTC),
        paper=_paper(paper, settings), zone=zone or facility_zone(settings), people=people,
        other_visits=other_visits, allowance_for=allowance_for,
    )
    if allowance_for is not None:
        return [(visit, context) for visit in visits]
    medicare = medicare_allowances(session, [v.date_of_service for v in visits if v.payer_class in MEDICARE])
    return [(visit, replace(context, allowance_for=medicare if visit.payer_class in MEDICARE else None))
            for visit in visits]


MEDICARE = frozenset({PayerClass.MEDICARE, PayerClass.MEDICARE_ADVANTAGE})


def medicare_allowances(session: Session, days: list[dt.date]) -> AllowanceFor | None:
    """The allowance hook (issue 14): the ASP payment limit in force on the date of service x the units of a drug
    line (JW lines too); None when no pricing file is in force on any of the days, so the column stays away.
    Only Medicare visits get it: other payers set their own prices."""
    from desktop.billing.reference import DRUG_LINE_KINDS, allowance
    from desktop.services.facility.reference.in_force import limits_on_days

    limits = limits_on_days(session, days) if days else {}
    if not any(limits.values()):
        return None

    def allowance_for(line: ClaimLine, day: dt.date) -> Decimal | None:
        if line.kind not in DRUG_LINE_KINDS:
            return None
        return allowance(limits.get(day, {}).get(line.hcpcs), line.units)

    return allowance_for


def facility_zone(settings: FacilitySettings) -> dt.tzinfo | None:
    """The facility's time zone when its settings name one (IANA, e.g. America/Chicago), else None: this
    computer's zone. Every workstation sharing a database then prints the same times."""
    name = getattr(settings, "time_zone", None)  # the setting arrives with the chair work (issue 12 item 4)
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _render(visit: VisitDetail, context: TicketContext, administration_id: int | None) -> TicketRender:
    _refuse_held(visit.id, [(a.id, a.state, a.hold_reason) for a in visit.administrations])
    ticket = visit_ticket_data(visit, context)
    pdf = render_ticket(ticket)
    asked = next((a for a in visit.administrations if a.id == administration_id), visit.administrations[0])
    recordable = tuple(a.id for a in visit.administrations if a.state in TICKET_PRINTABLE_STATES)
    return TicketRender(
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), ticket_number=ticket.ticket_number, reprint=ticket.reprint,
        administration_id=asked.id, version=visit.version, state=asked.state, recordable=bool(recordable),
        visit_id=visit.id, visit_state=visit.state, recordable_ids=recordable,
    )


def _paper(paper: PaperSize | str | None, settings: FacilitySettings) -> PaperSize:
    if paper is None:
        return settings.paper_size
    try:
        return PaperSize(str(paper).strip().lower())
    except ValueError as exc:
        raise ServiceError(f"The paper size must be letter or a4, not {paper!r}.") from exc
