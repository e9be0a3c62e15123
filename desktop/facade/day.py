"""Today: the day's visits and drugs, voids, tickets and the day's batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.facade.desk import Desk

if TYPE_CHECKING:
    from desktop.records.requests import AdministrationDetail, TransitionOutcome, VisitDetail
    from desktop.services.charge_review.visit_actions import VisitOutcome
    from desktop.services.charge_tickets.tickets import TicketRender, VisitPrintOutcome
    from desktop.services.visits.visit_queries import VisitSummary

Progress = Callable[[int, int], None]


class DayDoor:
    """Blocking calls for the Today page; run each through CollectionOp (a change) or BackgroundQuery (a read)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def visits(self, day: dt.date) -> list[VisitSummary]:
        """The visits of `day`, each with its drugs (voided ones too)."""
        from desktop.services.visits.visit_queries import list_visits

        return list_visits(self.desk.store, day)

    def visit(self, visit_id: int) -> VisitDetail:
        from desktop.services.visits.visit_queries import get_visit

        return get_visit(self.desk.store, visit_id)

    def drug(self, administration_id: int) -> AdministrationDetail:
        from desktop.services.visits.visit_queries import get_administration

        return get_administration(self.desk.store, administration_id)

    def void_visit(self, visit_id: int, reason: str, version: int | None) -> VisitOutcome:
        """Every drug of the visit voided in one transaction, checked against the visit's version."""
        from desktop.services.charge_review.visit_actions import void_visit

        return void_visit(self.desk.store, visit_id, reason, self.desk.user, version)

    def void_drug(self, administration_id: int, reason: str, version: int | None) -> TransitionOutcome:
        from desktop.services.charge_review.transitions import void_administration

        return void_administration(self.desk.store, administration_id, reason, self.desk.user, version)

    def ticket(self, administration_id: int) -> TicketRender:
        """The ticket of the drug's visit, rendered (nothing is recorded until it is printed)."""
        from desktop.services.charge_tickets.tickets import ticket_pdf

        return ticket_pdf(self.desk.store, administration_id)

    def ticket_printed(self, render: TicketRender) -> VisitPrintOutcome:
        """Record that `render` was printed; ConflictError if the visit changed since it was rendered."""
        from desktop.services.charge_tickets.tickets import record_ticket_printed

        return record_ticket_printed(self.desk.store, render.administration_id, render.sha256, self.desk.user,
                                     render.version)

    def day_tickets(self, day: dt.date, nurse: str | None = None, progress: Progress | None = None) -> bytes:
        """Every ticket of `day` (optionally one nurse's) in one PDF; nothing is recorded as printed. `progress`
        hears of the two steps (reading, rendering) and may stop the work between them (OperationCancelled)."""
        from desktop.services.charge_tickets.tickets import day_tickets, no_tickets_message
        from desktop.services.errors import NotFoundError
        from desktop.tickets.ticket_pdf import render_batch

        step = progress or (lambda _done, _total: None)
        step(0, 2)
        tickets = day_tickets(self.desk.store, day, nurse=nurse)
        if not tickets:
            raise NotFoundError(no_tickets_message(day, nurse))
        step(1, 2)
        pdf = render_batch(tickets)
        step(2, 2)
        return pdf
