"""Amounts and documentation of the drug being entered: mg given, start and stop, the waste (suggested as opened
minus given), who discarded and who witnessed it, consent for the visit, ordered dose, route, free drug.

The order is the nurse's: what every drug needs first (given, times, consent, witness), then what usually
follows by itself (discarded amount, discarder, ordered dose, route)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from desktop.records import VisitFacts
from desktop.records.fields import field_docs
from desktop.ui.entry.fact_fields import fact_widget, of_kind
from desktop.ui.widgets import FieldMessages, boxed, button, caption, hint, message_label, named

ROUTES = ("IV", "SC", "IM")


def _time_field(object_name: str, words: str, zone_now: Callable[[], dt.datetime]) -> tuple[QWidget, QLineEdit]:
    field = named(QLineEdit(), object_name, words, f"{words}, 24-hour clock, e.g. 09:30")
    field.setPlaceholderText("HH:MM")
    field.setMaxLength(8)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance("00:00") + 20)
    now = button("Now", f"{object_name}_now", f"Set {words.lower()} to now")
    now.setProperty("role", "compact")
    now.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a touch shortcut: Tab goes from field to field
    now.clicked.connect(lambda: field.setText(zone_now().strftime("%H:%M")))
    return boxed(field, now), field


class AmountsSection(QGroupBox):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("4  Given, times, waste and consent")
        # The facility's clock, given by the presenter; this workstation's until then.
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()
        self.opened = QLabel("Opened: nothing yet")
        self.opened.setWordWrap(True)
        self.opened.setObjectName("opened_total")
        self.administered = named(QLineEdit(), "administered_mg", "Administered mg",
                                  "mg given (Ctrl+G), e.g. 275")
        self.administered_message = message_label("administered_mg_message")
        self.administered_messages = FieldMessages(self.administered, self.administered_message)
        start_box, self.start = _time_field("infusion_start", "Infusion start", lambda: self.now())
        stop_box, self.stop = _time_field("infusion_stop", "Infusion stop", lambda: self.now())
        self.start_message = message_label("infusion_start_message")
        self.stop_message = message_label("infusion_stop_message")
        self.start_messages = FieldMessages(self.start, self.start_message)
        self.stop_messages = FieldMessages(self.stop, self.stop_message)
        self.witness = named(QLineEdit(), "waste_witness", "Waste witness")
        self.witness.setPlaceholderText("nurse who saw the waste")
        self.witness.setMaxLength(120)
        docs = {doc.name: doc for doc in field_docs(VisitFacts)}
        self.consent = of_kind(fact_widget(docs["consent_recorded"]), QCheckBox)
        self.consent.setToolTip("Consent belongs to the visit: ticked once, it stays for the visit's next drugs")
        self.fact_fields: dict[str, QWidget] = {"consent_recorded": self.consent}
        self.discarded = named(QLineEdit(), "discarded_mg", "Discarded mg")
        self.discarded_message = message_label("discarded_mg_message")
        self.discarded_messages = FieldMessages(self.discarded, self.discarded_message)
        self.suggestion = hint("")
        self.suggestion.setObjectName("discarded_suggestion")
        # Filled with the signed-in nurse on a new form (she usually wastes the drug herself); editable.
        self.discarded_by = named(QLineEdit(), "discarded_by", "Discarded by")
        self.discarded_by.setMaxLength(120)
        self.ordered_dose = named(QLineEdit(), "ordered_dose", "Ordered dose in mg")
        self.ordered_message = message_label("ordered_dose_message")
        self.ordered_messages = FieldMessages(self.ordered_dose, self.ordered_message)
        self.route = named(QComboBox(), "route", "Route")
        self.route.addItems(ROUTES)
        self.free_drug = named(QCheckBox("Free drug (not billed)"), "free_drug",
                               "Free drug from a manufacturer program",
                               "The drug came free from a manufacturer program: its lines are not billed")
        # The discarded amount follows the suggestion until the nurse types her own number.
        self.discarded_typed = False

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 6, 4, 4)
        grid.setVerticalSpacing(4)
        rows: list[tuple[str, QWidget, QWidget | None]] = [
            ("&Given mg", boxed(self.administered, self.opened), self.administered_message),
            ("Start", start_box, self.start_message), ("Stop", stop_box, self.stop_message),
            ("", self.consent, None), ("&Witness", self.witness, None),
            ("&Discarded mg", boxed(self.discarded, self.suggestion), self.discarded_message),
            ("Discarded by", self.discarded_by, None),
            ("&Ordered mg", boxed(self.ordered_dose, caption("Route", self.route), self.route), self.ordered_message),
            ("", self.free_drug, None),
        ]
        buddies = {start_box: self.start, stop_box: self.stop}
        for number, (text, field, message) in enumerate(rows):
            if text:
                grid.addWidget(caption(text, buddies.get(field, field)), number * 2, 0)
            grid.addWidget(field, number * 2, 1)
            if message is not None:
                grid.addWidget(message, number * 2 + 1, 1)
        grid.setColumnStretch(1, 1)

        for field in (self.administered, self.discarded, self.discarded_by, self.witness, self.ordered_dose,
                      self.start, self.stop):
            field.textChanged.connect(self.changed)
        self.discarded.textEdited.connect(self._typed)
        self.route.currentIndexChanged.connect(self.changed)
        self.consent.toggled.connect(lambda _on: self.changed.emit())
        self.free_drug.toggled.connect(lambda _on: self.changed.emit())

    def _typed(self, text: str) -> None:
        self.discarded_typed = bool(text.strip())

    def focus_chain(self) -> list[QWidget]:
        return [self.administered, self.start, self.stop, self.consent, self.witness, self.discarded,
                self.discarded_by, self.ordered_dose, self.route, self.free_drug]

    def clear(self, keep_visit: bool = False) -> None:
        """Empty the drug's fields; `keep_visit` leaves consent, which belongs to the visit."""
        for field in (self.administered, self.discarded, self.discarded_by, self.witness, self.ordered_dose,
                      self.start, self.stop):
            field.clear()
        self.route.setCurrentIndex(0)
        self.free_drug.setChecked(False)
        if not keep_visit:
            self.consent.setChecked(False)
        self.discarded_typed = False
        for messages in (self.administered_messages, self.discarded_messages, self.ordered_messages,
                         self.start_messages, self.stop_messages):
            messages.show("")
        self.suggestion.setText("")
        self.opened.setText("Opened: nothing yet")
