"""Before the main window: the first-run wizard on an empty database, else the sign-in dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from desktop.facade.workstation import Workstation
from desktop.ui.people.first_run import FirstRunWizard
from desktop.ui.people.sign_in import SignInDialog

if TYPE_CHECKING:
    from desktop.facade.people_types import SignedIn


def start_session(workstation: Workstation, parent: QWidget | None = None) -> SignedIn | None:
    """The SignedIn person, or None when they closed the dialog (the app then quits: nothing is usable).

    Asks whether the database has accounts on the GUI thread: only for callers without a start-up screen (the
    application itself opens the store and asks this behind its first window, see desktop.ui.app)."""
    if workstation.needs_first_administrator():
        wizard = FirstRunWizard(workstation, parent)
        return wizard.signed if wizard.exec() == QDialog.DialogCode.Accepted else None
    dialog = SignInDialog(workstation, parent)
    return dialog.signed if dialog.exec() == QDialog.DialogCode.Accepted else None
