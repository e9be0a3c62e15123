"""Before the main window: the first-run wizard on an empty database, else the sign-in dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from desktop.ui.people.first_run import FirstRunWizard
from desktop.ui.people.sign_in import SignInDialog


def start_session(store: object, parent: QWidget | None = None) -> object | None:
    """The SignedIn person, or None when they closed the dialog (the app then quits: nothing is usable)."""
    from desktop.services.people.accounts import needs_first_administrator

    if needs_first_administrator(store):  # type: ignore[arg-type]
        wizard = FirstRunWizard(store, parent)
        return wizard.signed if wizard.exec() == QDialog.DialogCode.Accepted else None
    dialog = SignInDialog(store, parent)
    return dialog.signed if dialog.exec() == QDialog.DialogCode.Accepted else None
