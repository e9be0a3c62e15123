"""The sign-in form (user name, password, message in words) and the dialog that shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLayout, QLineEdit, QVBoxLayout, QWidget

from desktop.facade.workstation import Workstation, sign_in_refusal, workstation_name
from desktop.ui.operations import CollectionOp, OpChanges, failure_words
from desktop.ui.widgets import add_row, button, heading, hint, message_label, named

if TYPE_CHECKING:
    from desktop.facade.people_types import SignedIn

__all__ = ["SignInDialog", "SignInForm", "workstation_name"]


class SignInForm(QWidget):
    """Emits `signed_in(SignedIn)` when the services accept the user name and password (asked off the GUI
    thread: the password hash and the audit event take a moment, a far database longer)."""

    signed_in = Signal(object)
    waiting = Signal()  # Sign in was pressed before the database was open (start-up): it goes ahead once it is


    def __init__(self, workstation: Workstation | None, title: str = "Sign in",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workstation = workstation
        self.signing: CollectionOp[SignedIn] | None = None
        self.setObjectName("sign_in_form")
        self.title = heading(title)
        self.title.setObjectName("sign_in_title")
        self.username = named(QLineEdit(), "sign_in_username", "User name")
        self.password = named(QLineEdit(), "sign_in_password", "Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # Not the dialog's default button: Enter in the password box signs in once (returnPressed below); as a
        # default button it signed in a second time, with the password just cleared, and replaced "wrong
        # password" or the lock-out words with "Enter your user name and password" (Enter in the user name too).
        self.submit = button("&Sign in", "sign_in_button", "Sign in")
        self.message = message_label("sign_in_message")
        self.message.setAccessibleName("Sign-in message")
        grid = QGridLayout()
        add_row(grid, 0, "&User name", self.username)
        add_row(grid, 1, "&Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(hint("Enter your own user name and password. Never share them."))
        layout.addLayout(grid)
        layout.addWidget(self.message)  # full width: a lock-out message is long
        layout.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignRight)
        self.submit.clicked.connect(self.try_sign_in)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_sign_in)

    def reset(self, username: str = "") -> None:
        self.username.setText(username)
        self.password.clear()
        self.show_message("")
        (self.password if username else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.message.setText(f"\u26a0 {text}" if text else "")
        self.message.setVisible(bool(text))
        self.password.setAccessibleDescription(text)

    def set_workstation(self, workstation: Workstation) -> None:
        """The database, once open: the start-up shows this form before it is (issue 16)."""
        self.workstation = workstation
        if self._asked:
            self._asked = False
            self.try_sign_in()

    _asked = False

    @property
    def busy(self) -> bool:
        """A sign-in is being checked."""
        return self.signing is not None and self.signing.running

    def try_sign_in(self) -> None:
        if self.busy:
            return  # Enter pressed twice: the first answer decides
        if self.workstation is None:
            self._asked = True
            self.message.setText("Opening the database\u2026 you are signed in as soon as it is open.")
            self.message.setVisible(True)
            self.waiting.emit()
            return
        workstation, username, password = self.workstation, self.username.text(), self.password.text()
        self.submit.setEnabled(False)
        self.signing = CollectionOp(self, lambda: workstation.sign_in(username, password, workstation_name()),
                                    label="Signing in", changes=OpChanges.of("audit"))
        self.signing.success(self._accepted).failure(self._refused).run_in_background()

    def _accepted(self, signed: SignedIn) -> None:
        self.submit.setEnabled(True)
        self.password.clear()
        self.show_message("")
        self.signed_in.emit(signed)

    def _refused(self, error: Exception) -> None:
        self.submit.setEnabled(True)
        self.show_message(str(error) if sign_in_refusal(error) else failure_words(error))  # e.g. the database went away
        if sign_in_refusal(error):
            self.password.clear()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)


class SignInDialog(QDialog):
    """Modal sign-in at start-up; `result_account` holds the SignedIn after exec() returns Accepted."""

    def __init__(self, workstation: Workstation | None, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self.setAccessibleName("Sign in")
        self.setWindowTitle("Sign in \u2014 Infusion Charge Capture")
        self.form = SignInForm(workstation, "Sign in to Infusion Charge Capture", self)
        self.signed: SignedIn | None = None
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with a long message
        layout.addWidget(self.form)
        self.form.signed_in.connect(self._accept)
        self.form.reset(username)
        self.resize(640, 400)

    def _accept(self, signed: SignedIn) -> None:
        self.signed = signed
        self.accept()
