"""Turn tickets into PDF bytes: one ticket, or a batch where each ticket starts a page and counts its own."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

from desktop.tickets.fonts import register_fonts
from desktop.tickets.page import (
    FOOTER_HEIGHT,
    MARGIN,
    draw_header,
    draw_watermark,
    header_height,
    numbered_canvas_maker,
)
from desktop.tickets.sections import ticket_story
from desktop.tickets.ticket_data import PaperSize, TicketData

PAGE_SIZES: dict[PaperSize, tuple[float, float]] = {PaperSize.LETTER: LETTER, PaperSize.A4: A4}


def _frame(page_size: tuple[float, float], header: float) -> Frame:
    width, height = page_size
    bottom = MARGIN + FOOTER_HEIGHT
    return Frame(
        MARGIN,
        bottom,
        width - 2 * MARGIN,
        height - MARGIN - header - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )


def _page_template(index: int, ticket: TicketData) -> PageTemplate:
    page_size = PAGE_SIZES[ticket.paper]
    pages_drawn = 0

    def on_page(canv: Canvas, _doc: BaseDocTemplate) -> None:
        nonlocal pages_drawn
        pages_drawn += 1
        canv.ticket_index = index  # read back by the numbered canvas
        draw_watermark(canv, ticket)
        draw_header(canv, ticket, pages_drawn)

    frame = _frame(page_size, header_height(ticket))
    return PageTemplate(id=f"ticket-{index}", frames=[frame], onPage=on_page, pagesize=page_size)


def _build(tickets: Sequence[TicketData], title: str) -> bytes:
    if not tickets:
        raise ValueError("no tickets to render")
    buffer = io.BytesIO()
    first_size = PAGE_SIZES[tickets[0].paper]
    doc = BaseDocTemplate(
        buffer,
        pagesize=first_size,
        pageTemplates=[_page_template(i, t) for i, t in enumerate(tickets)],
        invariant=1,  # no timestamps or random ids: the same ticket gives the same bytes
        initialFontName=register_fonts()[0],  # else every page references a non-embedded Helvetica
        title=title,
        author=tickets[0].facility.name,
        subject="Drug charge ticket",
        creator="Infusion Charge Capture",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    story: list[Flowable] = []
    for index, ticket in enumerate(tickets):
        if index:
            story += [NextPageTemplate(f"ticket-{index}"), PageBreak()]
        width = PAGE_SIZES[ticket.paper][0] - 2 * MARGIN
        story += ticket_story(ticket, width)
    maker: Callable[..., Canvas] = numbered_canvas_maker(tickets)
    doc.build(story, canvasmaker=maker)
    return buffer.getvalue()


def render_ticket(ticket: TicketData) -> bytes:
    """One ticket as a PDF document."""
    return _build([ticket], f"Charge ticket {ticket.ticket_number}")


def render_batch(tickets: Sequence[TicketData]) -> bytes:
    """Several tickets in one PDF; each starts on a new page and is numbered "page N of M" on its own."""
    return _build(list(tickets), f"Charge tickets ({len(tickets)})")
