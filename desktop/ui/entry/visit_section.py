"""Visit section: date of service, payer class, diagnoses, ordered dose, route, times, and the visit's documented
facts (payer, prior authorization, chair, ... as `desktop.records.VisitFacts` defines them)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QGridLayout, QGroupBox, QHBoxLayout, QLineEdit, QWidget

from desktop.billing.model import PayerClass
from desktop.records import VisitFacts
from desktop.records.fields import field_docs
from desktop.ui.entry.fact_fields import connect_changed, fact_widget, set_widget_value
from desktop.ui.widgets import FieldMessages, add_row, button, message_label, named

ROUTES = ("IV", "SC", "IM")
# Facts of the visit this section does not lay out itself: diagnoses have their own checked field, the nurse is
# the person signed in, notes and consent sit in the documentation section.
SHOWN_ELSEWHERE = frozenset({"diagnosis_codes", "nurse", "notes", "consent_recorded"})
PLACED = ("payer", "prior_authorization")  # beside the payer class; every other fact follows the times


def _time_field(object_name: str, caption: str) -> tuple[QWidget, QLineEdit]:
    field = named(QLineEdit(), object_name, caption)
    field.setPlaceholderText("HH:MM")
    field.setMaxLength(5)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance("00:00") + 28)  # HH:MM stays readable
    now = button("Now", f"{object_name}_now", f"Set {caption.lower()} to now")
    now.clicked.connect(lambda: field.setText(dt.datetime.now().strftime("%H:%M")))
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(now)
    return box, field


class VisitSection(QGroupBox):
    changed = Signal()

    def __init__(self, payer_labels: dict[PayerClass, str]) -> None:
        super().__init__("2  Visit and payer")
        self.date_of_service = named(QDateEdit(), "date_of_service", "Date of service")
        self.date_of_service.setCalendarPopup(True)
        self.date_of_service.setDisplayFormat("MM/dd/yyyy")
        self.date_of_service.setDate(QDate.currentDate())
        self.payer_class = named(QComboBox(), "payer_class", "Payer class")
        for payer, label in payer_labels.items():
            self.payer_class.addItem(label, payer)
        self.fact_fields: dict[str, QWidget] = {
            doc.name: fact_widget(doc) for doc in field_docs(VisitFacts) if doc.name not in SHOWN_ELSEWHERE
        }
        self.fact_labels = {doc.name: doc.label for doc in field_docs(VisitFacts)}
        self.payer_name: QLineEdit = self.fact_fields["payer"]  # type: ignore[assignment]
        self.prior_auth: QLineEdit = self.fact_fields["prior_authorization"]  # type: ignore[assignment]
        self.chair: QLineEdit = self.fact_fields["chair"]  # type: ignore[assignment]
        self.diagnoses = named(QLineEdit(), "diagnosis_codes", "Diagnosis codes, ICD-10-CM")
        self.diagnoses.setPlaceholderText("e.g. C91.10, Z51.12")
        self.diagnoses_message = message_label("diagnosis_codes_message")
        self.diagnoses_messages = FieldMessages(self.diagnoses, self.diagnoses_message)
        self.ordered_dose = named(QLineEdit(), "ordered_dose", "Ordered dose in mg")
        self.ordered_dose.setPlaceholderText("mg")
        self.ordered_message = message_label("ordered_dose_message")
        self.ordered_messages = FieldMessages(self.ordered_dose, self.ordered_message)
        self.route = named(QComboBox(), "route", "Route")
        self.route.addItems(ROUTES)
        start_box, self.start = _time_field("infusion_start", "Infusion start")
        stop_box, self.stop = _time_field("infusion_stop", "Infusion stop")
        self.time_message = message_label("infusion_time_message")
        self.time_messages = FieldMessages(self.stop, self.time_message)

        grid = QGridLayout(self)
        add_row(grid, 0, "Date of service", self.date_of_service)
        add_row(grid, 0, "Payer class", self.payer_class, column=2)
        add_row(grid, 1, "Payer", self.payer_name)
        add_row(grid, 1, "Prior auth #", self.prior_auth, column=2)
        add_row(grid, 2, "Diagnoses", self.diagnoses, self.diagnoses_message, span=3)
        add_row(grid, 3, "Ordered (mg)", self.ordered_dose, self.ordered_message)
        add_row(grid, 3, "Route", self.route, column=2)
        add_row(grid, 4, "Start", start_box)
        add_row(grid, 4, "Stop", stop_box, column=2)
        others = [name for name in self.fact_fields if name not in PLACED]
        for number, name in enumerate(others):
            add_row(grid, 5 + number // 2, self.fact_labels[name], self.fact_fields[name], column=2 * (number % 2))
        grid.addWidget(self.time_message, 50, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.date_of_service.dateChanged.connect(self.changed)
        self.payer_class.currentIndexChanged.connect(self.changed)
        self.route.currentIndexChanged.connect(self.changed)
        for field in (self.diagnoses, self.ordered_dose, self.start, self.stop):
            field.textChanged.connect(self.changed)
        for widget in self.fact_fields.values():
            connect_changed(widget, self.changed.emit)

    def set_payer_class(self, payer: PayerClass) -> None:
        index = self.payer_class.findData(payer)
        if index >= 0:
            self.payer_class.setCurrentIndex(index)

    def clear(self, keep_chair: bool = False) -> None:
        """Empty the section; `keep_chair` leaves the chair for the next patient at this workstation."""
        self.date_of_service.setDate(QDate.currentDate())
        self.payer_class.setCurrentIndex(0)
        self.route.setCurrentIndex(0)
        for field in (self.diagnoses, self.ordered_dose, self.start, self.stop):
            field.clear()
        for name, widget in self.fact_fields.items():
            if not (keep_chair and name == "chair"):
                set_widget_value(widget, None)
        for messages in (self.diagnoses_messages, self.ordered_messages, self.time_messages):
            messages.show("")
