"""The Reports page: choose a report and dates, read it on screen, save the same report as a PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.facade.errors import OperationCancelled
from desktop.facade.reports_types import ReportDocument
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, Progress
from desktop.ui.reports.document_view import DocumentView
from desktop.ui.reports.export_panel import ExportPanel
from desktop.ui.widgets import button, heading, named
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade import AppFacade

REPORTS = (("Reconciliation", "reconciliation"), ("Drug waste", "waste"), ("340B units", "340b"))


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class ReportsPage(QWidget):
    """Add to the main window as a page: `ReportsPage(lambda: window.facade, window.hub)`. The report on show is
    read again when a change to visits is broadcast."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, today: dt.date | None = None) -> None:
        super().__init__()
        self.setObjectName("reports_page")
        self.setAccessibleName("Reports")
        self.facade, self.hub = facade, hub
        self.document: ReportDocument | None = None
        self.shown_request: tuple[str, dt.date, dt.date] | None = None  # what the report on show was asked for
        self.stale = False  # a change was broadcast while the page was hidden
        self.runner = BackgroundQuery(self)
        self.saving: CollectionOp[Path] | None = None
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
        self.progress = named(QProgressBar(), "report_progress", "Progress of the PDF")
        self.progress.setVisible(False)
        self.cancel_button = button("&Cancel PDF", "report_cancel", "Stop saving the PDF: no file is written")
        self.cancel_button.setVisible(False)
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
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reports"))
        layout.addLayout(bar)
        layout.addWidget(self.status)
        self.exports = ExportPanel(facade, hub, lambda: (_date(self.date_from), _date(self.date_to)))
        layout.addWidget(self.exports)
        layout.addWidget(scroll, 1)
        self.show_button.clicked.connect(self.load)
        self.pdf_button.clicked.connect(self._ask_pdf_path)
        self.cancel_button.clicked.connect(self.cancel)
        hub.changed.connect(self._changed)

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
        self._read(kind, _date(self.date_from), _date(self.date_to))

    def _read(self, kind: str, start: dt.date, end: dt.date) -> None:
        self.status.setText("Working\u2026")
        self.stale = False
        reports = self.facade().reports
        self.runner.run(lambda: reports.document(kind, start, end),
                        lambda document: self._show(document, (kind, start, end)), self._failed)

    def _changed(self, changes: OpChanges) -> None:
        """The broadcast: charges changed, so the report on show is read again (when the page is next shown)."""
        if self.shown_request is None or not changes.touches("visit"):
            return
        if self.isVisible():
            self._read(*self.shown_request)
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self.stale and self.shown_request is not None:
            self._read(*self.shown_request)

    def _show(self, document: ReportDocument, request: tuple[str, dt.date, dt.date]) -> None:
        self.document = document
        self.shown_request = request
        self.view.show_document(document)
        self.pdf_button.setEnabled(self.saving is None)
        self.status.setText(f"{document.title}, {document.subtitle}.")

    def _failed(self, exc: Exception) -> None:
        self.status.setText(f"\u26a0 {exc}")

    def save_pdf(self, path: Path) -> None:
        """Render the report on show and save it to `path` off the GUI thread (patient names: 0600)."""
        if self.document is None or self.saving is not None:
            return
        document, reports = self.document, self.facade().reports

        def work(progress: Progress) -> Path:
            return reports.save_pdf(document, path, progress=progress)

        self.status.setText("Saving the PDF\u2026")
        self._working(True)
        self.saving = CollectionOp(self, work, label="Saving a report", hub=self.hub, takes_progress=True)
        self.saving.progress(self._step).success(self._saved).failure(self._not_saved).run_in_background()

    def cancel(self) -> None:
        if self.saving is not None and self.saving.running:
            self.saving.cancel()

    def _working(self, shown: bool) -> None:
        self.pdf_button.setEnabled(not shown and self.document is not None)
        self.progress.setRange(0, 0)
        self.progress.setVisible(shown)
        self.cancel_button.setVisible(shown)

    def _step(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _saved(self, path: Path) -> None:
        self.saving = None
        self._working(False)
        self.status.setText(f"Saved {path}.")

    def _not_saved(self, exc: Exception) -> None:
        self.saving = None
        self._working(False)
        if isinstance(exc, OperationCancelled):
            self.status.setText("Not saved: cancelled. No file was written.")
        else:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.status.setText(f"\u26a0 Not saved: {reason}")

    def _ask_pdf_path(self) -> None:
        if self.document is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save report as PDF", f"{self.document.title}.pdf", "PDF (*.pdf)")
        if name:
            self.save_pdf(Path(name))
