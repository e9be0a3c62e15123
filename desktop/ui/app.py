"""Starts the desktop application: one QApplication, the store from a URL, the main window, a draft offer."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.services.drafts import DraftStore
from desktop.ui.backend import ChairBackend
from desktop.ui.main_window import MainWindow
from desktop.ui.theme import apply_theme


def database_label(url: str) -> str:
    """The database for the status bar, without any password."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def app_icon() -> QIcon:
    """The vial-and-ticket icon shipped in resources/icons (works from source, installed or frozen)."""
    from importlib import resources

    icon = QIcon()
    for name in ("infusion-charge.png", "infusion-charge-512.png"):
        data = resources.files("resources").joinpath("icons", name).read_bytes()
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        icon.addPixmap(pixmap)
    return icon


def run_app(database_url: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Infusion Charge Capture")
    app.setWindowIcon(app_icon())
    apply_theme(app)  # type: ignore[arg-type]
    from desktop.services.errors import ServiceError
    from desktop.services.store import open_store

    try:
        store = open_store(database_url)
    except ServiceError as exc:
        QMessageBox.critical(None, "Database not available", str(exc))
        return 1
    from desktop.ui.people.startup import start_session
    from desktop.ui.session import attach_session, offer_draft, who

    signed = start_session(store)  # the first-run wizard on an empty database, else sign-in
    if signed is None:  # closed without signing in: nothing is usable
        store.close()
        return 0
    user, _label = who(signed)
    backend = ChairBackend(store=store, user=user, drafts=DraftStore(user=user),
                           database_label=database_label(store.url))
    window = MainWindow(backend)
    attach_session(window, signed)
    window.showMaximized()
    offer_draft(window)
    code = app.exec()
    store.close()
    return int(code)
