"""Documentation section: medical-necessity notes, consent, and the free-drug (manufacturer program) flag."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QPlainTextEdit, QVBoxLayout

from desktop.records import VisitFacts
from desktop.records.fields import field_docs
from desktop.ui.entry.fact_fields import fact_widget
from desktop.ui.widgets import named


class DocumentationSection(QGroupBox):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("5  Documentation")
        docs = {doc.name: doc for doc in field_docs(VisitFacts)}
        self.notes: QPlainTextEdit = fact_widget(docs["notes"])  # type: ignore[assignment]
        self.notes.setMaximumHeight(110)
        self.consent: QCheckBox = fact_widget(docs["consent_recorded"])  # type: ignore[assignment]
        self.fact_fields = {"notes": self.notes, "consent_recorded": self.consent}
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
