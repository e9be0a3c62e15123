"""Read-only view of one stored visit: who, what, every drug with lines and reasons, findings, codes, history."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.facade.day_types import VisitDetail
from desktop.ui.review.visit_html import visit_html
from desktop.ui.widgets import named


class RecordDialog(QDialog):
    def __init__(self, parent: QWidget | None, visit: VisitDetail) -> None:
        super().__init__(parent)
        self.setObjectName("record_dialog")
        self.setAccessibleName(f"Visit {visit.id}")
        self.setWindowTitle(f"Visit #{visit.id} \u2014 {visit.patient.name}")
        self.resize(900, 700)
        self.text = named(QTextBrowser(), "record_text", "Visit details")
        self.text.setHtml(visit_html(visit))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        named(buttons.button(QDialogButtonBox.StandardButton.Close), "record_close", "Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
