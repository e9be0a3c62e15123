"""Exports on the Reports page: send the billing system what is new since the last run, or preview dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from desktop.services.billing_exports.exports import (
    ExportFormat,
    ExportResult,
    ExportScope,
    export_dates,
    export_since_last,
)
from desktop.services.storage.private_output import save_private
from desktop.services.storage.store import Store
from desktop.ui.widgets import button, named
from desktop.ui.worker import BackgroundQuery

FORMATS = (("HL7 v2.5.1 (DFT^P03)", ExportFormat.HL7, "hl7", "HL7 (*.hl7)"),
           ("FHIR R5 (JSON)", ExportFormat.FHIR, "json", "FHIR JSON (*.json)"),
           ("CSV", ExportFormat.CSV, "csv", "CSV (*.csv)"))


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class ExportPanel(QGroupBox):
    """Each file is an export run, recorded with who, when, how many transactions and its SHA-256; the file is
    written before the run is recorded, so a file that could not be written sends nothing."""

    def __init__(self, store: Store, user_provider: Callable[[], str],
                 dates: Callable[[], tuple[dt.date, dt.date]]) -> None:
        super().__init__("Exports for the billing system")
        self.setObjectName("export_panel")
        self.store = store
        self.user_provider = user_provider
        self.dates = dates
        self.runner = BackgroundQuery(self)
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
        row = QHBoxLayout()
        caption = QLabel("F&ormat")
        caption.setBuddy(self.format)
        for widget in (caption, self.format, self.send_button, self.preview_button):
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
        """Run the export off the GUI thread and write it to `path` (0600: it names patients)."""
        fmt, _, _ = self._choice()
        store, user = self.store, self.user_provider()
        start, end = self.dates()

        written: list[Path] = []

        def deliver(text: str) -> None:
            save_private(path, text)
            written.append(path)

        def work() -> ExportResult:
            try:
                if preview:
                    return export_dates(store, fmt, start, end, ExportScope.ALL, user=user, deliver=deliver)
                return export_since_last(store, fmt, user=user, deliver=deliver)
            except Exception:
                for done in written:  # written, but the run was not recorded: a file never to send
                    done.unlink(missing_ok=True)
                raise

        self.status.setText("Exporting\u2026")
        self.send_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.runner.run(work, lambda result: self._done(result, path), self._failed)

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
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.status.setText(f"\u26a0 Not exported: {reason}. Nothing was recorded as sent.")
        self._enable()

    def _enable(self) -> None:
        self.send_button.setEnabled(True)
        self.preview_button.setEnabled(True)


__all__ = ["ExportPanel"]
