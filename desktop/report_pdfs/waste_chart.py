"""The waste-trend line chart as a ReportLab Drawing: black ink, a marker and dash pattern per series."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from desktop.report_pdfs.report_document import ReportChart
from desktop.tickets.fonts import register_fonts

# Never colour alone: each series differs by marker shape and dash pattern, and the greys print on any printer.
MARKERS = ("FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "Circle", "Square", "Triangle",
           "Diamond", "Cross", "StarFive")
DASHES: tuple[tuple[float, ...] | None, ...] = (None, (6, 3), (2, 2), (8, 3, 2, 3), (1, 3))
INKS = (colors.black, colors.Color(0.25, 0.25, 0.25), colors.Color(0.45, 0.45, 0.45))


def nice_top(value: Decimal) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 x a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = Decimal(10) ** (value.adjusted())
    for step in (1, 2, 5, 10):
        if value <= magnitude * step:
            return float(magnitude * step)
    return float(value)


def chart_drawing(chart: ReportChart, width: float, height: float = 230) -> Drawing:
    regular, bold = register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 14, chart.title, fontName=bold, fontSize=11))
    plot = HorizontalLineChart()
    plot.x, plot.y = 50, 70
    plot.width, plot.height = width - 70, height - 112
    plot.data = [[float(v) for v in s.values] for s in chart.series] or [[0.0]]
    plot.categoryAxis.categoryNames = list(chart.categories) or [""]
    plot.categoryAxis.labels.fontName = regular
    plot.categoryAxis.labels.fontSize = 8
    plot.categoryAxis.labels.angle = 30 if len(chart.categories) > 6 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.categories) > 6 else "n"
    top = max((v for s in chart.series for v in s.values), default=Decimal(0))
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = nice_top(top)
    plot.valueAxis.valueStep = plot.valueAxis.valueMax / 5
    plot.valueAxis.labels.fontName = regular
    plot.valueAxis.labels.fontSize = 8
    plot.valueAxis.visibleGrid = 1
    plot.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    for index in range(len(chart.series)):
        line = plot.lines[index]
        line.strokeColor = INKS[index % len(INKS)]
        line.strokeWidth = 1.6
        line.symbol = makeMarker(MARKERS[index % len(MARKERS)], size=6)
        dash = DASHES[index % len(DASHES)]
        if dash:
            line.strokeDashArray = dash
    drawing.add(plot)
    if chart.value_label:
        drawing.add(String(0, height - 28, chart.value_label, fontName=regular, fontSize=8))
    _legend(drawing, chart, 50, 30, width - 60, regular)
    return drawing


def _legend(drawing: Drawing, chart: ReportChart, x: float, y: float, width: float, font: str) -> None:
    """A legend whose swatches repeat each line's dash pattern and marker, so it reads in black and white."""
    per_row = max(1, int(width // 150))
    for index, series in enumerate(chart.series):
        left = x + (index % per_row) * 150
        top = y - (index // per_row) * 14
        line = Line(left, top + 3, left + 24, top + 3, strokeColor=INKS[index % len(INKS)], strokeWidth=1.6)
        dash = DASHES[index % len(DASHES)]
        if dash:
            line.strokeDashArray = dash
        drawing.add(line)
        marker = makeMarker(MARKERS[index % len(MARKERS)], size=6)
        marker.x, marker.y = left + 12, top + 3
        drawing.add(marker)
        drawing.add(String(left + 30, top, series.name, fontName=font, fontSize=8))
