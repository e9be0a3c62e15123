"""Shows a ReportDocument on screen: headline figures, the chart, then each table with its note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.facade.reports_types import ReportDocument, ReportTable
from desktop.ui.reports.chart_widget import LineChartWidget
from desktop.ui.widgets import heading, hint, named

ROW_PX = 40


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")[:40]


def table_widget(table: ReportTable) -> QTableWidget:
    widget = named(QTableWidget(len(table.rows), len(table.columns)), "report_table_" + _slug(table.title),
                   table.title)
    widget.setHorizontalHeaderLabels(list(table.columns))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.verticalHeader().setVisible(False)
    widget.verticalHeader().setDefaultSectionSize(ROW_PX)
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c in table.numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, item)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # Tall enough for every row: the page scrolls, not each table.
    widget.setFixedHeight(header.sizeHint().height() + ROW_PX * len(table.rows) + 6)
    widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


class DocumentView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("report_document")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart = LineChartWidget()
        self.chart.setVisible(False)
        self.tables: list[QTableWidget] = []

    def show_document(self, document: ReportDocument) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.chart:
                widget.deleteLater()
        self.tables = []
        title = heading(f"{document.title} \u2014 {document.subtitle}")
        title.setObjectName("report_title")
        self.layout_.addWidget(title)
        if document.facts:
            facts = QFrame()
            facts.setObjectName("report_facts")
            facts.setFrameShape(QFrame.Shape.Box)
            grid = QGridLayout(facts)
            grid.setHorizontalSpacing(18)
            for column, (label, value) in enumerate(document.facts):
                caption = QLabel(label)
                caption.setWordWrap(True)
                grid.addWidget(caption, 0, column)
                grid.setColumnStretch(column, 1)
                figure = QLabel(value)
                figure.setProperty("role", "heading")
                figure.setAccessibleName(f"{label}: {value}")
                grid.addWidget(figure, 1, column)
            self.layout_.addWidget(facts)
        # In the layout first: shown while it has no parent, the chart would open as a window of its own.
        self.layout_.addWidget(self.chart)
        self.chart.set_chart(document.charts[0] if document.charts else None)
        for table in document.tables:
            self.layout_.addWidget(heading(table.title))
            if table.note:
                self.layout_.addWidget(hint(table.note))
            if table.rows:
                widget = table_widget(table)
                self.tables.append(widget)
                self.layout_.addWidget(widget)
            else:
                self.layout_.addWidget(QLabel(table.empty))
        self.layout_.addStretch(1)  # keep everything at the top; the space goes below the last table
