"""Patient section: find a patient by MRN or name as you type (or scan the wristband), or enter a new one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem

from desktop.facade.chair_types import PatientView
from desktop.records.visit import ADMINISTRATIVE_SEX
from desktop.ui.widgets import FieldMessages, button, caption, hint, message_label, named, pair_row

NO_MATCH = "No match. Press New patient to enter one."
SEX_NOT_GIVEN = "not given"  # saving leaves a stored sex as it is


def sex_box() -> QComboBox:
    """The patient's administrative sex in words (HL7 table 0001), first "not given"; each entry's data is its code."""
    box = named(QComboBox(), "patient_sex", "Patient administrative sex",
                "Administrative sex for the claim; not given keeps what is stored")
    box.addItem(SEX_NOT_GIVEN, None)
    for code, words in ADMINISTRATIVE_SEX.items():
        box.addItem(words, code)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(6)  # never what widens the section: 1366 x 768 has no width to spare
    box.view().setMinimumWidth(box.fontMetrics().horizontalAdvance(SEX_NOT_GIVEN) + 40)
    return box


class PatientSection(QGroupBox):
    """The view only: the presenter fills the result list and reads the patient fields."""

    search_changed = Signal(str)
    changed = Signal()
    picked = Signal()  # a patient was taken from the search results

    def __init__(self) -> None:
        super().__init__("1  Patient")
        self.search = named(QLineEdit(), "patient_search", "Find patient by MRN or name",
                            "Type the MRN or name, or scan the wristband (Ctrl+F)")
        self.search.setPlaceholderText("MRN or name, or scan the wristband")
        self.results = named(QListWidget(), "patient_results", "Matching patients")
        self.results.setMaximumHeight(150)
        self.results.setVisible(False)
        self.new_button = button("&New patient", "new_patient_button", "Enter a new patient")
        self.mrn = named(QLineEdit(), "patient_mrn", "Patient MRN")
        self.mrn.setMinimumWidth(self.mrn.fontMetrics().horizontalAdvance("0000000") + 8)
        self.name = named(QLineEdit(), "patient_name", "Patient name")
        self.name.setPlaceholderText("Last, First")
        self.birth_date = named(QLineEdit(), "patient_birth_date", "Patient date of birth")
        self.birth_date.setPlaceholderText("MM/DD/YYYY")
        self.birth_date.setMinimumWidth(self.birth_date.fontMetrics().horizontalAdvance("00/00/0000") + 18)
        self.sex = sex_box()
        self.mrn_message = message_label("patient_mrn_message")
        self.birth_message = message_label("patient_birth_date_message")
        self.mrn_messages = FieldMessages(self.mrn, self.mrn_message)
        self.birth_messages = FieldMessages(self.birth_date, self.birth_message)
        self.status = hint("")
        self.status.setObjectName("patient_status")
        self.status.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 6, 4, 4)
        grid.setVerticalSpacing(4)
        grid.addLayout(top, 0, 0, 1, 4)
        grid.addWidget(self.results, 1, 0, 1, 4)
        pair_row(grid, 1, [("MRN", self.mrn), ("Born", self.birth_date)])
        grid.addWidget(self.mrn_message, 3, 1)
        grid.addWidget(self.birth_message, 3, 3)
        grid.addWidget(caption("Name", self.name), 4, 0)
        grid.addWidget(self.name, 4, 1, 1, 3)
        # A row of its own: beside the name it left the name too narrow to read at 1366 x 768. The drug column
        # is the taller one, so the screen scrolls no more for it.
        grid.addWidget(caption("Sex", self.sex), 5, 0)
        grid.addWidget(self.sex, 5, 1, 1, 2)
        grid.addWidget(self.status, 8, 0, 1, 4)
        grid.setColumnStretch(1, 1)

        self.search.textEdited.connect(self.search_changed)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self.new_button.clicked.connect(self.start_new)
        for field in (self.mrn, self.name, self.birth_date):
            field.textChanged.connect(self.changed)
        self.sex.currentIndexChanged.connect(self.changed)

    def show_results(self, patients: list[PatientView]) -> None:
        """The answer of a search for the text in the box: the matches, or words saying there is none."""
        self.results.clear()
        for patient in patients:
            text = f"{patient.mrn}   {patient.name}   born {patient.date_of_birth:%m/%d/%Y}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, patient)
            self.results.addItem(item)
        if not patients and self.search.text().strip():
            self.results.addItem(QListWidgetItem(NO_MATCH))
        self.results.setVisible(self.results.count() > 0)

    def hide_results(self) -> None:
        """Too little typed to search: nothing is shown (not a "No match" that was never searched for)."""
        self.results.clear()
        self.results.setVisible(False)

    def pick_first(self) -> bool:
        item = self.results.item(0)
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return False
        self._pick(item)
        return True

    def _pick(self, item: QListWidgetItem) -> None:
        patient = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(patient, PatientView):
            return
        self.mrn.setText(patient.mrn)
        self.name.setText(patient.name)
        self.birth_date.setText(f"{patient.date_of_birth:%m/%d/%Y}")
        self.set_sex(patient.sex)
        self.results.setVisible(False)
        self.status.setText(f"Chosen: {patient.name} (MRN {patient.mrn})")
        self.status.setVisible(False)  # the fields say it; the line is read by screen readers only
        self.changed.emit()
        self.picked.emit()

    def start_new(self) -> None:
        typed = self.search.text().strip()
        self.mrn.setText(typed if typed.isdigit() else "")
        self.name.setText("" if typed.isdigit() else typed)
        self.birth_date.clear()
        self.set_sex(None)
        self.results.setVisible(False)
        self.status.setText("New patient: fill in MRN, name and date of birth.")
        self.status.setVisible(True)
        (self.name if typed.isdigit() else self.mrn).setFocus()

    @property
    def sex_code(self) -> str | None:
        """The chosen code of ADMINISTRATIVE_SEX; None: not given."""
        code = self.sex.currentData()
        return code if isinstance(code, str) else None

    def set_sex(self, code: object) -> None:
        """Show a stored or drafted code; None or a code the table lacks shows "not given"."""
        index = self.sex.findData(code) if isinstance(code, str) else -1
        self.sex.setCurrentIndex(max(index, 0))

    def clear(self) -> None:
        for field in (self.search, self.mrn, self.name, self.birth_date):
            field.clear()
        self.set_sex(None)
        self.hide_results()
        self.status.setText("")
        self.status.setVisible(False)
        self.mrn_messages.show("")
        self.birth_messages.show("")
