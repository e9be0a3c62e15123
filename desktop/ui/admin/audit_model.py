"""Table model of audit events: one row per event, column constants, sortable through a proxy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from desktop.facade.admin_types import AuditEventView

COLUMNS = ("#", "When", "User", "Kind", "Record", "Details")
ID, WHEN, USER, KIND, RECORD, DETAILS = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def _details(event: AuditEventView) -> str:
    text = event.after or event.before
    return text if len(text) <= 160 else text[:157] + "\u2026"


class AuditTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[AuditEventView] = []

    def set_rows(self, events: list[AuditEventView]) -> None:
        self.beginResetModel()
        self.events = list(events)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self.events[index.row()]
        column = index.column()
        if role == SORT_ROLE:
            return event.id if column in (ID, WHEN) else str(self.data(index)).lower()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                event.id,
                f"{event.occurred_at.astimezone():%Y-%m-%d %H:%M:%S}",
                event.actor,
                event.action.replace("_", " "),
                f"{event.entity} {event.entity_id}".strip(),
                _details(event),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAILS:
            return f"Before: {event.before or '(none)'}\nAfter: {event.after or '(none)'}"
        return None
