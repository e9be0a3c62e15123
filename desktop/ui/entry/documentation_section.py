"""Documentation section: medical-necessity notes, consent, and the free-drug (manufacturer program) flag."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QPlainTextEdit, QVBoxLayout

from desktop.ui.widgets import named


class DocumentationSection(QGroupBox):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("5  Documentation")
        self.notes = named(QPlainTextEdit(), "notes", "Medical-necessity notes")
        self.notes.setPlaceholderText("Medical necessity: prior therapies, test results, reason for the dose")
        self.notes.setTabChangesFocus(True)  # keep the keyboard flow moving with Tab
        self.notes.setMaximumHeight(110)
        self.consent = named(QCheckBox("Consent recorded"), "consent", "Consent recorded")
        self.free_drug = named(QCheckBox("Free drug (manufacturer program): do not bill the drug"),
                               "free_drug", "Free drug from a manufacturer program")
        layout = QVBoxLayout(self)
        layout.addWidget(self.notes)
        layout.addWidget(self.consent)
        layout.addWidget(self.free_drug)
        self.notes.textChanged.connect(self.changed)
        self.consent.toggled.connect(lambda _on: self.changed.emit())
        self.free_drug.toggled.connect(lambda _on: self.changed.emit())

    def clear(self) -> None:
        self.notes.clear()
        self.consent.setChecked(False)
        self.free_drug.setChecked(False)
