"""The Reports page: choose a report and dates, read it on screen, save the same report as a PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.report_pdfs.report_document import ReportDocument
from desktop.services.charge_reports.reports import report_document, report_pdf
from desktop.services.storage.store import Store
from desktop.ui.reports.document_view import DocumentView
from desktop.ui.reports.export_panel import ExportPanel
from desktop.ui.widgets import button, heading, named
from desktop.ui.worker import BackgroundQuery

REPORTS = (("Reconciliation", "reconciliation"), ("Drug waste", "waste"), ("340B units", "340b"))


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class ReportsPage(QWidget):
    def __init__(self, store: Store, user_provider: Callable[[], str], today: dt.date | None = None) -> None:
        super().__init__()
        self.setObjectName("reports_page")
        self.setAccessibleName("Reports")
        self.store = store
        self.user_provider = user_provider
        self.document: ReportDocument | None = None
        self.runner = BackgroundQuery(self)
        day = today or dt.date.today()
        self.kind = named(QComboBox(), "report_kind", "Report")
        self.kind.addItems([label for label, _ in REPORTS])
        self.date_from = self._date_edit("report_date_from", "From date of service", day)
        self.date_to = self._date_edit("report_date_to", "To date of service", day)
        self.show_button = button("&Show report", "report_show", "Show the report")
        self.show_button.setDefault(True)
        self.pdf_button = button("Save as &PDF\u2026", "report_save_pdf", "Save the report as a PDF file")
        self.pdf_button.setEnabled(False)
        self.status = named(QLabel(""), "report_status", "Report status")
        self.status.setProperty("role", "hint")
        self.view = DocumentView()
        scroll = named(QScrollArea(), "report_scroll", "Report")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        bar = QHBoxLayout()
        bar.setSpacing(10)
        for caption, widget in (("&Report", self.kind), ("&From", self.date_from), ("&To", self.date_to)):
            label = QLabel(caption)
            label.setBuddy(widget)
            label.setMinimumWidth(label.sizeHint().width() + 4)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.show_button)
        bar.addWidget(self.pdf_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reports"))
        layout.addLayout(bar)
        layout.addWidget(self.status)
        self.exports = ExportPanel(store, user_provider, lambda: (_date(self.date_from), _date(self.date_to)))
        layout.addWidget(self.exports)
        layout.addWidget(scroll, 1)
        self.show_button.clicked.connect(self.load)
        self.pdf_button.clicked.connect(self._ask_pdf_path)

    def _date_edit(self, name: str, accessible: str, day: dt.date) -> QDateEdit:
        edit = named(QDateEdit(QDate(day.year, day.month, day.day)), name, accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def set_report(self, kind: str, date_from: dt.date, date_to: dt.date) -> None:
        self.kind.setCurrentIndex([k for _, k in REPORTS].index(kind))
        self.date_from.setDate(QDate(date_from.year, date_from.month, date_from.day))
        self.date_to.setDate(QDate(date_to.year, date_to.month, date_to.day))

    def load(self) -> None:
        kind = REPORTS[self.kind.currentIndex()][1]
        store, start, end = self.store, _date(self.date_from), _date(self.date_to)
        self.status.setText("Working\u2026")
        user = self.user_provider()
        self.runner.run(lambda: report_document(store, kind, start, end, user=user), self._show, self._failed)

    def _show(self, document: ReportDocument) -> None:
        self.document = document
        self.view.show_document(document)
        self.pdf_button.setEnabled(True)
        self.status.setText(f"{document.title}, {document.subtitle}.")

    def _failed(self, exc: Exception) -> None:
        self.status.setText(f"\u26a0 {exc}")

    def save_pdf(self, path: Path) -> None:
        if self.document is not None:
            from desktop.services.storage.private_output import save_private

            save_private(path, report_pdf(self.document))  # patient names: 0600
            self.status.setText(f"Saved {path}.")

    def _ask_pdf_path(self) -> None:
        if self.document is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save report as PDF", f"{self.document.title}.pdf", "PDF (*.pdf)")
        if name:
            self.save_pdf(Path(name))
