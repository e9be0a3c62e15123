"""Paragraph and table styles of the ticket: black on white, weight and rules instead of colour."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from desktop.tickets.fonts import register_fonts

INK = colors.black
# A light grey that still prints as a visible tint on a cheap laser printer; never carries meaning alone.
SHADE = colors.Color(0.88, 0.88, 0.88)
RULE = colors.Color(0.35, 0.35, 0.35)


@dataclass(frozen=True)
class TicketStyles:
    regular: str
    bold: str
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_narrow: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle
    head_cell_right: ParagraphStyle
    banner_title: ParagraphStyle
    banner_text: ParagraphStyle


@cache
def ticket_styles() -> TicketStyles:
    regular, bold = register_fonts()

    def style(name: str, font: str, size: float, leading: float, **extra: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, textColor=INK, **extra)

    return TicketStyles(
        regular=regular,
        bold=bold,
        body=style("body", regular, 9.5, 12),
        small=style("small", regular, 8, 10),
        label=style("label", regular, 7.5, 9),
        value=style("value", bold, 10.5, 13),
        heading=style("heading", bold, 11, 13, spaceBefore=6, spaceAfter=2, keepWithNext=1),
        cell=style("cell", regular, 9.5, 11.5),
        cell_narrow=style("cell_narrow", regular, 9, 11),
        cell_bold=style("cell_bold", bold, 10, 12),
        cell_right=style("cell_right", regular, 9.5, 11.5, alignment=TA_RIGHT),
        head_cell=style("head_cell", bold, 8, 9.5),
        head_cell_right=style("head_cell_right", bold, 8, 9.5, alignment=TA_RIGHT),
        banner_title=style("banner_title", bold, 16, 19),
        banner_text=style("banner_text", regular, 10.5, 13),
    )


def table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """A TableStyle whose plain-string cells use the embedded font, never ReportLab's default Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), ticket_styles().regular, 9.5), *commands])
