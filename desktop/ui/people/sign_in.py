"""The sign-in form (user name, password, message in words) and the dialog that shows it."""

from __future__ import annotations

import socket

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLayout, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.widgets import add_row, button, heading, hint, message_label, named


def workstation_name() -> str:
    try:
        return socket.gethostname()[:60]
    except OSError:
        return ""


class SignInForm(QWidget):
    """Emits `signed_in(SignedIn)` when the services accept the user name and password."""

    signed_in = Signal(object)
    waiting = Signal()  # Sign in was pressed before the database was open (start-up): it goes ahead once it is


    def __init__(self, store: object, title: str = "Sign in", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
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

    def set_store(self, store: object) -> None:
        """The database, once open: the start-up shows this form before it is (issue 16)."""
        self.store = store
        if self._asked:
            self._asked = False
            self.try_sign_in()

    _asked = False

    def try_sign_in(self) -> None:
        if self.store is None:
            self._asked = True
            self.message.setText("Opening the database\u2026 you are signed in as soon as it is open.")
            self.message.setVisible(True)
            self.waiting.emit()
            return
        from desktop.services.errors import ServiceError
        from desktop.services.people.sign_in import SignInError, sign_in

        try:
            result = sign_in(self.store, self.username.text(), self.password.text(),  # type: ignore[arg-type]
                             workstation_name())
        except SignInError as exc:
            self.show_message(str(exc))
            self.password.clear()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except ServiceError as exc:  # e.g. the database went away
            self.show_message(str(exc))
            return
        self.password.clear()
        self.show_message("")
        self.signed_in.emit(result)


class SignInDialog(QDialog):
    """Modal sign-in at start-up; `result_account` holds the SignedIn after exec() returns Accepted."""

    def __init__(self, store: object, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self.setAccessibleName("Sign in")
        self.setWindowTitle("Sign in \u2014 Infusion Charge Capture")
        self.form = SignInForm(store, "Sign in to Infusion Charge Capture", self)
        self.signed = None
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with a long message
        layout.addWidget(self.form)
        self.form.signed_in.connect(self._accept)
        self.form.reset(username)
        self.resize(640, 400)

    def _accept(self, signed: object) -> None:
        self.signed = signed
        self.accept()
