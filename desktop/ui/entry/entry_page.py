"""Layout of the chair entry screen: the form on the left, the live claim preview and actions on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.billing.model import PayerClass
from desktop.ui.entry.amounts_section import AmountsSection
from desktop.ui.entry.documentation_section import DocumentationSection
from desktop.ui.entry.drug_section import DrugSection
from desktop.ui.entry.patient_section import PatientSection
from desktop.ui.entry.preview_panel import PreviewPanel
from desktop.ui.entry.visit_section import VisitSection
from desktop.ui.widgets import button, scrolled


class EntryPage(QWidget):
    """Enter accepts the charge when it can be accepted; Esc asks to clear the form."""

    accept_pressed = Signal()
    cancel_pressed = Signal()

    def __init__(self, payer_labels: dict[PayerClass, str]) -> None:
        super().__init__()
        self.setObjectName("entry_page")
        self.patient = PatientSection()
        self.visit = VisitSection(payer_labels)
        self.drug = DrugSection()
        self.amounts = AmountsSection()
        self.documentation = DocumentationSection()
        self.preview = PreviewPanel()
        self.mode = QLabel("")
        self.mode.setObjectName("entry_mode")
        self.mode.setProperty("role", "heading")
        self.mode.setVisible(False)

        self.accept_button = button("\u2714 Accept  (Enter)", "accept_button", "Accept charge")
        self.hold_button = button("Save as held…", "hold_button", "Save as held with a reason")
        self.clear_button = button("Clear  (Esc)", "clear_button", "Clear the form")
        self.status = QLabel("")
        self.status.setObjectName("entry_status")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "heading")

        form = QWidget()
        form_layout = QVBoxLayout(form)
        for section in (self.patient, self.visit, self.drug, self.amounts, self.documentation):
            form_layout.addWidget(section)
        form_layout.addStretch(1)

        # Accept gets a row of its own: the biggest target, and never squeezed on a narrow cart screen.
        actions = QVBoxLayout()
        others = QHBoxLayout()
        others.addWidget(self.clear_button, 1)
        others.addWidget(self.hold_button, 1)
        actions.addLayout(others)
        actions.addWidget(self.accept_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.mode)
        right_layout.addWidget(scrolled(self.preview, "preview_scroll"), 1)
        right_layout.addWidget(self.status)
        right_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolled(form, "form_scroll"))
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)  # the form needs the room; the preview wraps its words
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self.accept_button.clicked.connect(lambda _on: self.accept_pressed.emit())
        self.clear_button.clicked.connect(lambda _on: self.cancel_pressed.emit())
        self.setTabOrder(self.patient.search, self.patient.new_button)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_pressed.emit()
            return
        super().keyPressEvent(event)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
