"""Charge tickets from the store: one ticket's PDF, recording that it was printed, and a day's batch."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from db import models
from desktop.billing.model import ClaimLine
from desktop.services.errors import InvalidStateError, NotFoundError, ServiceError
from desktop.services.queries import DETAIL_LOADS, detail_in_session
from desktop.services.settings import FacilitySettings, read_facility_settings
from desktop.services.store import Store
from desktop.services.ticket_mapping import ticket_data, ticket_number
from desktop.services.transitions import mark_ticket_printed
from desktop.services.views import AdministrationDetail, ChargeState, TransitionOutcome
from desktop.services.visit_codes import codes_billing
from desktop.tickets.model import PaperSize, TicketData
from desktop.tickets.render import render_batch, render_ticket

A = models.Administration
# Printing can be recorded only where the store's states allow it (a reprint stays ticket printed).
RECORDABLE_STATES = frozenset({ChargeState.VERIFIED, ChargeState.TICKET_PRINTED})

__all__ = [
    "RECORDABLE_STATES",
    "TicketRender",
    "day_batch_pdf",
    "day_tickets",
    "record_ticket_printed",
    "ticket_number",
    "ticket_pdf",
]


@dataclass(frozen=True, slots=True)
class TicketRender:
    """One rendered ticket and what it was rendered from.

    Pass `sha256` and `version` to `record_ticket_printed` once the pages were
    printed; `recordable` is False when the record's state does not take a
    printed mark (recorded, voided, posted): the PDF is still a valid ticket.
    """

    pdf: bytes
    sha256: str
    ticket_number: str
    reprint: bool
    administration_id: int
    version: int
    state: ChargeState
    recordable: bool


def ticket_pdf(
    store: Store,
    administration_id: int,
    *,
    paper: PaperSize | str | None = None,
    printed_at: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> TicketRender:
    """The charge ticket of one stored administration.

    `paper` None uses the facility's paper size; `printed_at` (default now) and
    `zone` (default this computer's) are for reproducible output. A held record
    gets no ticket (InvalidStateError): it must not reach billing as it is.
    """
    if isinstance(administration_id, bool) or not isinstance(administration_id, int):
        raise NotFoundError(f"{administration_id!r} is not an administration id")
    with store.session_scope(write=False) as session:
        row = session.execute(select(A).where(A.id == administration_id).options(*DETAIL_LOADS)).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"There is no administration {administration_id}.")
        detail = detail_in_session(session, row)
        codes = codes_billing(row)
        settings = read_facility_settings(session)
    _check_printable(detail)
    ticket = _ticket(store, detail, settings, paper, printed_at, zone, codes)
    pdf = render_ticket(ticket)
    return TicketRender(
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), ticket_number=ticket.ticket_number,
        reprint=ticket.reprint, administration_id=detail.id, version=detail.version, state=detail.state,
        recordable=detail.state in RECORDABLE_STATES,
    )


def record_ticket_printed(
    store: Store, administration_id: int, pdf_sha256: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """Mark the record's ticket printed with the SHA-256 of the PDF printed; a reprint is recorded again.

    Pass the `TicketRender.version` as `expected_version` so a record changed
    since the ticket was rendered is refused (ConflictError) instead of being
    marked with a ticket that no longer matches it.
    """
    return mark_ticket_printed(store, administration_id, pdf_sha256, user, expected_version)


def day_tickets(
    store: Store,
    date_of_service: dt.date,
    *,
    nurse: str | None = None,
    chair: str | None = None,
    paper: PaperSize | str | None = None,
    printed_at: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> tuple[TicketData, ...]:
    """Every ticket of a date of service in recording order (voided ones marked VOID; held ones left out).

    `nurse` keeps the administrations of one nurse, `chair` those given at one
    chair (both case-insensitive, surrounding blanks ignored; a blank chair keeps
    every record). Records without a chair match no chair.
    """
    query = (
        select(A).join(models.Visit, models.Visit.id == A.visit_id)
        .where(models.Visit.date_of_service == date_of_service, A.state != ChargeState.HELD.value)
        .order_by(A.id).options(*DETAIL_LOADS)
    )
    with store.session_scope(write=False) as session:
        found = [(detail_in_session(session, row), codes_billing(row)) for row in session.execute(query).scalars()]
        settings = read_facility_settings(session)
    if nurse is not None:
        wanted = nurse.strip().casefold()
        found = [(d, c) for d, c in found if (d.visit.nurse or d.recorded_by).strip().casefold() == wanted]
    if chair is not None and chair.strip():
        wanted_chair = chair.strip().casefold()
        found = [(d, c) for d, c in found if (d.visit.chair or "").strip().casefold() == wanted_chair]
    return tuple(_ticket(store, d, settings, paper, printed_at, zone, c) for d, c in found)


def day_batch_pdf(
    store: Store,
    date_of_service: dt.date,
    *,
    nurse: str | None = None,
    chair: str | None = None,
    paper: PaperSize | str | None = None,
) -> bytes:
    """All tickets of a day in one PDF, each starting a page; NotFoundError when there are none."""
    tickets = day_tickets(store, date_of_service, nurse=nurse, chair=chair, paper=paper)
    if not tickets:
        raise NotFoundError(no_tickets_message(date_of_service, nurse, chair))
    return render_batch(tickets)


def no_tickets_message(date_of_service: dt.date, nurse: str | None = None, chair: str | None = None) -> str:
    who = f" by {nurse}" if nurse else ""
    where = f" at chair {chair.strip()!r}" if chair and chair.strip() else ""
    return f"There are no tickets for {date_of_service.isoformat()}{who}{where} (held records get no ticket)."


def _check_printable(detail: AdministrationDetail) -> None:
    if detail.state is ChargeState.HELD:
        raise InvalidStateError(
            f"Administration {detail.id} is held ({detail.hold_reason or 'no reason given'}); it gets a ticket "
            "once the hold is released, or its replacement does."
        )


def _paper(paper: PaperSize | str | None, settings: FacilitySettings) -> PaperSize:
    if paper is None:
        return settings.paper_size
    try:
        return PaperSize(str(paper).strip().lower())
    except ValueError as exc:
        raise ServiceError(f"The paper size must be letter or a4, not {paper!r}.") from exc


def _ticket(
    store: Store, detail: AdministrationDetail, settings: FacilitySettings, paper: PaperSize | str | None,
    printed_at: dt.datetime | None, zone: dt.tzinfo | None, code_lines: tuple[ClaimLine, ...] = (),
) -> TicketData:
    when = printed_at or dt.datetime.now(dt.UTC)
    return ticket_data(detail, settings, store.rules.catalog, printed_at=when, paper=_paper(paper, settings), zone=zone,
                       code_lines=code_lines)
