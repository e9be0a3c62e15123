"""The audit viewer: filter events by period, user, record and kind; sort; export CSV; is the chain intact?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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

from desktop.ui.admin.audit_model import DETAILS, SORT_ROLE, AuditTableModel
from desktop.ui.widgets import button, heading, message_label, named

ANY = "(anyone / anything)"


class AuditPage(QWidget):
    def __init__(self, store: object, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
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

    def _fill_choices(self) -> None:
        from desktop.services.audit_trail.audit_events import audit_choices

        actors, actions, _ = audit_choices(self.store, self.user)  # type: ignore[arg-type]
        for combo, values in ((self.actor, actors), (self.kind, actions)):
            current = combo.currentData()
            combo.clear()
            combo.addItem(ANY, None)
            for value in values:
                combo.addItem(value.replace("_", " ") if combo is self.kind else value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def query(self) -> object:
        from desktop.services.audit_trail.audit_events import AuditQuery

        zone = dt.datetime.now().astimezone().tzinfo
        start = dt.datetime.combine(self.start.date().toPython(), dt.time(), tzinfo=zone)  # type: ignore[arg-type]
        end = dt.datetime.combine(self.end.date().toPython() + dt.timedelta(days=1), dt.time(),  # type: ignore[operator]
                                  tzinfo=zone)
        record = self.record.text().strip()
        return AuditQuery(start=start, end=end, actor=self.actor.currentData(), action=self.kind.currentData(),
                          entity="administration" if record.isdigit() else None,
                          entity_id=record if record.isdigit() else None)

    def reload(self) -> None:
        from desktop.services.audit_trail.audit_chain import verify_audit_chain
        from desktop.services.audit_trail.audit_events import list_audit_events
        from desktop.services.errors import ServiceError

        try:
            if self.actor.count() == 0:
                self._fill_choices()
            events = list_audit_events(self.store, self.user, self.query())  # type: ignore[arg-type]
            check = verify_audit_chain(self.store)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.message.setText(f"\u26a0 {exc}")
            self.message.setVisible(True)
            return
        self.message.setVisible(False)
        self.model.set_rows(events)
        self.count.setText(f"{len(events)} event{'s' if len(events) != 1 else ''} shown")
        if check.ok:
            self.chain.setText(f"\u2714 Chain verified: {check.message}.")
            self.chain.setProperty("role", "hint")
        else:
            self.chain.setText(f"\u2716 CHAIN BROKEN: {check.message}. Report this to the privacy officer.")
            self.chain.setProperty("role", "message")
        self.chain.style().unpolish(self.chain)
        self.chain.style().polish(self.chain)

    def export_csv(self, path: Path) -> int:
        """Write the events shown (as filtered) to `path`; returns how many."""
        from desktop.services.audit_trail.audit_events import audit_csv
        from desktop.services.storage.private_output import save_private

        save_private(path, audit_csv(self.model.events))  # patient data in the snapshots: 0600
        return len(self.model.events)

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export audit events", "audit-events.csv", "CSV files (*.csv)")
        if name:
            count = self.export_csv(Path(name))
            self.count.setText(f"{count} events exported to {name}")
