"""Visit section: date of service, payer class, diagnoses and the visit's documented facts (payer, prior
authorization, ordering provider, chair, notes, ... as `desktop.records.VisitFacts` defines them), entered once
per visit: continuing a visit fills them from it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from desktop.billing.model import PayerClass
from desktop.records import VisitFacts
from desktop.records.fields import field_docs
from desktop.ui.entry.fact_fields import connect_changed, fact_widget, of_kind, set_widget_value
from desktop.ui.widgets import DateField, FieldMessages, caption, hint, message_label, named

# Facts of the visit this section does not lay out itself: diagnoses have their own checked field, the nurse is
# the person signed in, consent sits with the drug's documentation (it is ticked while the drug is entered).
SHOWN_ELSEWHERE = frozenset({"diagnosis_codes", "nurse", "consent_recorded"})
FIRST = ("payer", "prior_authorization")  # right after the diagnoses; the other facts follow in definition order


class VisitSection(QGroupBox):
    changed = Signal()
    date_changed = Signal()

    def __init__(self, payer_labels: dict[PayerClass, str]) -> None:
        super().__init__("2  Visit and payer")
        self.date_of_service = named(DateField(), "date_of_service", "Date of service")
        self.date_of_service.setCalendarPopup(True)
        self.date_of_service.setDisplayFormat("MM/dd/yyyy")
        self.date_of_service.setDate(QDate.currentDate())
        self.payer_class = named(QComboBox(), "payer_class", "Payer class")
        self.payer_class.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.payer_class.setMinimumContentsLength(8)
        self.payer_class.view().setMinimumWidth(300)  # the open list shows each payer class in full
        for payer, label in payer_labels.items():
            self.payer_class.addItem(label, payer)
        self.fact_fields: dict[str, QWidget] = {
            doc.name: fact_widget(doc) for doc in field_docs(VisitFacts) if doc.name not in SHOWN_ELSEWHERE
        }
        self.fact_labels = {doc.name: doc.label for doc in field_docs(VisitFacts)}
        self.payer_name = of_kind(self.fact_fields["payer"], QLineEdit)
        self.prior_auth = of_kind(self.fact_fields["prior_authorization"], QLineEdit)
        self.chair = of_kind(self.fact_fields["chair"], QLineEdit)
        self.notes = of_kind(self.fact_fields["notes"], QPlainTextEdit)
        self.notes.setMaximumHeight(80)
        self.notes.setMinimumWidth(120)
        self.notes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.diagnoses = named(QLineEdit(), "diagnosis_codes", "Diagnosis codes, ICD-10-CM")
        self.diagnoses.setPlaceholderText("e.g. C91.10, Z51.12")
        self.diagnoses_message = message_label("diagnosis_codes_message")
        self.diagnoses_messages = FieldMessages(self.diagnoses, self.diagnoses_message)
        self.payer_class_message = message_label("payer_class_message")
        self.payer_class_messages = FieldMessages(self.payer_class, self.payer_class_message)
        self.origin = hint("")  # where the prefilled facts came from (this visit, or the last one)
        self.origin.setObjectName("visit_origin")
        self.origin.setVisible(False)

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 6, 4, 4)
        grid.setVerticalSpacing(4)
        rows: list[tuple[str, QWidget, QWidget | None]] = [
            ("Service date", self.date_of_service, None),
            ("Payer class", self.payer_class, self.payer_class_message),
            ("Diagnoses", self.diagnoses, self.diagnoses_message),
        ]
        short = {"prior_authorization": "Prior auth #", "ordering_provider": "Ordered by",
                 "ordering_provider_npi": "Ordering NPI"}
        ordered = [*FIRST, *(name for name in self.fact_fields if name not in FIRST)]
        rows += [(short.get(name, self.fact_labels[name]), self.fact_fields[name], None) for name in ordered]
        grid.addWidget(self.origin, 0, 0, 1, 2)
        for number, (text, field, message) in enumerate(rows, start=1):
            grid.addWidget(caption(text, field), number * 2, 0)
            grid.addWidget(field, number * 2, 1)
            if message is not None:
                grid.addWidget(message, number * 2 + 1, 1)
        grid.setColumnStretch(1, 1)

        self.date_of_service.dateChanged.connect(self.changed)
        self.date_of_service.dateChanged.connect(self.date_changed)
        self.payer_class.currentIndexChanged.connect(self.changed)
        self.diagnoses.textChanged.connect(self.changed)
        for widget in self.fact_fields.values():
            connect_changed(widget, self.changed.emit)

    def set_payer_class(self, payer: PayerClass) -> None:
        index = self.payer_class.findData(payer)
        if index >= 0:
            self.payer_class.setCurrentIndex(index)

    def show_origin(self, words: str) -> None:
        self.origin.setText(words)
        self.origin.setVisible(bool(words))

    @property
    def day(self) -> dt.date:
        """The date of service on the form."""
        shown = self.date_of_service.date()
        return dt.date(shown.year(), shown.month(), shown.day())

    def set_day(self, day: dt.date) -> None:
        self.date_of_service.setDate(QDate(day.year, day.month, day.day))

    def set_today(self, today: dt.date) -> None:
        self.set_day(today)

    def clear(self, keep_chair: bool = False, today: dt.date | None = None) -> None:
        """Empty the section; `keep_chair` leaves the chair for the next patient at this workstation."""
        self.set_day(today or dt.date.today())
        self.payer_class.setCurrentIndex(0)
        self.diagnoses.clear()
        for name, widget in self.fact_fields.items():
            if not (keep_chair and name == "chair"):
                set_widget_value(widget, None)
        self.diagnoses_messages.show("")
        self.payer_class_messages.show("")
        self.show_origin("")
