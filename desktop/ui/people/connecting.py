"""The start-up screen while the database opens: "Connecting to …", and on failure why, with Retry, Change
database and Quit. Opening runs off the GUI thread, so a silent server never freezes the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.facade.workstation import Workstation, hide_password, open_workstation, resolve_url
from desktop.ui.operations import CollectionOp, failure_words, split_detail
from desktop.ui.widgets import button, hint


def safe_url(url: str) -> str:
    """The URL with any password hidden (shown before SQLAlchemy is loaded: the store opens behind this screen)."""
    return hide_password(url)


def _open_store(url: str) -> Workstation:
    """Runs off the GUI thread, and so do the imports of the store (SQLAlchemy, the models, the engine)."""
    return open_workstation(url)


class ConnectDialog(QDialog):
    """Accepted with `workstation` set once the database is open; rejected when the person quits."""

    attempt_finished = Signal(bool)  # True: opened

    def __init__(self, url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connect_dialog")
        self.setAccessibleName("Opening the database")
        self.setWindowTitle("Opening the database \u2014 Infusion Charge Capture")
        self.workstation: Workstation | None = None
        self.url = resolve_url(url) if url is None else url
        self.operation: CollectionOp[Workstation] | None = None
        self.message = QLabel("")
        self.message.setObjectName("connect_message")
        self.message.setAccessibleName("Database status")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "heading")
        self.detail = QLabel("")
        self.detail.setObjectName("connect_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = button("&Retry", "connect_retry", "Try to open the database again")
        self.change_button = button("&Change database\u2026", "connect_change", "Open another database")
        self.quit_button = button("&Quit", "connect_quit", "Quit the program")
        row = QHBoxLayout()
        row.addStretch(1)
        for widget in (self.retry_button, self.change_button, self.quit_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with a long message
        layout.addWidget(self.message)
        layout.addWidget(self.detail)
        layout.addWidget(hint("Retry once the network or the server is back; Change database opens another one "
                              "(your administrator knows which); Quit closes the program."))
        layout.addStretch(1)
        layout.addLayout(row)
        self.retry_button.clicked.connect(self.connect_now)
        self.change_button.clicked.connect(self.ask_for_url)
        self.quit_button.clicked.connect(self.reject)
        self.resize(760, 360)
        self.connect_now()

    def connect_now(self) -> None:
        """A new attempt; an earlier one still waiting is abandoned (its answer, if any, is dropped)."""
        self._attempt += 1
        attempt, url = self._attempt, self.url
        self.message.setText(f"Connecting to {safe_url(url)}\u2026")
        self.detail.setText("")
        self.retry_button.setEnabled(False)
        self.operation = CollectionOp(self, lambda: _open_store(url), label="Opening the database",
                                      slow_after_ms=1000)
        self.operation.success(lambda workstation: self._opened(attempt, workstation)) \
            .failure(lambda error: self._failed(attempt, error)) \
            .slow(lambda: self._slow(attempt)).run_in_background()

    _attempt = 0
    _quit_requested = False

    def _current(self, attempt: int) -> bool:
        return attempt == self._attempt and not self._quit_requested

    def _slow(self, attempt: int) -> None:
        if self._current(attempt):
            self.detail.setText("The database has not answered yet; waiting a few seconds more at most. You can "
                                "change the database or quit meanwhile.")

    def _opened(self, attempt: int, workstation: Workstation) -> None:
        if not self._current(attempt):
            workstation.close()  # an abandoned attempt, or the person quit
            return
        self.workstation = workstation
        self.attempt_finished.emit(True)
        self.accept()

    def reject(self) -> None:
        self._quit_requested = True
        super().reject()

    def _failed(self, attempt: int, error: Exception) -> None:
        if not self._current(attempt):
            return
        words, detail = split_detail(failure_words(error))
        if words.startswith("cannot open the database ") and ": " in words:  # the heading names it already
            words = words.split(": ", 1)[1]
        words = words[:1].upper() + words[1:]
        self.message.setText(f"\u26a0 Could not open the database {safe_url(self.url)}.")
        self.detail.setText(f"{words}\n{detail}".strip())
        self.retry_button.setEnabled(True)
        self.retry_button.setFocus()
        layout = self.layout()
        if layout is not None:
            self.resize(self.width(), max(self.height(), layout.totalHeightForWidth(self.width())))
        self.attempt_finished.emit(False)

    def ask_for_url(self) -> None:
        text, chosen = QInputDialog.getText(
            self, "Change database", "Database URL (e.g. postgresql+psycopg://user@server/charges, or "
            "sqlite:////path/to/charges.sqlite3):", QLineEdit.EchoMode.Normal, safe_url(self.url))
        if chosen and text.strip():
            self.use_url(text.strip())

    def use_url(self, url: str) -> None:
        """Open this database instead (for this start; the workstation's settings are unchanged)."""
        self.url = url
        self.connect_now()
