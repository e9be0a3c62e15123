"""What a report page shows, independent of where it is shown: titled tables of text and line charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A titled table; `numeric` names the columns to right-align; `empty` is said when there are no rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    note: str = ""
    empty: str = "None."
    weights: tuple[float, ...] = ()  # relative column widths; equal when empty


@dataclass(frozen=True, slots=True)
class ChartSeries:
    name: str
    values: tuple[Decimal, ...]  # one per category of the chart


@dataclass(frozen=True, slots=True)
class ReportChart:
    """A line chart over shared categories (e.g. months); each series is drawn with its own marker and dash."""

    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    value_label: str = ""


@dataclass(frozen=True, slots=True)
class ReportDocument:
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...] = ()  # headline figures: (label, value)
    tables: tuple[ReportTable, ...] = ()
    charts: tuple[ReportChart, ...] = field(default_factory=tuple)
