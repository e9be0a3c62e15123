"""What every ticket page carries: facility and ticket-number header with barcode, status tags, footer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from desktop.tickets import text
from desktop.tickets.model import TicketData
from desktop.tickets.styles import INK, RULE, ticket_styles

MARGIN = 36.0  # half an inch all round
HEADER_HEIGHT = 64.0  # from the top margin to where the body frame starts
FOOTER_HEIGHT = 26.0
BARCODE_HEIGHT = 24.0


def status_tags(ticket: TicketData) -> list[str]:
    tags = []
    if ticket.void is not None:
        tags.append("VOID")
    if ticket.replaces_ticket:
        tags.append("REPLACEMENT")
    if ticket.reprint:
        tags.append("REPRINT")
    return tags


def _draw_tag(canv: Canvas, right: float, baseline: float, label: str, bold: str) -> float:
    """A white-on-black tag ending at `right`; returns its left edge. Solid black survives any printer."""
    size = 11.0
    width = canv.stringWidth(label, bold, size) + 10
    canv.setFillColor(INK)
    canv.rect(right - width, baseline - 4, width, size + 6, stroke=0, fill=1)
    canv.setFillColor(colors.white)
    canv.setFont(bold, size)
    canv.drawString(right - width + 5, baseline, label)
    canv.setFillColor(INK)
    return right - width


def draw_watermark(canv: Canvas, ticket: TicketData) -> None:
    """A large outlined diagonal VOID behind the content of every page of a voided ticket."""
    if ticket.void is None:
        return
    width, height = canv._pagesize
    bold = ticket_styles().bold
    canv.saveState()
    canv.translate(width / 2, height / 2 - 40)
    canv.rotate(35)
    canv.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
    canv.setLineWidth(2.5)
    label = canv.beginText()
    label.setTextRenderMode(1)  # outline only, so the text behind stays readable
    label.setFont(bold, 190)
    label.setTextOrigin(-canv.stringWidth("VOID", bold, 190) / 2, -60)
    label.textOut("VOID")
    canv.drawText(label)
    canv.restoreState()


def draw_header(canv: Canvas, ticket: TicketData, page_in_ticket: int) -> None:
    styles = ticket_styles()
    width, height = canv._pagesize
    top = height - MARGIN
    right = width - MARGIN
    canv.saveState()
    canv.setFillColor(INK)
    canv.setFont(styles.bold, 13)
    canv.drawString(MARGIN, top - 12, ticket.facility.name)
    canv.setFont(styles.regular, 8.5)
    identifiers = "   ".join(f"{i.label} {i.value}" for i in ticket.facility.identifiers)
    canv.drawString(MARGIN, top - 25, identifiers)
    if ticket.facility.address:
        canv.drawString(MARGIN, top - 36, ticket.facility.address)
    canv.setFont(styles.bold, 9)
    title = "DRUG CHARGE TICKET"
    if page_in_ticket > 1:
        title += (
            f" (continued)   {ticket.patient.name}   MRN {ticket.patient.mrn}   "
            f"DOS {text.date(ticket.date_of_service)}"
        )
    canv.drawString(MARGIN, top - 50, title)

    canv.setFont(styles.regular, 8)
    canv.drawRightString(right, top - 4, "TICKET NUMBER")
    canv.setFont(styles.bold, 15)
    canv.drawRightString(right, top - 19, ticket.ticket_number)
    number_left = right - canv.stringWidth(ticket.ticket_number, styles.bold, 15)
    tag_right = number_left - 10
    for tag in status_tags(ticket):
        tag_right = _draw_tag(canv, tag_right, top - 19, tag, styles.bold) - 6

    barcode = Code128(ticket.ticket_number, barWidth=0.9, barHeight=BARCODE_HEIGHT, humanReadable=False)
    barcode.drawOn(canv, right - barcode.width, top - 26 - BARCODE_HEIGHT)

    rule_y = top - 56
    canv.setStrokeColor(INK)
    canv.setLineWidth(1.2)
    canv.line(MARGIN, rule_y, right, rule_y)
    canv.restoreState()


def draw_footer(canv: Canvas, ticket: TicketData, page: int, pages: int) -> None:
    styles = ticket_styles()
    width, _ = canv._pagesize
    right = width - MARGIN
    y = MARGIN
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN, y + 13, right, y + 13)
    canv.setFillColor(INK)
    canv.setFont(styles.regular, 8)
    printed = f"Printed {text.date_time(ticket.printed_at)}"
    if ticket.reprint:
        printed += " (reprint)"
    canv.drawString(MARGIN, y + 2, printed)
    middle = ticket.ticket_number + ("   VOID: DO NOT BILL" if ticket.void is not None else "")
    canv.setFont(styles.bold, 8.5)
    canv.drawCentredString(width / 2, y + 2, middle)
    canv.setFont(styles.bold, 9.5)
    canv.drawRightString(right, y + 2, f"Page {page} of {pages}")
    canv.restoreState()


FooterPainter = Callable[[Canvas, int, int, int], None]


def numbered_canvas_maker(tickets: Sequence[TicketData]) -> Callable[..., Canvas]:
    """A canvas class that holds pages back until the end, to print "page N of M" per ticket."""

    class TicketCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.ticket_index = 0  # set by the page template of the ticket being drawn
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            totals = Counter(state["ticket_index"] for state in self._held_pages)
            seen: Counter[int] = Counter()
            for state in self._held_pages:
                self.__dict__.update(state)
                index = state["ticket_index"]
                seen[index] += 1
                draw_footer(self, tickets[index], seen[index], totals[index])
                super().showPage()
            super().save()

    return TicketCanvas
