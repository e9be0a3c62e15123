"""Render a ReportDocument to PDF bytes: landscape Letter, embedded font, invariant, page N of M in the footer."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus.tables import LongTable

from desktop.report_pdfs.report_document import ReportDocument, ReportTable
from desktop.report_pdfs.waste_chart import chart_drawing
from desktop.tickets.fonts import register_fonts
from desktop.tickets.styles import RULE, SHADE, table_style, ticket_styles
from desktop.tickets.text import markup as escape

PAGE = landscape(LETTER)
MARGIN = 0.5 * inch


def _table(table: ReportTable, width: float) -> list[Flowable]:
    styles = ticket_styles()
    story: list[Flowable] = [Paragraph(escape(table.title), styles.heading)]
    if table.note:
        story.append(Paragraph(escape(table.note), styles.small))
    if not table.rows:
        story.append(Paragraph(escape(table.empty), styles.body))
        return story
    head = [Paragraph(escape(c), styles.head_cell_right if i in table.numeric else styles.head_cell)
            for i, c in enumerate(table.columns)]
    body = [[Paragraph(escape(v), styles.cell_right if i in table.numeric else styles.cell)
             for i, v in enumerate(row)] for row in table.rows]
    weights = table.weights if len(table.weights) == len(table.columns) else (1.0,) * len(table.columns)
    widths = [width * w / sum(weights) for w in weights]
    grid = LongTable([head, *body], repeatRows=1, colWidths=widths)
    grid.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(grid)
    return story


def _facts(document: ReportDocument, width: float) -> list[Flowable]:
    if not document.facts:
        return []
    styles = ticket_styles()
    cells = [[Paragraph(escape(label), styles.label) for label, _ in document.facts],
             [Paragraph(escape(value), styles.banner_title) for _, value in document.facts]]
    box = Table(cells, colWidths=[width / len(document.facts)] * len(document.facts))
    box.setStyle(table_style([("BOX", (0, 0), (-1, -1), 1, RULE), ("LINEAFTER", (0, 0), (-2, -1), 0.5, RULE)]))
    return [box, Spacer(1, 8)]


def _footer(title: str):  # type: ignore[no-untyped-def]
    class NumberedCanvas(Canvas):
        """Defers pages so the footer can say "page N of M"."""

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self.setFont(register_fonts()[0], 8)
                self.drawString(MARGIN, MARGIN / 2, title)
                self.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, f"page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_report(document: ReportDocument) -> bytes:
    """The report as a PDF: title, headline figures, charts, then every table (rows split across pages)."""
    styles = ticket_styles()
    buffer = io.BytesIO()
    width = PAGE[0] - 2 * MARGIN
    frame = Frame(MARGIN, MARGIN, width, PAGE[1] - 2 * MARGIN, id="body")
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE, pageTemplates=[PageTemplate(id="report", frames=[frame])], invariant=1,
        initialFontName=register_fonts()[0], title=document.title, subject=document.subtitle,
        creator="Infusion Charge Capture", author="Infusion Charge Capture",
    )
    story: list[Flowable] = [Paragraph(escape(document.title), styles.banner_title),
                             Paragraph(escape(document.subtitle), styles.banner_text), Spacer(1, 8)]
    story += _facts(document, width)
    for chart in document.charts:
        story += [KeepTogether([chart_drawing(chart, width)]), Spacer(1, 6)]
    for table in document.tables:
        story += _table(table, width)
        story.append(Spacer(1, 6))
    doc.build(story, canvasmaker=_footer(f"{document.title}: {document.subtitle}"))
    return buffer.getvalue()
