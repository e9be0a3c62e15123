"""Layout of the chair entry screen: patient and visit, then the drug (two columns that fit a 1366 x 768 cart
screen without scrolling for the usual visit), and on the right the visit's drugs, its live claim and actions."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from desktop.billing.model import PayerClass
from desktop.ui.entry.amounts_section import AmountsSection
from desktop.ui.entry.drug_section import DrugSection
from desktop.ui.entry.patient_section import PatientSection
from desktop.ui.entry.preview_panel import PreviewPanel
from desktop.ui.entry.visit_drugs import VisitDrugsPanel
from desktop.ui.entry.visit_section import VisitSection
from desktop.ui.widgets import button, scrolled

RIGHT_WIDTH = 350  # the claim's column at 1366 x 768: its lines wrap; on a wider screen it grows too
LEFT_WIDTH = 440  # the widest the patient and visit column gets


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
        self.visit_drugs = VisitDrugsPanel()
        self.preview = PreviewPanel()
        self.mode = QLabel("")
        self.mode.setObjectName("entry_mode")
        self.mode.setProperty("role", "heading")
        self.mode.setWordWrap(True)
        self.mode.setVisible(False)

        self.accept_button = button("\u2714 Accept  (Enter)", "accept_button", "Accept charge")
        self.hold_button = button("Save as held\u2026", "hold_button", "Save as held with a reason")
        self.clear_button = button("Clear  (Esc)", "clear_button", "Clear the form")
        self.status = QLabel("")
        self.status.setObjectName("entry_status")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "heading")
        # Enter in these fields picks or adds (a patient, a drug, vials); everywhere else it accepts.
        self.enter_fields = (self.patient.search, self.drug.search, self.drug.count)
        self._enter_used = False
        for field in self.enter_fields:
            field.returnPressed.connect(self._use_enter)
        self._focused_once = False

        form = QWidget()
        form.setObjectName("entry_form")
        columns = QHBoxLayout(form)
        columns.setContentsMargins(0, 0, 0, 0)
        # Patient and visit fields are short: their column stays narrower and the drug's gets more.
        for sections, stretch in (((self.patient, self.visit), 2), ((self.drug, self.amounts), 3)):
            column = QVBoxLayout()
            for section in sections:
                column.addWidget(section)
                if stretch == 2:
                    section.setMaximumWidth(LEFT_WIDTH)
            column.addStretch(1)
            columns.addLayout(column, stretch)

        # Accept gets a row of its own: the biggest target, and never squeezed on a narrow cart screen.
        actions = QVBoxLayout()
        others = QHBoxLayout()
        others.addWidget(self.clear_button, 1)
        others.addWidget(self.hold_button, 1)
        actions.addLayout(others)
        actions.addWidget(self.accept_button)
        right = QWidget()
        right.setObjectName("entry_right")
        right.setMinimumWidth(RIGHT_WIDTH)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.mode)
        right_layout.addWidget(self.visit_drugs)
        preview_scroll = scrolled(self.preview, "preview_scroll")
        preview_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_layout.addWidget(preview_scroll, 1)
        right_layout.addWidget(self.status)
        right_layout.addLayout(actions)

        self.form_scroll = scrolled(form, "form_scroll")
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("entry_splitter")
        splitter.addWidget(self.form_scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([3 * RIGHT_WIDTH, RIGHT_WIDTH])
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.accept_button.clicked.connect(lambda _on: self.accept_pressed.emit())
        self.clear_button.clicked.connect(lambda _on: self.cancel_pressed.emit())
        self.drug.vials.rows_changed.connect(self.order_focus)
        self.order_focus()

    def focus_chain(self) -> list[QWidget]:
        """Tab order: as the fields are read, left column then right, each row of vials in its place."""
        patient, visit = self.patient, self.visit
        chain: list[QWidget] = [patient.search, patient.new_button, patient.results, patient.mrn, patient.birth_date,
                                patient.name, visit.date_of_service, visit.payer_class, visit.diagnoses]
        chain += [w for name, w in visit.fact_fields.items()]
        chain += self.drug.focus_chain()
        for row in self.drug.vials.rows:
            chain += row.focus_chain()
        chain += self.amounts.focus_chain()
        chain += [self.accept_button, self.hold_button, self.clear_button]
        return chain

    def order_focus(self) -> None:
        chain = self.focus_chain()
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def scroll_to_top(self) -> None:
        self.form_scroll.verticalScrollBar().setValue(0)

    def show_field(self, widget: QWidget) -> None:
        """Bring `widget` into view and put the cursor in it (a finding's "Go to field")."""
        area = self.findChild(QScrollArea, "form_scroll")
        if area is not None and area.isAncestorOf(widget):
            area.ensureWidgetVisible(widget, 20, 20)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _use_enter(self) -> None:
        self._enter_used = True  # the field acted on this Enter; it reaches the page next and must not accept
        QTimer.singleShot(0, self._forget_enter)  # should the field keep the event, the next Enter still counts

    def _forget_enter(self) -> None:
        self._enter_used = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._focused_once:  # the first thing at the chair is the patient (a wristband scan lands here)
            self._focused_once = True
            QTimer.singleShot(0, lambda: self.patient.search.setFocus(Qt.FocusReason.OtherFocusReason))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            used, self._enter_used = self._enter_used, False
            if not used:
                self.accept_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_pressed.emit()
            return
        super().keyPressEvent(event)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
