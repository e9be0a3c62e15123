"""Table model of a day's administrations: column constants, set_rows() in a reset, ids behind each row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.services.views import AdministrationSummary, ChargeState

COLUMNS = ("#", "Time", "Patient", "MRN", "Drug", "Given", "Units", "Status")
COL_ID, COL_TIME, COL_PATIENT, COL_MRN, COL_DRUG, COL_GIVEN, COL_UNITS, COL_STATUS = range(len(COLUMNS))
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_WORDS = {
    ChargeState.RECORDED: "Recorded",
    ChargeState.VERIFIED: "Verified",
    ChargeState.TICKET_PRINTED: "Ticket printed",
    ChargeState.POSTED: "Posted",
    ChargeState.HELD: "\u26a0 HELD",
    ChargeState.VOIDED: "\u2716 VOIDED",
}
Index = QModelIndex | QPersistentModelIndex


class TodayModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AdministrationSummary] = []

    def set_rows(self, rows: list[AdministrationSummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def update_row(self, summary: AdministrationSummary) -> bool:
        """Replace the row with the same id in place (keeps the selection); False when it is not listed."""
        for number, row in enumerate(self.rows):
            if row.id == summary.id:
                self.rows[number] = summary
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
                return True
        return False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == SUMMARY_ROLE:
            return row
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._text(row, index.column())

    @staticmethod
    def _text(row: AdministrationSummary, column: int) -> str:
        hold = f": {row.hold_reason}" if row.state is ChargeState.HELD and row.hold_reason else ""
        replaces = f" (corrects #{row.replaces_id})" if row.replaces_id else ""
        return {
            COL_ID: str(row.id),
            COL_TIME: f"{row.recorded_at.astimezone():%H:%M}",
            COL_PATIENT: row.patient_name,
            COL_MRN: row.patient_mrn,
            COL_DRUG: row.hcpcs,
            COL_GIVEN: f"{row.administered_mg.normalize():f} mg",
            COL_UNITS: str(row.units),
            COL_STATUS: STATE_WORDS.get(row.state, row.state.value) + hold + replaces,
        }[column]
