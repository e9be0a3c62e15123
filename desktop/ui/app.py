"""Starts the desktop application: the sign-in (or first-run) window at once, the store opening behind it, then
the main window and a draft offer.

Start-up order (issue 16): only PySide6 and the small people screens are imported before the first window shows;
the store (SQLAlchemy, the models, the schema check) opens on a worker thread while the person types, and the
modules of the main window are imported there too, so signing in only builds and shows it.
"""

from __future__ import annotations

import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, QThreadPool, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from desktop.facade.people_types import SignedIn
    from desktop.facade.workstation import Workstation
    from desktop.ui.people.connecting import ConnectDialog
    from desktop.ui.people.first_run import FirstRunWizard
    from desktop.ui.people.sign_in import SignInDialog

# Called on the GUI thread as start-up reaches each stage, with the window concerned: "sign-in" or "first-run"
# (the first window is shown and takes input), "store" (the database is open), "ready" (the main window's
# modules are loaded too), "main" (the main window is shown and takes input). benchmarks/bench_startup.py and
# the start-up tests follow the start with it; the application itself needs none.
STARTUP_WATCHERS: list[Callable[[str, QWidget], None]] = []
# What the main window needs beyond the first window, imported on a worker thread while the person signs in.
MAIN_WINDOW_MODULES = (
    "desktop.facade.people_types", "desktop.facade.day_types", "desktop.ui.main_window",
    "desktop.ui.session", "desktop.ui.people.startup",
)
CLOSING_WAIT_MS = 10_000  # quitting while the database still opens: how long its worker may take to give up


def database_label(url: str) -> str:
    """The database for the status bar, without any password."""
    from desktop.facade.workstation import database_url

    return database_url(url)


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


def tightened_notice(workstation: Workstation) -> str | None:
    """Words for the one start at which an existing installation's files were made private, else None."""
    changed = workstation.tightened
    if not changed:
        return None
    listed = "\n".join(f"\u2022 {getattr(item, 'describe', item.__str__)()}" for item in changed[:8])
    more = f"\n\u2026 and {len(changed) - 8} more" if len(changed) > 8 else ""
    return ("Some files with patient data could be read by other accounts on this computer. They are now private "
            "(your account only; the workstation database: its group only):\n"
            f"{listed}{more}\n\nNothing else changed. If other people used them, ask your administrator about a "
            "shared workstation database.")


def new_sqlite_file(url: str) -> bool:
    """True when the URL names a SQLite file that does not exist yet or is empty: the first run, certainly.

    Only a guess of which window to show first (the store is not open yet); a wrong one is put right when the
    store answers."""
    scheme, separator, rest = url.partition("://")
    if not separator or not scheme.startswith("sqlite") or not rest.startswith("/"):
        return False
    database = urllib.parse.unquote(rest[1:].split("?", 1)[0])
    if not database or database.startswith((":memory:", "file:")):
        return False
    try:
        return Path(database).expanduser().stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _reached(stage: str, window: QWidget) -> None:
    for watcher in list(STARTUP_WATCHERS):
        watcher(stage, window)


def _import_main_window_modules() -> None:
    import importlib

    for name in MAIN_WINDOW_MODULES:
        importlib.import_module(name)


def _install_excepthook() -> None:
    """A bug in a screen is logged (without its message) and shown as words; the program carries on."""

    def hook(kind: type[BaseException], error: BaseException, _trace: TracebackType | None) -> None:
        if not isinstance(error, Exception):
            sys.__excepthook__(kind, error, _trace)
            return
        from desktop.facade.workstation import log_unexpected
        from desktop.ui.operations import failure_words

        log_unexpected("a screen action", error)
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():  # words only on the screen's thread
            QMessageBox.warning(QApplication.activeWindow(), "Something went wrong", failure_words(error))

    sys.excepthook = hook


class Startup(QObject):
    """The first window while the store opens: `run()` returns (workstation, signed-in person), either None when
    the person quit. A failed open shows the "Connecting to …" screen (Retry, Change database, Quit) over it."""

    def __init__(self, url: str | None) -> None:
        super().__init__()
        from desktop.facade.workstation import resolve_url, store_open_error

        try:
            self.url = resolve_url(url)
        except store_open_error():  # a broken workstation file: the "Connecting to …" screen says why
            self.url = url or ""
        self.kind = "first-run" if new_sqlite_file(self.url) else "sign-in"
        self.store: Workstation | None = None  # the open database, nobody signed in yet
        self.signed: SignedIn | None = None
        self.window: FirstRunWizard | SignInDialog | None = None
        self.connecting: ConnectDialog | None = None
        self.switching = False
        self.opened = False  # the store opened at some point (it is closed again when nobody signs in)
        self.ready = False

    def run(self) -> tuple[Workstation | None, SignedIn | None]:
        while True:
            self.window = self._first_window()
            QTimer.singleShot(0, self._shown)  # runs once the window is on screen and its event loop turns
            accepted = self.window.exec() == QDialog.DialogCode.Accepted
            if self.switching:  # the store said the other window is the right one
                self.switching = False
                continue
            self.signed = self.window.signed if accepted else None
            break
        if self.signed is None:
            self._give_up()
        return self.store, self.signed

    def _first_window(self) -> FirstRunWizard | SignInDialog:
        if self.kind == "first-run":
            from desktop.ui.people.first_run import FirstRunWizard

            return FirstRunWizard(self.store)
        from desktop.ui.people.sign_in import SignInDialog

        dialog = SignInDialog(self.store)
        dialog.form.waiting.connect(self._show_connecting)  # signing in before the database is open
        dialog.form.signed_in.connect(lambda _signed: _reached("signed", dialog))
        return dialog

    def _shown(self) -> None:
        assert self.window is not None
        _reached(self.kind, self.window)
        if self.store is not None:  # the other window after a wrong guess: the store is open already
            _reached("store", self.window)
        if self.connecting is None:
            from desktop.facade.workstation import configure_log

            configure_log()
            self._connect()

    def _connect(self) -> None:
        from desktop.ui.people.connecting import ConnectDialog

        self.connecting = connecting = ConnectDialog(self.url)  # starts opening on a worker thread
        connecting.setWindowModality(Qt.WindowModality.ApplicationModal)  # shown only when it has something to say
        connecting.accepted.connect(lambda: self._opened(connecting.workstation))
        connecting.rejected.connect(self._quit)
        connecting.attempt_finished.connect(self._attempted)

    def _attempted(self, opened: bool) -> None:
        if not opened:
            self._show_connecting()

    def _show_connecting(self) -> None:
        if self.connecting is not None and self.store is None and not self.connecting.isVisible():
            self.connecting.show()  # over the first window, which stays as it is

    def _quit(self) -> None:
        if self.window is not None:
            self.window.reject()

    def _opened(self, workstation: Workstation | None) -> None:
        from desktop.facade.workstation import log_event
        from desktop.ui.operations import CollectionOp
        from desktop.ui.people.connecting import safe_url

        assert workstation is not None and self.window is not None
        self.store, self.opened = workstation, True
        log_event("database opened: %s", safe_url(workstation.url))
        notice = tightened_notice(workstation)
        if notice:
            log_event("made %d existing file(s) private", len(workstation.tightened))
            QMessageBox.information(self.window, "Patient data made private", notice)
        CollectionOp(self, workstation.needs_first_administrator, label="Checking the accounts") \
            .success(self._checked).failure(lambda _error: self._checked(self.kind == "first-run")) \
            .run_in_background()

    def _checked(self, first_run: bool) -> None:
        from desktop.ui.operations import CollectionOp
        from desktop.ui.people.first_run import FirstRunWizard

        assert self.window is not None and self.store is not None
        kind = "first-run" if first_run else "sign-in"
        if kind != self.kind:  # the guess was wrong: the other window, with the store
            self.kind, self.switching = kind, True
            self.window.reject()
        elif isinstance(self.window, FirstRunWizard):
            self.window.workstation = self.store
            _reached("store", self.window)
        else:
            _reached("store", self.window)
            self.window.form.set_workstation(self.store)  # a waiting sign-in goes ahead
        CollectionOp(self, _import_main_window_modules, label="Loading the main window") \
            .success(lambda _none: self._warmed()).failure(lambda _error: self._warmed()).run_in_background()

    def _warmed(self) -> None:
        self.ready = True
        if self.window is not None:
            _reached("ready", self.window)

    def _give_up(self) -> None:
        """Closed without signing in: nothing is usable. An open still under way is told to close its store."""
        if self.connecting is not None and self.store is None:
            self.connecting.reject()
            QThreadPool.globalInstance().waitForDone(CLOSING_WAIT_MS)
        if self.store is not None:
            self.store.close()
            self.store = None


def run_app(database_url: str | None = None, argv: list[str] | None = None) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName("Infusion Charge Capture")
    app.setWindowIcon(app_icon())
    from desktop.ui.theme import apply_theme

    apply_theme(app)
    _install_excepthook()
    startup = Startup(database_url)
    store, signed = startup.run()
    if store is None or signed is None:  # closed without signing in: nothing is usable
        return 0 if startup.opened else 1  # 1: the database never opened
    from desktop.facade.workstation import facade_for, workstation_name
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import attach_session, offer_draft

    window = MainWindow(facade_for(store, signed, workstation_name=workstation_name()))
    attach_session(window, signed)
    window.showMaximized()
    QTimer.singleShot(0, lambda: _reached("main", window))
    offer_draft(window)
    code = app.exec()
    store.close()
    return int(code)
