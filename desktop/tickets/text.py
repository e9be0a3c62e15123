"""How values read on a ticket: mg, money, NDCs, dates and times, in one consistent form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.sax.saxutils import escape

from desktop.billing.model import LineKind, PayerClass
from desktop.billing.ndc import NdcFormatError, format_ndc11

PAYER_CLASS_NAMES = {
    PayerClass.MEDICARE: "Medicare",
    PayerClass.MEDICARE_ADVANTAGE: "Medicare Advantage",
    PayerClass.MEDICAID: "Medicaid",
    PayerClass.COMMERCIAL: "Commercial",
    PayerClass.SELF_PAY: "Self-pay",
}

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
