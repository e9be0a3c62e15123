"""Table model of the review queue: column constants, custom roles, pages fetched lazily off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.services.review import ReviewCursor, ReviewPage, ReviewRow, SortKey
from desktop.services.views import ChargeState
from desktop.ui.operations import failure_words
from desktop.ui.worker import BackgroundQuery

COLUMNS = ("#", "Date", "Patient", "MRN", "Drug", "Units", "Payer", "Nurse", "Status", "Findings")
(COL_ID, COL_DATE, COL_PATIENT, COL_MRN, COL_DRUG, COL_UNITS, COL_PAYER, COL_NURSE, COL_STATUS,
 COL_FINDINGS) = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the ReviewRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the administration id
VERSION_ROLE = Qt.ItemDataRole.UserRole + 3  # the version shown (sent back as expected_version)
SORT_KEYS = {COL_ID: SortKey.ID, COL_DATE: SortKey.DATE, COL_PATIENT: SortKey.PATIENT, COL_MRN: SortKey.MRN,
             COL_DRUG: SortKey.DRUG, COL_PAYER: SortKey.PAYER, COL_NURSE: SortKey.NURSE, COL_STATUS: SortKey.STATE}
STATE_WORDS = {
    ChargeState.RECORDED: "Recorded", ChargeState.VERIFIED: "\u2713 Verified",
    ChargeState.TICKET_PRINTED: "Ticket printed", ChargeState.POSTED: "\u2714 Posted",
    ChargeState.HELD: "\u26a0 HELD", ChargeState.VOIDED: "\u2716 VOIDED",
}
PAYER_WORDS = {"medicare": "Medicare", "medicare_advantage": "Medicare Adv.", "medicaid": "Medicaid",
               "commercial": "Commercial", "self_pay": "Self-pay"}
# Tints only repeat what the words and glyphs already say.
TINTS = {ChargeState.HELD: QColor("#fff1c2"), ChargeState.VOIDED: QColor("#eeeeee")}
Index = QModelIndex | QPersistentModelIndex
PageSource = Callable[[ReviewCursor | None], ReviewPage]


def findings_text(row: ReviewRow) -> str:
    parts = []
    if row.errors:
        parts.append(f"\u2716 {row.errors} error" + ("s" if row.errors > 1 else ""))
    if row.warnings:
        parts.append(f"\u26a0 {row.warnings} warning" + ("s" if row.warnings > 1 else ""))
    return ", ".join(parts) or "none"


class ReviewModel(QAbstractTableModel):
    """Rows of the queue; `reload(source)` starts again from the first page, the view pulls the rest."""

    loaded = Signal()  # a page arrived (first or next)
    failed = Signal(str)
    sort_requested = Signal(object, bool)  # SortKey, descending

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ReviewRow] = []
        self.source: PageSource | None = None
        self.cursor: ReviewCursor | None = None
        self.loading = False
        self.runner = BackgroundQuery(self)

    # -- loading ---------------------------------------------------------------------------------------------------
    def reload(self, source: PageSource) -> None:
        """Forget the rows and fetch the first page of `source` in the background."""
        self.source = source
        self.loading = True
        self.runner.run(lambda: source(None), self._first_page, self._failed)

    def set_rows(self, rows: list[ReviewRow], cursor: ReviewCursor | None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.cursor = cursor
        self.endResetModel()

    def _first_page(self, page: ReviewPage) -> None:
        if not shiboken6.isValid(self):  # the page was closed while the query ran
            return
        # `loading` stays True through the reset: a fetchMore from a view or tester inside it would reuse a cursor.
        self.set_rows(list(page.rows), page.next_cursor)
        self.loading = False
        self.loaded.emit()

    def _next_page(self, page: ReviewPage) -> None:
        if not shiboken6.isValid(self):
            return
        if page.rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.cursor = page.next_cursor
            self.endInsertRows()
        else:
            self.cursor = None
        self.loading = False
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.loading = False
        self.failed.emit(failure_words(exc))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        return not parent.isValid() and self.cursor is not None and self.source is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt signature
        if parent.isValid() or self.loading or self.cursor is None or self.source is None:
            return
        source, cursor = self.source, self.cursor
        self.loading = True
        self.runner.run(lambda: source(cursor), self._next_page, self._failed)

    # -- Qt model --------------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Click to sort" if section in SORT_KEYS else "Not sortable"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == VERSION_ROLE:
            return row.version
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            return TINTS.get(row.state)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_ID, COL_UNITS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_STATUS and row.hold_reason:
            return f"Held: {row.hold_reason}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in SQL: ask the page to reload in the new order."""
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    @staticmethod
    def _text(row: ReviewRow, column: int) -> str:
        if column == COL_STATUS:
            text = STATE_WORDS.get(row.state, row.state.value)
            if row.state is ChargeState.HELD and row.hold_reason:
                text += f": {row.hold_reason}"
            return text + (f" (corrects #{row.replaces_id})" if row.replaces_id else "")
        values = {
            COL_ID: str(row.id), COL_DATE: row.date_of_service.isoformat(), COL_PATIENT: row.patient_name,
            COL_MRN: row.patient_mrn, COL_DRUG: row.hcpcs, COL_UNITS: str(row.units),
            COL_PAYER: PAYER_WORDS.get(row.payer_class, row.payer_class), COL_NURSE: row.nurse or "\u2014",
            COL_FINDINGS: findings_text(row),
        }
        return values.get(column, "")
