"""A table model of rows of text (an import preview's changes, catalog needs, the imported versions): column
constants, `set_rows` inside a model reset, fast for tens of thousands of rows (no widget per cell)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

CHANGE_COLUMNS = ("Change", "HCPCS", "NDC", "What")
NEED_COLUMNS = ("HCPCS", "NDC", "What the catalog must say")
VERSION_COLUMNS = ("Kind", "Effective from", "Quarter", "Rows", "Added", "Changed", "No longer listed",
                   "In force today", "File", "Imported by", "Imported at")


class TextTableModel(QAbstractTableModel):
    def __init__(self, columns: tuple[str, ...], numeric: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self.columns = columns
        self.numeric = numeric
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
