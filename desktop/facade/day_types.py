"""The records the Today page shows and acts on, for pages that never import a service module.

The ticket types load ReportLab: they are named for annotations only (the window starts without them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.records.requests import (
    AdministrationDetail,
    AdministrationSummary,
    ChargeState,
    TransitionOutcome,
    VisitDetail,
)
from desktop.services.charge_review.visit_actions import VisitOutcome
from desktop.services.visits.visit_queries import VisitSummary

if TYPE_CHECKING:
    from desktop.services.charge_tickets.tickets import TicketRender, VisitPrintOutcome

__all__ = ["AdministrationDetail", "AdministrationSummary", "ChargeState", "TicketRender", "TransitionOutcome",
           "VisitDetail", "VisitOutcome", "VisitPrintOutcome", "VisitSummary"]
