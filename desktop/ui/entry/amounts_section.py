"""Amounts section: mg opened, given and discarded (suggested as opened minus given), who discarded, the witness."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit

from desktop.ui.widgets import FieldMessages, add_row, hint, message_label, named


class AmountsSection(QGroupBox):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("4  Amounts")
        self.opened = QLabel("Opened: nothing yet")
        self.opened.setObjectName("opened_total")
        self.opened.setProperty("role", "heading")
        self.administered = named(QLineEdit(), "administered_mg", "Administered mg")
        self.administered.setPlaceholderText("mg given")
        self.administered_message = message_label("administered_mg_message")
        self.administered_messages = FieldMessages(self.administered, self.administered_message)
        self.discarded = named(QLineEdit(), "discarded_mg", "Discarded mg")
        self.discarded.setPlaceholderText("mg discarded")
        self.discarded_message = message_label("discarded_mg_message")
        self.discarded_messages = FieldMessages(self.discarded, self.discarded_message)
        self.suggestion = hint("")
        self.suggestion.setObjectName("discarded_suggestion")
        # Filled with the signed-in nurse on a new form (she usually wastes the drug herself); editable.
        self.discarded_by = named(QLineEdit(), "discarded_by", "Discarded by")
        self.discarded_by.setPlaceholderText("Name of the nurse who discarded the drug")
        self.discarded_by.setMaxLength(120)
        self.witness = named(QLineEdit(), "waste_witness", "Waste witness")
        self.witness.setPlaceholderText("Name of the nurse who witnessed the waste")
        # The discarded amount follows the suggestion until the nurse types her own number.
        self.discarded_typed = False

        grid = QGridLayout(self)
        grid.addWidget(self.opened, 0, 0, 1, 2)
        add_row(grid, 1, "Given (mg)", self.administered, self.administered_message)
        add_row(grid, 2, "Discarded (mg)", self.discarded, self.discarded_message)
        grid.addWidget(self.suggestion, 6, 1)
        add_row(grid, 3, "Discarded by", self.discarded_by)
        add_row(grid, 4, "Waste witness", self.witness)
        grid.setColumnStretch(1, 1)

        self.administered.textChanged.connect(self.changed)
        self.discarded.textChanged.connect(self.changed)
        self.discarded.textEdited.connect(self._typed)
        self.discarded_by.textChanged.connect(self.changed)
        self.witness.textChanged.connect(self.changed)

    def _typed(self, text: str) -> None:
        self.discarded_typed = bool(text.strip())

    def clear(self) -> None:
        for field in (self.administered, self.discarded, self.discarded_by, self.witness):
            field.clear()
        self.discarded_typed = False
        self.administered_messages.show("")
        self.discarded_messages.show("")
        self.suggestion.setText("")
        self.opened.setText("Opened: nothing yet")
