"""CMS reference data: choose a quarterly file (crosswalk, ASP pricing file, MUE table), preview what it changes,
apply it; the imported versions. Reading and importing run off the GUI thread (CollectionOp); reading shows
progress and can be cancelled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.facade import AppFacade
from desktop.facade.errors import OperationCancelled
from desktop.ui.admin.admin_ops import audited
from desktop.ui.admin.reference_model import CHANGE_COLUMNS, NEED_COLUMNS, VERSION_COLUMNS, TextTableModel
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, Progress, failure_words
from desktop.ui.widgets import button, heading, hint, named
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.admin_types import ImportOutcome, ImportPreview, ReferenceVersionView

KINDS = (("Recognise it from the header", None), ("NDC-HCPCS crosswalk", "crosswalk"),
         ("ASP pricing file (payment limits)", "asp"), ("MUE table (practitioner or outpatient hospital)", "mue"))


class _Progress(QObject):
    """Lives on the GUI thread: the worker emits, the bar moves on the GUI thread."""

    moved = Signal(int, int)


def _table(name: str, accessible: str, model: TextTableModel, widest: tuple[str, ...],
           description: str = "") -> QTableView:
    """A read-only view; `widest` are sample texts sizing the columns before the last (measured once, not per row:
    a preview may hold tens of thousands of rows)."""
    view = named(QTableView(), name, accessible, description)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    metrics, titles = view.fontMetrics(), header.fontMetrics()
    for column, sample in enumerate(widest):
        title = model.columns[column]
        header.resizeSection(column, int(max(metrics.horizontalAdvance(sample),
                                             titles.horizontalAdvance(title) * 1.15)) + 30)
    return view


class ReferencePage(QWidget):
    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.hub = hub
        self.preview: ImportPreview | None = None
        self.operation: CollectionOp[Any] | None = None
        self.setObjectName("reference_page")
        self.setAccessibleName("CMS reference data")
        self.path = named(QLineEdit(), "reference_file", "CMS file to import")
        self.path.setPlaceholderText("the CSV as downloaded from CMS")
        self.choose = button("C&hoose file\u2026", "reference_choose", "Choose a CMS file")
        self.kind = named(QComboBox(), "reference_kind", "Kind of file")
        for label, value in KINDS:
            self.kind.addItem(label, value)
        self.as_file_says = named(QCheckBox("Effective from the quarter the file states"), "reference_as_file",
                                  "Effective from the quarter the file states")
        self.as_file_says.setChecked(True)
        today = QDate.currentDate()
        self.effective = named(QDateEdit(QDate(today.year(), (today.month() - 1) // 3 * 3 + 1, 1)),
                               "reference_effective", "Effective from (date of service)")
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("yyyy-MM-dd")
        self.effective.setEnabled(False)
        self.preview_button = button("&Preview", "reference_preview", "Preview the import")
        self.apply_button = button("&Apply import", "reference_apply", "Apply the import")
        self.apply_button.setEnabled(False)
        self.cancel_button = button("&Cancel", "reference_cancel", "Cancel reading the file")
        self.cancel_button.setVisible(False)
        self.progress = named(QProgressBar(), "reference_progress", "Import progress")
        self.progress.setVisible(False)
        self.relay = _Progress(self)
        self.relay.moved.connect(self._moved)
        self.status = named(QLabel(""), "reference_status", "Import status")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        self.summary = named(QLabel("Choose a file and press Preview: nothing changes until you apply it."),
                             "reference_summary", "What the file would change")
        self.summary.setWordWrap(True)
        self.notes = named(QLabel(""), "reference_notes", "Problems and cautions")
        self.notes.setWordWrap(True)
        self.notes.setProperty("role", "message")
        self.notes.setVisible(False)
        self.changes = TextTableModel(CHANGE_COLUMNS)
        self.needs = TextTableModel(NEED_COLUMNS)
        self.versions = TextTableModel(VERSION_COLUMNS, frozenset({3, 4, 5, 6}))
        self.tabs = named(QTabWidget(), "reference_tabs", "Preview and versions")
        self.tabs.addTab(_table("reference_changes", "Added, changed and no longer listed", self.changes,
                                ("no longer listed", "J9299W", "00003-3734-13")), "Changes")
        self.tabs.addTab(_table("reference_needs", "What the catalog must complete", self.needs,
                                ("J9299W", "00003-3734-13"),
                                "Complete these on the Drug catalog tab: add the NDC's package with its dose type "
                                "(and amount per vial), or the drug for a code the catalog lacks."), "Catalog needs")
        self.tabs.addTab(_table("reference_versions", "Imported versions", self.versions,
                                ("Outpatient hospital MUE table", "2026-10-01", "2026 Q4", "10,000",
                                 "10,000", "10,000", "10,000", "yes", "October 2026 ASP Pricing File.csv", "admin")),
                         "Imported versions")
        self.loader = BackgroundQuery(self)
        self._build_layout()
        self.choose.clicked.connect(self._ask_file)
        self.as_file_says.toggled.connect(lambda checked: self.effective.setEnabled(not checked))
        self.preview_button.clicked.connect(self.start_preview)
        self.apply_button.clicked.connect(self.start_apply)
        self.cancel_button.clicked.connect(self.cancel)
        hub.changed.connect(self._changed)

    def _build_layout(self) -> None:
        file_row = QHBoxLayout()
        for caption, widget in (("&File", self.path), ("&Kind", self.kind)):
            label = QLabel(caption)
            label.setBuddy(widget)
            file_row.addWidget(label)
            file_row.addWidget(widget, 3 if widget is self.path else 2)
        file_row.addWidget(self.choose)
        date_row = QHBoxLayout()
        date_row.addWidget(self.as_file_says)
        since = QLabel("or &from")
        since.setBuddy(self.effective)
        date_row.addWidget(since)
        date_row.addWidget(self.effective)
        date_row.addStretch(1)
        date_row.addWidget(self.progress, 2)
        date_row.addWidget(self.cancel_button)
        date_row.addWidget(self.preview_button)
        date_row.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("CMS reference data"))
        layout.addWidget(hint("Import the files CMS publishes each quarter as downloaded: the ASP NDC-HCPCS "
                              "crosswalk, the ASP pricing file and the MUE tables. A date of service uses the data "
                              "in force on it; recorded charges keep what they were computed with."))
        layout.addLayout(file_row)
        layout.addLayout(date_row)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ versions

    def _changed(self, changes: OpChanges) -> None:
        if changes.touches("reference"):
            self.reload()

    def reload(self) -> None:
        self.loader.run(self.facade().admin.reference_versions, self._show_versions,
                        lambda exc: self.status.setText(f"\u26a0 {failure_words(exc)}"))

    def _show_versions(self, found: list[ReferenceVersionView]) -> None:
        self.versions.set_rows([
            (v.kind.label, v.effective_from.isoformat(), v.quarter, f"{v.rows:,}", f"{v.added:,}", f"{v.changed:,}",
             f"{v.removed:,}", "yes" if v.in_force else "", v.file_name, v.imported_by,
             f"{v.imported_at.astimezone():%Y-%m-%d %H:%M}") for v in found])

    # ------------------------------------------------------------------ preview

    def _ask_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "CMS file", "", "CSV files (*.csv);;All files (*)")
        if name:
            self.path.setText(name)

    def _effective(self) -> dt.date | None:
        if self.as_file_says.isChecked():
            return None
        day = self.effective.date()
        return dt.date(day.year(), day.month(), day.day())

    def _busy(self, words: str, busy: bool, cancellable: bool = False) -> None:
        for widget in (self.preview_button, self.choose, self.path, self.kind, self.as_file_says):
            widget.setEnabled(not busy)
        self.effective.setEnabled(not busy and not self.as_file_says.isChecked())
        if busy:
            self.apply_button.setEnabled(False)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy and cancellable)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.status.setText(words)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def start_preview(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        if not self.path.text().strip():
            self.status.setText("\u26a0 Choose the file to import first.")
            return
        admin, kind, effective, moved = self.facade().admin, self.kind.currentData(), self._effective(), \
            self.relay.moved.emit

        def read(progress: Progress) -> ImportPreview:
            def report(done: int, total: int) -> None:
                progress(done, total)  # raises OperationCancelled once the person pressed Cancel
                moved(done, total)  # the reader reports every 1,000 rows already: each one moves the bar

            return admin.preview_reference_file(path, kind=kind, effective=effective, progress=report)

        self.preview = None
        self._busy(f"Reading {path.name}\u2026", True, cancellable=True)
        self.operation = CollectionOp(self, read, label="Reading the CMS file", hub=self.hub, takes_progress=True) \
            .success(self._show_preview).failure(self._failed) \
            .slow(lambda: self.status.setText(f"Still reading {path.name}\u2026")).run_in_background()

    def cancel(self) -> None:
        """Stop reading the file at its next row; nothing was stored by a preview anyway."""
        if self.operation is not None and self.operation.running:
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling\u2026")
            self.operation.cancel()

    def _failed(self, error: Exception) -> None:
        self._busy("", False)
        if isinstance(error, OperationCancelled):
            self.status.setText(f"Not read: {error}")
        else:
            self.status.setText(f"\u26a0 {failure_words(error)}")

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        self._busy(f"Read {preview.file_name} (header on line {preview.header_line}).", False)
        self.summary.setText(preview.summary())
        notes = [f"\u26a0 Problem: {p}" for p in preview.problems]
        if preview.problem_count > len(preview.problems):
            notes.append(f"\u2026 and {preview.problem_count - len(preview.problems)} more problems.")
        notes += [f"Caution: {c}" for c in preview.cautions]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.changes.set_rows([(c.action, c.hcpcs, c.ndc, c.what) for c in preview.changes])
        self.needs.set_rows([(n.hcpcs, n.ndc, n.needs) for n in preview.needs])
        self.tabs.setTabText(0, f"Changes ({len(preview.changes):,})")
        self.tabs.setTabText(1, f"Catalog needs ({len(preview.needs):,})")
        self.tabs.setCurrentIndex(0)
        self.apply_button.setEnabled(preview.can_apply)

    # ------------------------------------------------------------------ apply

    def start_apply(self) -> None:
        preview = self.preview
        if preview is None or not preview.can_apply:
            return
        admin = self.facade().admin
        self._busy(f"Importing {preview.file_name}\u2026", True)
        self.operation = CollectionOp(
            self, lambda: admin.apply_reference_import(preview), label="Importing the CMS file", hub=self.hub,
            changes=lambda outcome: audited("reference") if outcome.applied else OpChanges(),
        ).success(self._applied).failure(self._failed).run_in_background()

    def _applied(self, outcome: ImportOutcome) -> None:
        self._busy(("\u2714 " if outcome.applied else "") + outcome.message, False)
        if outcome.applied:
            self.summary.setText(f"Applied: {self.summary.text()}")
        self.preview = None
        self.apply_button.setEnabled(False)
        self.tabs.setCurrentIndex(2)  # the versions: reloaded from the "reference" broadcast
