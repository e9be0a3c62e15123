"""The embedded ticket fonts (DejaVu Sans, shipped in resources/fonts), registered once with ReportLab."""

from __future__ import annotations

from functools import cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "TicketSans"
BOLD = "TicketSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces (idempotent) and return their ReportLab names."""
    fonts_dir = resources.files("resources") / "fonts"
    for name, filename in _FILES.items():
        # as_file gives a real path even from a zipped install; TTFont reads the file whole.
        with resources.as_file(fonts_dir / filename) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, face)
    return REGULAR, BOLD
