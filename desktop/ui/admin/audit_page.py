"""The audit viewer: filter events by period, user, record and kind; sort; export CSV; is the chain intact?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.facade import AppFacade
from desktop.ui.admin.audit_model import DETAILS, SORT_ROLE, AuditTableModel
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, failure_words
from desktop.ui.widgets import button, heading, message_label, named
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.admin_types import AuditChoices, AuditEventView, AuditQuery, AuditVerification

ANY = "(anyone / anything)"


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date()
    return dt.date(day.year(), day.month(), day.day())


class AuditPage(QWidget):
    """Events are read off the GUI thread, then the chain is checked (a CollectionOp: on a large trail it takes
    a while, and the events show first); while shown, the page reloads after any change (every one is audited)."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.hub = hub
        self.loader = BackgroundQuery(self)
        self.checking: CollectionOp[AuditVerification] | None = None
        self.exporting: CollectionOp[int] | None = None
        self.setObjectName("audit_page")
        self.setAccessibleName("Audit trail")
        today = QDate.currentDate()
        self.start = named(QDateEdit(today.addDays(-7)), "audit_from", "From date")
        self.end = named(QDateEdit(today), "audit_to", "To date (inclusive)")
        for field in (self.start, self.end):
            field.setCalendarPopup(True)
            field.setDisplayFormat("yyyy-MM-dd")
        self.actor = named(QComboBox(), "audit_user", "User")
        self.kind = named(QComboBox(), "audit_kind", "Kind of event")
        self.record = named(QLineEdit(), "audit_record", "Record (e.g. administration 12)")
        self.record.setPlaceholderText("record no., e.g. 12")
        self.apply = button("&Show", "audit_show", "Show events")
        self.export = button("&Export CSV\u2026", "audit_export", "Export shown events as CSV")
        self.chain = QLabel("")
        self.chain.setObjectName("audit_chain_status")
        self.chain.setAccessibleName("Audit chain check")
        self.chain.setWordWrap(True)
        self.message = message_label("audit_message")
        self.count = QLabel("")
        self.count.setObjectName("audit_count")
        self.model = AuditTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = named(QTableView(), "audit_table", "Audit events")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        self._build_layout()
        self.apply.clicked.connect(self.reload)
        self.export.clicked.connect(self._ask_export)
        self.record.returnPressed.connect(self.reload)
        hub.changed.connect(self._changed)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        for caption, field in (("&From", self.start), ("&To", self.end), ("&User", self.actor),
                               ("&Kind", self.kind), ("&Record", self.record)):
            label = QLabel(caption)
            label.setBuddy(field)
            filters.addWidget(label)
            filters.addWidget(field)
        filters.addWidget(self.apply)
        filters.addStretch(1)
        filters.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Audit trail"))
        layout.addWidget(self.chain)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def _changed(self, _changes: OpChanges) -> None:
        if self.isVisible():
            self.reload()

    def _fill_choices(self, choices: AuditChoices) -> None:
        for combo, values in ((self.actor, choices.actors), (self.kind, choices.actions)):
            current = combo.currentData()
            combo.clear()
            combo.addItem(ANY, None)
            for value in values:
                combo.addItem(value.replace("_", " ") if combo is self.kind else value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def query(self) -> AuditQuery:
        from desktop.facade.admin_types import AuditQuery

        zone = dt.datetime.now().astimezone().tzinfo
        start = dt.datetime.combine(_day(self.start), dt.time(), tzinfo=zone)
        end = dt.datetime.combine(_day(self.end) + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        record = self.record.text().strip()
        return AuditQuery(start=start, end=end, actor=self.actor.currentData(), action=self.kind.currentData(),
                          entity="administration" if record.isdigit() else None,
                          entity_id=record if record.isdigit() else None)

    def reload(self) -> None:
        admin, query, need_choices = self.facade().admin, self.query(), self.actor.count() == 0

        def read() -> tuple[AuditChoices | None, list[AuditEventView]]:
            return (admin.audit_choices() if need_choices else None), admin.audit_events(query)

        self.loader.run(read, self._show_events, self._failed)

    def _failed(self, error: Exception) -> None:
        self.message.setText(f"\u26a0 {failure_words(error)}")
        self.message.setVisible(True)

    def _show_events(self, found: tuple[AuditChoices | None, list[AuditEventView]]) -> None:
        choices, events = found
        if choices is not None:
            self._fill_choices(choices)
        self.message.setVisible(False)
        self.model.set_rows(events)
        self.count.setText(f"{len(events)} event{'s' if len(events) != 1 else ''} shown")
        if self.checking is None or not self.checking.running:
            self.checking = CollectionOp(self, self.facade().admin.verify_audit_chain,
                                         label="Checking the audit chain", hub=self.hub) \
                .success(self._show_check).failure(self._failed).run_in_background()

    def _show_check(self, check: AuditVerification) -> None:
        if check.ok:
            self.chain.setText(f"\u2714 Chain verified: {check.message}.")
            self.chain.setProperty("role", "hint")
        else:
            self.chain.setText(f"\u2716 CHAIN BROKEN: {check.message}. Report this to the privacy officer.")
            self.chain.setProperty("role", "message")
        self.chain.style().unpolish(self.chain)
        self.chain.style().polish(self.chain)

    def export_csv(self, path: Path) -> None:
        """Write the events shown (as filtered) to `path` off the GUI thread; the count line says how many."""
        admin, events = self.facade().admin, list(self.model.events)
        self.export.setEnabled(False)

        def written(count: int) -> None:
            self.export.setEnabled(True)
            self.count.setText(f"{count} events exported to {path}")

        def failed(error: Exception) -> None:
            self.export.setEnabled(True)
            self._failed(error)

        self.exporting = CollectionOp(self, lambda: admin.export_audit_csv(events, path),
                                      label="Exporting audit events", hub=self.hub) \
            .success(written).failure(failed).run_in_background()

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export audit events", "audit-events.csv", "CSV files (*.csv)")
        if name:
            self.export_csv(Path(name))
