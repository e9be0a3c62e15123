"""Asks for the reason a charge is held, voided or corrected; Enter confirms, Esc cancels."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.widgets import message_label, named


class ReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, question: str, confirm: str) -> None:
        super().__init__(parent)
        self.setObjectName("reason_dialog")
        self.setAccessibleName(title)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.reason = named(QLineEdit(), "reason_field", "Reason")
        self.message = message_label("reason_message")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        named(self.confirm, "reason_confirm", confirm)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        named(cancel, "reason_cancel", "Cancel")
        prompt = QLabel(question)
        prompt.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)

    def _confirm(self) -> None:
        if len(self.reason.text().strip()) < 3:
            self.message.setText("\u26a0 Please write a reason (a few words).")
            self.message.setVisible(True)
            return
        self.accept()

    def text(self) -> str:
        return self.reason.text().strip()


def ask_reason(parent: QWidget | None, title: str, question: str, confirm: str) -> str | None:
    dialog = ReasonDialog(parent, title, question, confirm)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
