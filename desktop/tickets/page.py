"""What every ticket page carries: facility and ticket-number header with barcode, status tags, footer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from desktop.tickets import text
from desktop.tickets.styles import INK, RULE, ticket_styles
from desktop.tickets.ticket_data import TicketData

MARGIN = 30.0  # 0.42 inch all round: inside any office printer's unprintable edge (about 0.25 inch)
HEADER_HEIGHT = 64.0  # from the top margin to where the body frame starts, with a one-line address
ADDRESS_LEADING = 10.5
MAX_ADDRESS_LINES = 4  # more are joined into the last one
FOOTER_HEIGHT = 26.0
BARCODE_HEIGHT = 24.0
TITLE = "CHARGE TICKET: ONE VISIT, EVERY DRUG"


def address_lines(ticket: TicketData) -> list[str]:
    """The facility address as printed: its own lines (never one line with a break drawn as a box)."""
    lines = [text.one_line(line) for line in ticket.facility.address_lines]
    if len(lines) > MAX_ADDRESS_LINES:
        lines = [*lines[: MAX_ADDRESS_LINES - 1], ", ".join(lines[MAX_ADDRESS_LINES - 1:])]
    return lines or [""]


def header_height(ticket: TicketData) -> float:
    return HEADER_HEIGHT + ADDRESS_LEADING * (len(address_lines(ticket)) - 1)


def _fitted(canv: Canvas, value: str, font: str, size: float, max_width: float) -> tuple[str, float]:
    """Shrink text to fit (down to 70 %), then cut it with an ellipsis, so it never runs under the barcode."""
    smallest = size * 0.7
    while size > smallest and canv.stringWidth(value, font, size) > max_width:
        size -= 0.5
    while len(value) > 1 and canv.stringWidth(value, font, size) > max_width:
        value = value[:-2] + "\u2026"
    return value, size


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
    width = float(canv.stringWidth(label, bold, size)) + 10
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


def _draw_ticket_identity(canv: Canvas, ticket: TicketData, right: float, top: float) -> float:
    """Ticket number, status tags and barcode at the top right; returns the left edge they reach."""
    bold = ticket_styles().bold
    canv.setFont(ticket_styles().regular, 8)
    canv.drawRightString(right, top - 4, "TICKET NUMBER")
    canv.setFont(bold, 15)
    canv.drawRightString(right, top - 19, ticket.ticket_number)
    left = right - canv.stringWidth(ticket.ticket_number, bold, 15)
    for tag in status_tags(ticket):
        left = _draw_tag(canv, left - 8, top - 19, tag, bold)
    barcode = Code128(ticket.ticket_number, barWidth=0.9, barHeight=BARCODE_HEIGHT, humanReadable=False)
    barcode.drawOn(canv, right - barcode.width, top - 26 - BARCODE_HEIGHT)
    return float(min(left, right - barcode.width))


def draw_header(canv: Canvas, ticket: TicketData, page_in_ticket: int) -> None:
    styles = ticket_styles()
    width, height = canv._pagesize
    top = height - MARGIN
    right = width - MARGIN
    canv.saveState()
    canv.setFillColor(INK)
    left_width = _draw_ticket_identity(canv, ticket, right, top) - MARGIN - 12
    title = TITLE + (" (continued)" if page_in_ticket > 1 else "")
    identifiers = "   ".join(f"{i.label} {i.value}" for i in ticket.facility.identifiers)
    address = address_lines(ticket)
    extra = ADDRESS_LEADING * (len(address) - 1)
    lines = [
        (ticket.facility.name, styles.bold, 13.0, top - 12),
        (identifiers, styles.regular, 8.5, top - 25),
        *((line, styles.regular, 8.5, top - 36 - ADDRESS_LEADING * i) for i, line in enumerate(address)),
        (title, styles.bold, 9.0, top - 50 - extra),
    ]
    for line, font, size, y in lines:
        fitted, fitted_size = _fitted(canv, text.one_line(line), font, size, left_width)
        canv.setFont(font, fitted_size)
        canv.drawString(MARGIN, y, fitted)

    rule_y = top - 56 - extra
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

    canv.setFont(styles.bold, 9.5)
    page_text = f"Page {page} of {pages}"
    canv.drawRightString(right, y + 2, page_text)
    number_right = right - canv.stringWidth(page_text, styles.bold, 9.5) - 14
    canv.setFont(styles.bold, 8.5)
    canv.drawRightString(number_right, y + 2, ticket.ticket_number)
    number_left = number_right - canv.stringWidth(ticket.ticket_number, styles.bold, 8.5)
    # Whose ticket on every page, so a page that comes loose still says whose it is.
    dos = text.date(ticket.date_of_service)
    patient = f"{text.one_line(ticket.patient.name)}   MRN {ticket.patient.mrn}   DOS {dos}"
    fitted, size = _fitted(canv, patient, styles.bold, 8.5, number_left - MARGIN - 14)
    canv.setFont(styles.bold, size)
    canv.drawString(MARGIN, y + 2, fitted)

    canv.setFont(styles.regular, 8)
    printed = f"Printed {text.date_time(ticket.printed_at)}"
    if ticket.reprint:
        printed += " (reprint)"
    canv.drawString(MARGIN, y - 8, printed)
    if ticket.void is not None:
        canv.setFont(styles.bold, 8.5)
        canv.drawRightString(right, y - 8, "VOID: DO NOT BILL")
    canv.restoreState()


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
