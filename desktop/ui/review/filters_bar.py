"""The queue's filters: dates, state, payer class, drug, nurse, findings; Apply (Enter) and Clear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QLabel, QWidget

from desktop.facade.review_types import ChargeState, ReviewFilter
from desktop.records.payer_words import PAYER_WORDS
from desktop.ui.widgets import button, named

ANY = "Any"
S = ChargeState
STATE_CHOICES: tuple[tuple[str, tuple[ChargeState, ...]], ...] = (
    ("To work (not posted, not voided)", (S.RECORDED, S.VERIFIED, S.TICKET_PRINTED, S.HELD)),
    (ANY, ()),
    ("Recorded", (S.RECORDED,)), ("Verified", (S.VERIFIED,)), ("Ticket printed", (S.TICKET_PRINTED,)),
    ("Posted", (S.POSTED,)), ("Held", (S.HELD,)), ("Voided", (S.VOIDED,)),
)
PAYER_CHOICES = ((ANY, None), *((words, payer.value) for payer, words in PAYER_WORDS.items()))
FINDING_CHOICES = ((ANY, None), ("With errors or warnings", True), ("Without", False))
DEFAULT_DAYS = 30


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class FiltersBar(QWidget):
    applied = Signal(object)  # ReviewFilter

    def __init__(self, today: dt.date | None = None) -> None:
        super().__init__()
        self.setObjectName("review_filters")
        self.setAccessibleName("Review queue filters")
        self.today = today or dt.date.today()
        self.date_from = self._date_edit("review_date_from", "From date of service")
        self.date_to = self._date_edit("review_date_to", "To date of service")
        self.all_dates = named(QCheckBox("All &dates"), "review_all_dates", "All dates of service")
        self.all_dates.toggled.connect(self._all_dates)
        self.state = self._combo("review_state", "Status", [label for label, _ in STATE_CHOICES])
        self.payer = self._combo("review_payer", "Payer class", [label for label, _ in PAYER_CHOICES])
        self.drug = self._combo("review_drug", "Drug (HCPCS)", [ANY], editable=True)
        self.nurse = self._combo("review_nurse", "Nurse", [ANY], editable=True)
        self.findings = self._combo("review_findings", "Findings", [label for label, _ in FINDING_CHOICES])
        self.apply_button = button("&Apply filters", "review_apply", "Apply the filters")
        self.apply_button.setDefault(True)
        self.clear_button = button("C&lear", "review_clear", "Clear the filters")
        self.apply_button.clicked.connect(self.apply)
        self.clear_button.clicked.connect(self.clear)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        # Captions beside their fields, two rows: the queue keeps its height on a 768-pixel screen.
        cells = ((("&From", self.date_from), ("&To", self.date_to), ("&Status", self.state), ("Pa&yer", self.payer)),
                 (("Dr&ug", self.drug), ("&Nurse", self.nurse), ("F&indings", self.findings)))
        for row, pairs in enumerate(cells):
            for index, (caption, widget) in enumerate(pairs):
                label = QLabel(caption)
                label.setBuddy(widget)
                grid.addWidget(label, row, 2 * index)
                grid.addWidget(widget, row, 2 * index + 1)
        grid.addWidget(self.all_dates, 1, 6, 1, 2)
        grid.addWidget(self.apply_button, 0, 8)
        grid.addWidget(self.clear_button, 1, 8)
        for column in (1, 3, 5, 7):
            grid.setColumnStretch(column, 1)
        self.clear(emit=False)

    def _date_edit(self, name: str, accessible: str) -> QDateEdit:
        edit = named(QDateEdit(), name, accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _combo(self, name: str, accessible: str, items: Sequence[str], editable: bool = False) -> QComboBox:
        combo = named(QComboBox(), name, accessible)
        combo.addItems(list(items))
        combo.setEditable(editable)
        combo.setMinimumContentsLength(7)
        # Shrink to that length rather than push the Apply and Clear buttons off a narrow screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        line = combo.lineEdit() if editable else None
        if line is not None:
            line.returnPressed.connect(self.apply)
        return combo

    def _all_dates(self, on: bool) -> None:
        self.date_from.setEnabled(not on)
        self.date_to.setEnabled(not on)

    def set_choices(self, codes: Sequence[str], nurses: Sequence[str]) -> None:
        """Fill the drug and nurse lists with what the store holds, keeping what is typed."""
        for combo, values in ((self.drug, codes), (self.nurse, nurses)):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ANY, *values])
            combo.setCurrentText(current)
            combo.blockSignals(False)

    def clear(self, emit: bool = True) -> None:
        self.date_to.setDate(QDate(self.today.year, self.today.month, self.today.day))
        start = self.today - dt.timedelta(days=DEFAULT_DAYS)
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.all_dates.setChecked(False)
        for combo in (self.state, self.payer, self.findings):
            combo.setCurrentIndex(0)
        self.drug.setCurrentText(ANY)
        self.nurse.setCurrentText(ANY)
        if emit:
            self.apply()

    def current(self) -> ReviewFilter:
        def text(combo: QComboBox) -> str | None:
            value = combo.currentText().strip()
            return None if not value or value == ANY else value

        dates = not self.all_dates.isChecked()
        return ReviewFilter(
            date_from=_date(self.date_from) if dates else None, date_to=_date(self.date_to) if dates else None,
            states=STATE_CHOICES[self.state.currentIndex()][1], payer_class=PAYER_CHOICES[self.payer.currentIndex()][1],
            hcpcs=(text(self.drug) or "").upper() or None, nurse=text(self.nurse),
            has_findings=FINDING_CHOICES[self.findings.currentIndex()][1],
        )

    def apply(self) -> None:
        self.applied.emit(self.current())
