"""Exports on the Reports page: send the billing system what is new since the last run, or preview dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout

from desktop.facade.errors import OperationCancelled
from desktop.facade.exports_types import ExportFormat, ExportResult
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, Progress
from desktop.ui.widgets import button, named

if TYPE_CHECKING:
    from desktop.facade import AppFacade

FORMATS = (("HL7 v2.5.1 (DFT^P03)", ExportFormat.HL7, "hl7", "HL7 (*.hl7)"),
           ("FHIR R5 (JSON)", ExportFormat.FHIR, "json", "FHIR JSON (*.json)"),
           ("CSV", ExportFormat.CSV, "csv", "CSV (*.csv)"))


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class ExportPanel(QGroupBox):
    """Each file is an export run, recorded with who, when, how many transactions and its SHA-256; the file is
    written before the run is recorded, so a file that could not be written sends nothing."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub,
                 dates: Callable[[], tuple[dt.date, dt.date]]) -> None:
        super().__init__("Exports for the billing system")
        self.setObjectName("export_panel")
        self.facade, self.hub = facade, hub
        self.dates = dates
        self.operation: CollectionOp[ExportResult] | None = None
        self.last: ExportResult | None = None
        self.format = named(QComboBox(), "export_format", "Export format")
        for label, *_ in FORMATS:
            self.format.addItem(label)
        self.send_button = button("Export &new charges\u2026", "export_since_last",
                                  "Export the charges posted or reversed since the last run")
        self.preview_button = button("Pre&view these dates\u2026", "export_preview",
                                     "Write a preview of every charge of the dates above (not for billing)")
        self.status = named(QLabel("Nothing exported yet in this session."), "export_status", "Export status")
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)
        self.progress = named(QProgressBar(), "export_progress", "Progress of the export")
        self.progress.setVisible(False)
        self.cancel_button = button("Cancel e&xport", "export_cancel", "Stop the export: nothing is recorded as sent")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        caption = QLabel("F&ormat")
        caption.setBuddy(self.format)
        for widget in (caption, self.format, self.send_button, self.preview_button, self.progress, self.cancel_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.send_button.clicked.connect(lambda: self._ask_path(preview=False))
        self.preview_button.clicked.connect(lambda: self._ask_path(preview=True))

    def _choice(self) -> tuple[ExportFormat, str, str]:
        _, fmt, suffix, pattern = FORMATS[self.format.currentIndex()]
        return fmt, suffix, pattern

    def _ask_path(self, preview: bool) -> None:
        _, suffix, pattern = self._choice()
        start, end = self.dates()
        default = f"preview-{start}-{end}.{suffix}" if preview else f"billing-{dt.date.today()}.{suffix}"
        name, _ = QFileDialog.getSaveFileName(self, "Save the export", default, pattern)
        if name:
            self.export(Path(name), preview=preview)

    def export(self, path: Path, *, preview: bool = False) -> None:
        """Run the export off the GUI thread and write it to `path` (0600: it names patients); Cancel stops it
        until the file is written, and nothing is then recorded as sent."""
        fmt, _, _ = self._choice()
        exports = self.facade().exports
        dates = self.dates() if preview else None

        def work(progress: Progress) -> ExportResult:
            return exports.to_file(fmt, path, preview=dates, progress=progress)

        self.status.setText("Exporting\u2026")
        self.send_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self._working(True)
        self.operation = CollectionOp(self, work, label="Exporting", hub=self.hub, takes_progress=True,
                                      changes=lambda result: OpChanges.of("export", result.run.id))
        self.operation.progress(self._step).success(lambda result: self._done(result, path)) \
            .failure(self._failed).run_in_background()

    def cancel(self) -> None:
        if self.operation is not None and self.operation.running:
            self.operation.cancel()
            self.status.setText("Stopping the export\u2026")

    def _working(self, shown: bool) -> None:
        self.progress.setRange(0, 0)
        self.progress.setVisible(shown)
        self.cancel_button.setVisible(shown)

    def _step(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, result: ExportResult, path: Path) -> None:
        self.last = result
        run = result.run
        what = "PREVIEW, not billing transactions" if run.purpose == "preview" else "billing"
        lines = [f"\u2714 Run {run.id} ({run.control_id}, {what}): {counted(run.transaction_count, 'transaction')} "
                 f"in {counted(run.visit_count, 'visit')} written to {path}. "
                 f"SHA-256 {run.sha256[:16] if run.sha256 else ''}\u2026"]
        lines += [f"\u26a0 {warning}" for warning in result.warnings]
        self.status.setText("\n".join(lines))
        self._enable()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, OperationCancelled):
            self.status.setText("Export cancelled. Nothing was recorded as sent, and no file was written.")
        else:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.status.setText(f"\u26a0 Not exported: {reason}. Nothing was recorded as sent.")
        self._enable()

    def _enable(self) -> None:
        self.operation = None
        self._working(False)
        self.send_button.setEnabled(True)
        self.preview_button.setEnabled(True)


__all__ = ["ExportPanel"]
