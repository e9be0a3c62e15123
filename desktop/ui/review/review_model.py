"""Table model of the review queue, one row per visit: column constants, custom roles, pages fetched lazily."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.facade.review_types import ChargeState, ReviewCursor, ReviewPage, SortKey, VisitRow
from desktop.records.charge_states import STATE_WORDS as CHARGE_STATE_WORDS
from desktop.records.payer_words import payer_words
from desktop.ui.operations import failure_words
from desktop.ui.worker import BackgroundQuery

# The visit's number is in the tooltip, the results and the visit's pane: the columns are what a biller reads.
COLUMNS = ("Date", "Patient", "MRN", "Drugs", "Units", "Payer", "Nurse", "Status", "Findings")
COL_DATE, COL_PATIENT, COL_MRN, COL_DRUGS, COL_UNITS, COL_PAYER, COL_NURSE, COL_STATUS, COL_FINDINGS = range(
    len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the VisitRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the visit id
VERSION_ROLE = Qt.ItemDataRole.UserRole + 3  # the visit's version shown (sent back as expected_version)
SORT_KEYS = {COL_DATE: SortKey.DATE, COL_PATIENT: SortKey.PATIENT, COL_MRN: SortKey.MRN,
             COL_PAYER: SortKey.PAYER, COL_NURSE: SortKey.NURSE}
NOT_SORTABLE = "Not sortable (a visit has several): use the filter above"
STATE_WORDS = {state: words.marked for state, words in CHARGE_STATE_WORDS.items()}
STATE_LABELS = {state: words.name for state, words in CHARGE_STATE_WORDS.items()}
# Tints only repeat what the words and glyphs already say.
TINTS = {ChargeState.HELD: QColor("#fff1c2"), ChargeState.VOIDED: QColor("#eeeeee")}
MIXED_TINT = QColor("#e8f0fb")
Index = QModelIndex | QPersistentModelIndex
PageSource = Callable[[ReviewCursor | None], ReviewPage]


def findings_text(row: VisitRow) -> str:
    """The counts in words, e.g. "1 error, 2 warnings" (what a screen reader says)."""
    parts = []
    if row.errors:
        parts.append(f"\u2716 {row.errors} error" + ("s" if row.errors > 1 else ""))
    if row.warnings:
        parts.append(f"\u26a0 {row.warnings} warning" + ("s" if row.warnings > 1 else ""))
    return ", ".join(parts) or "none"


def findings_short(row: VisitRow) -> str:
    """The counts as the narrow column shows them: "\u2716 1  \u26a0 2"."""
    parts = ([f"\u2716 {row.errors}"] if row.errors else []) + ([f"\u26a0 {row.warnings}"] if row.warnings else [])
    return "  ".join(parts) or "none"


def state_text(row: VisitRow) -> str:
    """The visit's state in words: the one state of its billed drugs, or "Mixed: 1 posted, 1 recorded"."""
    counts = row.state_counts
    voided = counts.pop(ChargeState.VOIDED, 0)
    state = row.state
    if state is None:
        text = "Mixed: " + ", ".join(f"{n} {STATE_LABELS[s]}" for s, n in counts.items())
    else:
        text = STATE_WORDS.get(state, state.value)
        held = [d.hold_reason for d in row.drugs if d.state is ChargeState.HELD and d.hold_reason]
        if state is ChargeState.HELD and held:
            text += f": {held[0]}"
    if voided and state is not ChargeState.VOIDED:
        text += f" (+{voided} voided)"
    corrects = [d.replaces_id for d in row.drugs if d.replaces_id and d.state is not ChargeState.VOIDED]
    return text + "".join(f" (corrects #{i})" for i in corrects)


def drugs_text(row: VisitRow) -> str:
    partly_voided = row.state is not ChargeState.VOIDED  # a voided visit says so once, in its status
    return ", ".join(d.hcpcs + (" (voided)" if partly_voided and d.state is ChargeState.VOIDED else "")
                     for d in row.drugs)


def drugs_tooltip(row: VisitRow) -> str:
    lines = []
    for d in row.drugs:
        line = f"{d.hcpcs} (record #{d.id}): {STATE_LABELS[d.state]}, {d.units} units"
        if d.hold_reason and d.state is ChargeState.HELD:
            line += f", held: {d.hold_reason}"
        lines.append(line)
    return "\n".join(lines)


class ReviewModel(QAbstractTableModel):
    """Rows of the queue; `reload(source)` starts again from the first page, the view pulls the rest."""

    loaded = Signal()  # a page arrived (first or next)
    failed = Signal(str)
    sort_requested = Signal(object, bool)  # SortKey, descending

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[VisitRow] = []
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

    def set_rows(self, rows: list[VisitRow], cursor: ReviewCursor | None) -> None:
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
            return "Click to sort" if section in SORT_KEYS else NOT_SORTABLE
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
        if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_FINDINGS:
            return findings_short(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            return MIXED_TINT if row.state is None else TINTS.get(row.state)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_UNITS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in SQL: ask the page to reload in the new order."""
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    @staticmethod
    def _tooltip(row: VisitRow, column: int) -> str:
        if column == COL_FINDINGS:
            return findings_text(row)
        if column == COL_STATUS:
            return f"{state_text(row)}\n{drugs_tooltip(row)}"
        return f"Visit #{row.id}\n{drugs_tooltip(row)}"

    @staticmethod
    def _text(row: VisitRow, column: int) -> str:
        if column == COL_STATUS:
            return state_text(row)
        values = {
            COL_DATE: row.date_of_service.isoformat(), COL_PATIENT: row.patient_name,
            COL_MRN: row.patient_mrn, COL_DRUGS: drugs_text(row), COL_UNITS: str(row.units),
            COL_PAYER: payer_words(row.payer_class, short=True), COL_NURSE: row.nurse or "\u2014",
            COL_FINDINGS: findings_text(row),
        }
        return values.get(column, "")
