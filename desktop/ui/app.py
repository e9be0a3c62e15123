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


def tightened_notice(store: object) -> str | None:
    """Words for the one start at which an existing installation's files were made private, else None."""
    changed = getattr(store, "tightened", ())
    if not changed:
        return None
    listed = "\n".join(f"\u2022 {item.describe()}" for item in changed[:8])
    more = f"\n\u2026 and {len(changed) - 8} more" if len(changed) > 8 else ""
    return ("Some files with patient data could be read by other accounts on this computer. They are now private "
            "(your account only; the workstation database: its group only):\n"
            f"{listed}{more}\n\nNothing else changed. If other people used them, ask your administrator about a "
            "shared workstation database.")


def _install_excepthook() -> None:
    """A bug in a screen is logged (without its message) and shown as words; the program carries on."""
    from desktop.services.event_log import log_unexpected
    from desktop.ui.operations import failure_words

    def hook(kind: type[BaseException], error: BaseException, _trace: object) -> None:
        if not isinstance(error, Exception):
            sys.__excepthook__(kind, error, _trace)  # type: ignore[arg-type]
            return
        log_unexpected("a screen action", error)
        QMessageBox.warning(QApplication.activeWindow(), "Something went wrong", failure_words(error))

    sys.excepthook = hook


def run_app(database_url: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Infusion Charge Capture")
    app.setWindowIcon(app_icon())
    apply_theme(app)  # type: ignore[arg-type]
    from desktop.services.event_log import configure_log, log_event
    from desktop.ui.people.connecting import ConnectDialog, safe_url

    configure_log()
    _install_excepthook()
    connecting = ConnectDialog(database_url)  # "Connecting to …", then Retry / Change database / Quit
    if connecting.exec() != ConnectDialog.DialogCode.Accepted or connecting.store is None:
        return 1
    store = connecting.store
    log_event("database opened: %s", safe_url(store.url))  # type: ignore[attr-defined]
    notice = tightened_notice(store)
    if notice:
        log_event("made %d existing file(s) private", len(store.tightened))  # type: ignore[attr-defined]
        QMessageBox.information(None, "Patient data made private", notice)
    from desktop.ui.people.startup import start_session
    from desktop.ui.session import attach_session, offer_draft, who

    signed = start_session(store)  # the first-run wizard on an empty database, else sign-in
    if signed is None:  # closed without signing in: nothing is usable
        store.close()  # type: ignore[attr-defined]
        return 0
    user, _label = who(signed)
    backend = ChairBackend(store=store, user=user, drafts=DraftStore(user=user),
                           database_label=database_label(store.url))  # type: ignore[attr-defined]
    window = MainWindow(backend)
    attach_session(window, signed)
    window.showMaximized()
    offer_draft(window)
    code = app.exec()
    store.close()  # type: ignore[attr-defined]
    return int(code)
