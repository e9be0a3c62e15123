"""Tree model of a day's visits: a row per visit with its drugs under it; set_rows() in a reset, ids behind rows."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.facade.day_types import AdministrationSummary, ChargeState, VisitSummary
from desktop.records.charge_states import STATE_WORDS as CHARGE_STATE_WORDS

COLUMNS = ("Time", "Patient", "MRN", "Drugs", "Given", "Units", "Status")
COL_TIME, COL_PATIENT, COL_MRN, COL_DRUG, COL_GIVEN, COL_UNITS, COL_STATUS = range(len(COLUMNS))
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1  # the drug's AdministrationSummary (drug rows; a visit of one drug)
VISIT_ROLE = Qt.ItemDataRole.UserRole + 2  # the VisitSummary (visit rows and, for their visit, drug rows)
STATE_WORDS = {state: words.in_list for state, words in CHARGE_STATE_WORDS.items()}
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = 0  # the internal id of a visit row; a drug row's internal id is its visit's row number + 1


def drug_status(drug: AdministrationSummary) -> str:
    hold = f": {drug.hold_reason}" if drug.state is ChargeState.HELD and drug.hold_reason else ""
    replaces = f" (corrects #{drug.replaces_id})" if drug.replaces_id else ""
    return STATE_WORDS.get(drug.state, drug.state.value) + hold + replaces


def visit_status(visit: VisitSummary) -> str:
    """The visit's state, or "Mixed: 1 posted, 1 recorded" when its drugs differ; voided drugs counted apart."""
    states = [d.state for d in visit.drugs]
    voided = states.count(ChargeState.VOIDED)
    state = visit.state
    if state is None:
        live = [s for s in ChargeState if s is not ChargeState.VOIDED and s in states]
        text = "Mixed: " + ", ".join(f"{states.count(s)} {s.value.replace('_', ' ')}" for s in live)
    else:
        text = STATE_WORDS.get(state, state.value)
        held = [d.hold_reason for d in visit.drugs if d.state is ChargeState.HELD and d.hold_reason]
        if state is ChargeState.HELD and held:
            text += f": {held[0]}"
    if voided and state is not ChargeState.VOIDED:
        text += f" (+{voided} voided)"
    return text


class TodayModel(QAbstractItemModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[VisitSummary] = []

    def set_rows(self, rows: list[VisitSummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def drugs(self) -> list[AdministrationSummary]:
        """Every drug listed, visit by visit."""
        return [d for v in self.rows for d in v.drugs]

    def update_drug(self, drug_id: int, state: ChargeState, version: int, visit_version: int | None = None) -> bool:
        """Change one drug's state (and its visit's version) in place, keeping the selection; False when the drug
        is not listed."""
        for number, visit in enumerate(self.rows):
            for position, drug in enumerate(visit.drugs):
                if drug.id == drug_id:
                    drugs = list(visit.drugs)
                    drugs[position] = dataclasses.replace(drug, state=state, version=version)
                    self.rows[number] = dataclasses.replace(visit, drugs=tuple(drugs),
                                                            version=visit_version or visit.version)
                    last = len(COLUMNS) - 1
                    self.dataChanged.emit(self.index(number, 0), self.index(number, last))
                    parent = self.index(number, 0)
                    self.dataChanged.emit(self.index(position, 0, parent), self.index(position, last, parent))
                    return True
        return False

    # -- Qt model --------------------------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, NO_PARENT)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == NO_PARENT:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, NO_PARENT)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        if not parent.isValid():
            return len(self.rows)
        if parent.internalId() == NO_PARENT and parent.column() == 0 and 0 <= parent.row() < len(self.rows):
            drugs = self.rows[parent.row()].drugs
            return len(drugs) if len(drugs) > 1 else 0  # a visit of one drug is that drug's row
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def _at(self, index: Index) -> tuple[VisitSummary, AdministrationSummary | None] | None:
        if not index.isValid():
            return None
        if index.internalId() == NO_PARENT:
            return (self.rows[index.row()], None) if 0 <= index.row() < len(self.rows) else None
        number = index.internalId() - 1
        if not 0 <= number < len(self.rows):
            return None
        visit = self.rows[number]
        return (visit, visit.drugs[index.row()]) if 0 <= index.row() < len(visit.drugs) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self._at(index)
        if found is None:
            return None
        visit, drug = found
        if role == VISIT_ROLE:
            return visit
        if role == SUMMARY_ROLE:
            return drug if drug is not None or len(visit.drugs) != 1 else visit.drugs[0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._visit_text(visit, index.column()) if drug is None else self._drug_text(drug, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and drug is None:
            return f"Visit #{visit.id}: " + ", ".join(f"{d.hcpcs} {d.state.value.replace('_', ' ')}"
                                                      for d in visit.drugs)
        return None

    @staticmethod
    def _visit_text(visit: VisitSummary, column: int) -> str:
        if len(visit.drugs) == 1:
            only = visit.drugs[0]
            text = TodayModel._drug_text(only, column)
            return {COL_PATIENT: visit.patient_name, COL_MRN: visit.patient_mrn}.get(column, text)
        return {
            COL_TIME: f"{visit.recorded_at.astimezone():%H:%M}",
            COL_PATIENT: visit.patient_name,
            COL_MRN: visit.patient_mrn,
            COL_DRUG: ", ".join(d.hcpcs for d in visit.drugs),
            COL_GIVEN: f"{len(visit.drugs)} drug{'s' if len(visit.drugs) != 1 else ''}",
            COL_UNITS: str(visit.units),
            COL_STATUS: visit_status(visit),
        }[column]

    @staticmethod
    def _drug_text(drug: AdministrationSummary, column: int) -> str:
        return {
            COL_TIME: f"{drug.recorded_at.astimezone():%H:%M}",
            COL_PATIENT: "",
            COL_MRN: "",
            COL_DRUG: f"{drug.hcpcs} (#{drug.id})",
            COL_GIVEN: f"{drug.administered_mg.normalize():f} mg",
            COL_UNITS: str(drug.units),
            COL_STATUS: drug_status(drug),
        }[column]
