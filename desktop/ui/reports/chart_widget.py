"""A line chart drawn with QPainter: one series per drug, each with its own marker and dash (never colour alone)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.facade.reports_types import ReportChart, nice_top

DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine,
          Qt.PenStyle.DashDotDotLine)
INKS = (QColor("#111111"), QColor("#0b4f9c"), QColor("#5c3b00"))
MARKERS = ("circle", "square", "triangle", "diamond", "cross")


def _marker(painter: QPainter, kind: str, at: QPointF, size: float = 6.0) -> None:
    if kind == "circle":
        painter.drawEllipse(at, size, size)
    elif kind == "square":
        painter.drawRect(QRectF(at.x() - size, at.y() - size, 2 * size, 2 * size))
    elif kind == "triangle":
        painter.drawPolygon([QPointF(at.x(), at.y() - size), QPointF(at.x() - size, at.y() + size),
                             QPointF(at.x() + size, at.y() + size)])
    elif kind == "diamond":
        painter.drawPolygon([QPointF(at.x(), at.y() - size), QPointF(at.x() + size, at.y()),
                             QPointF(at.x(), at.y() + size), QPointF(at.x() - size, at.y())])
    else:
        painter.drawLine(QPointF(at.x() - size, at.y() - size), QPointF(at.x() + size, at.y() + size))
        painter.drawLine(QPointF(at.x() - size, at.y() + size), QPointF(at.x() + size, at.y() - size))


class LineChartWidget(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("report_chart")
        self.setAccessibleName("Waste trend chart")
        self.chart: ReportChart | None = None
        self.setMinimumHeight(300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(900, 320)

    def set_chart(self, chart: ReportChart | None) -> None:
        self.chart = chart
        self.setVisible(chart is not None)
        if chart is not None:  # the numbers in words, for screen readers
            self.setAccessibleDescription("; ".join(
                f"{s.name}: " + ", ".join(f"{c} {v.normalize():f}" for c, v in zip(chart.categories, s.values,
                                                                                 strict=True))
                for s in chart.series))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        chart = self.chart
        if chart is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        font.setPointSize(11)
        painter.setFont(font)
        legend_rows = (len(chart.series) + 2) // 3
        plot = QRectF(70, 34, self.width() - 100, self.height() - 90 - 22 * legend_rows)
        top = max((v for s in chart.series for v in s.values), default=Decimal(0))
        ceiling = nice_top(top)
        painter.setPen(QPen(QColor("#111111"), 1))
        painter.drawText(QPointF(8, 20), f"{chart.title} ({chart.value_label})")
        for step in range(6):
            y = plot.bottom() - plot.height() * step / 5
            painter.setPen(QPen(QColor("#d0d0d0"), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QPen(QColor("#111111"), 1))
            painter.drawText(QRectF(0, y - 10, plot.left() - 8, 20), int(Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter), f"{ceiling * step / 5:g}")
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        count = max(1, len(chart.categories))
        xs = [plot.left() + plot.width() * (i + 0.5) / count for i in range(count)]
        for x, label in zip(xs, chart.categories, strict=False):
            painter.drawText(QRectF(x - 50, plot.bottom() + 4, 100, 20), int(Qt.AlignmentFlag.AlignCenter), label)
        for index, series in enumerate(chart.series):
            pen = QPen(INKS[index % len(INKS)], 2.5, DASHES[index % len(DASHES)])
            painter.setPen(pen)
            points = [QPointF(x, plot.bottom() - plot.height() * float(v) / ceiling)
                      for x, v in zip(xs, series.values, strict=False)]
            if len(points) > 1:
                painter.drawPolyline(points)
            painter.setPen(QPen(INKS[index % len(INKS)], 2))
            painter.setBrush(INKS[index % len(INKS)] if index < len(MARKERS) else Qt.BrushStyle.NoBrush)
            for point in points:
                _marker(painter, MARKERS[index % len(MARKERS)], point)
            left = 70 + (index % 3) * 300
            y = plot.bottom() + 40 + (index // 3) * 22
            painter.setPen(pen)
            painter.drawLine(QPointF(left, y), QPointF(left + 40, y))
            _marker(painter, MARKERS[index % len(MARKERS)], QPointF(left + 20, y), 5)
            painter.setPen(QPen(QColor("#111111"), 1))
            painter.drawText(QPointF(left + 50, y + 5), series.name)
        painter.end()
