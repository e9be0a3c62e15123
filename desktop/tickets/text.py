"""How values read on a ticket: mg, money, NDCs, dates and times, in one consistent form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from desktop.billing.model import LineKind
from desktop.billing.ndc import NdcFormatError, format_ndc11

LINE_KIND_NAMES = {
    LineKind.ADMINISTERED: "Given",
    LineKind.DISCARDED: "Discarded",
    LineKind.ADMINISTRATION: "Admin.",
}

DASH = "\u2014"


def number(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 275.0 -> 275, 13.750 -> 13.75."""
    return format(value.normalize(), "f")


def mg(value: Decimal) -> str:
    """Milligrams with thousands grouped, for people: 1,000 mg."""
    return f"{value.normalize():,f} mg"


def money(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else DASH


def time_of_day(value: dt.datetime | None) -> str:
    """Clock time with its zone, as documented: 09:05 EST."""
    if value is None:
        return DASH
    return f"{value:%H:%M} {value.tzname() or ''}".strip()


def time_span(start: dt.datetime | None, stop: dt.datetime | None) -> str:
    """09:10\u201309:42 EST, the zone said once when both ends are in it; a dash for an end not documented."""
    if start is not None and stop is not None and start.tzname() == stop.tzname():
        return f"{start:%H:%M}\u2013{time_of_day(stop)}"
    return f"{time_of_day(start)} to {time_of_day(stop)}"


def date_time(value: dt.datetime | None) -> str:
    if value is None:
        return DASH
    return f"{value:%Y-%m-%d %H:%M} {value.tzname() or ''}".strip()


def minutes_between(start: dt.datetime | None, stop: dt.datetime | None) -> str:
    if start is None or stop is None:
        return ""
    minutes = int((stop - start).total_seconds() // 60)
    return f"{minutes}\u00a0min"  # no break inside "255 min" when the column is narrow (A4)


def ndc_hyphenated(ndc11: str) -> str:
    """00078066913 -> 00078-0669-13, or the text unchanged when it is not 11 digits."""
    try:
        return format_ndc11(ndc11)
    except NdcFormatError:
        return ndc11


def markup(text: str) -> str:
    """Escape text for a ReportLab Paragraph."""
    return escape(text)


def or_dash(text: str) -> str:
    return text if text.strip() else DASH


UNPRINTABLE = "\ufffd"  # drawn as itself (the font has it) instead of the font's empty "missing glyph" box


@cache
def _covered() -> frozenset[int]:
    from reportlab.pdfbase.pdfmetrics import getFont

    from desktop.tickets.fonts import register_fonts

    regular, bold = register_fonts()
    return frozenset(getFont(regular).face.charToGlyph) & frozenset(getFont(bold).face.charToGlyph)


def printable(value: str) -> str:
    """Text the ticket font can draw: tabs and other control characters become spaces (line breaks stay,
    to break lines), characters outside the font become U+FFFD rather than an empty box."""
    if value.isascii() and value.isprintable():
        return value
    covered = _covered()
    return "".join(
        c if c == "\n" or (ord(c) in covered and c.isprintable()) or c == "\u00a0"
        else " " if not c.isprintable() else UNPRINTABLE
        for c in value.replace("\r\n", "\n")
    )


def one_line(value: str) -> str:
    """Line breaks (and the blanks around them) as single spaces, for text drawn on one line (headers, footers)."""
    return " ".join(part.strip() for part in printable(value).split("\n") if part.strip())
