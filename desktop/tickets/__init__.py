"""ReportLab rendering of charge tickets: ticket data in, PDF bytes out."""

from __future__ import annotations

from desktop.tickets.ticket_data import (
    AcknowledgedFinding,
    Facility,
    FacilityIdentifier,
    PaperSize,
    Patient,
    TicketData,
    TicketDrug,
    TicketFact,
    TicketLine,
    TicketPackage,
    VoidMark,
)
from desktop.tickets.ticket_pdf import render_batch, render_ticket

__all__ = [
    "AcknowledgedFinding",
    "Facility",
    "FacilityIdentifier",
    "PaperSize",
    "Patient",
    "TicketData",
    "TicketDrug",
    "TicketFact",
    "TicketLine",
    "TicketPackage",
    "VoidMark",
    "render_batch",
    "render_ticket",
]
