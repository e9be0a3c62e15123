"""Auto-lock and switch user: an app-wide idle watcher and a lock screen that hides the window's contents.

While locked, the window's central widget and menus are hidden and its
shortcuts disabled; the form behind stays in memory and is also saved as a
draft (`save_draft`) before the lock, so it survives a crash or a close too.
Anyone with an account may sign in at the lock screen: the same person carries
on, another person takes the workstation over (`user_changed`).

Locking never depends on the database: the screen locks first, then the
sign-out is written to the audit trail off the GUI thread; when the database
is away it is queued in a private local file (PendingAudit) and written, marked
as queued with the time it happened, as soon as the database answers again
(a retry timer, each sign-in, each later lock).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from desktop.facade.workstation import (
    Workstation,
    log_event,
    log_failure,
    log_unexpected,
    pending_sign_outs,
    workstation_name,
)
from desktop.ui.operations import CollectionOp, OpChanges
from desktop.ui.people.sign_in import SignInForm
from desktop.ui.widgets import hint

if TYPE_CHECKING:
    from desktop.facade.people_types import PendingAudit, SignedIn

AUDIT_RETRY_MS = 30_000

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Emits `idle` once after `timeout_ms` without keyboard, mouse or touch input anywhere in the app."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self._last_input = time.monotonic()
        self._fired = False
        self._check = QTimer(self)
        self._check.setInterval(max(50, min(1000, timeout_ms // 4)))
        self._check.timeout.connect(self._tick)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._check.start()

    def set_timeout(self, timeout_ms: int) -> None:
        self.timeout_ms = timeout_ms
        self._check.setInterval(max(50, min(1000, timeout_ms // 4)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.touch()
        return False

    def touch(self) -> None:
        self._last_input = time.monotonic()
        self._fired = False

    def rearm(self) -> None:
        """Fire again at the next check: the lock it asked for did not happen."""
        self._fired = False

    def _tick(self) -> None:
        if not self._fired and (time.monotonic() - self._last_input) * 1000 >= self.timeout_ms:
            self._fired = True
            self.idle.emit()

    def stop(self) -> None:
        self._check.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockScreen(QFrame):
    """Covers the whole window: who was signed in, and a sign-in form for the same or another person."""

    def __init__(self, workstation: Workstation, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.setAccessibleName("Workstation locked")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.notice = QLabel("")
        self.notice.setObjectName("lock_notice")
        self.notice.setProperty("role", "heading")
        self.notice.setWordWrap(True)
        self.form = SignInForm(workstation, "Locked: sign in to continue", self)
        self.audit_note = QLabel("")
        self.audit_note.setObjectName("lock_audit_note")
        self.audit_note.setAccessibleName("Audit trail note")
        self.audit_note.setWordWrap(True)
        self.audit_note.setVisible(False)
        panel = QWidget(self)
        panel.setObjectName("lock_panel")
        panel.setFixedWidth(680)  # word-wrapped text needs a width; centred in any window size
        column = QVBoxLayout(panel)
        column.addWidget(self.notice)
        column.addWidget(hint("The same person carries on where they left off; another person takes the "
                              "workstation over. Unsaved entries were kept as a draft."))
        column.addWidget(self.form)
        column.addWidget(self.audit_note)
        # Centred by stretches, not by alignment: an aligned widget gets its size hint's height, so a wrapped
        # wrong-password message squeezed the fields onto each other; this way its height follows its width.
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(panel)
        middle.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(middle)
        layout.addStretch(2)


class SessionGuard(QObject):
    """Locks `window` after the idle time or on request, and unlocks it when someone signs in.

    `save_draft` is called before locking; `user_changed(SignedIn)` is emitted after each sign-in at the
    lock screen (the same or another person), so the window can show who is signed in.
    """

    locked = Signal()
    unlocked = Signal(object)
    user_changed = Signal(object)

    def __init__(self, window: QMainWindow, workstation: Workstation, username: str, auto_lock_minutes: int,
                 save_draft: Callable[[], None] | None = None, idle_ms: int | None = None,
                 pending: PendingAudit | None = None) -> None:
        super().__init__(window)
        self.pending = pending if pending is not None else pending_sign_outs()
        self.audit_retry = QTimer(self)
        self.audit_retry.setInterval(AUDIT_RETRY_MS)
        self.audit_retry.timeout.connect(self.flush_pending)
        self._flushing = False
        self.window = window
        self.workstation = workstation
        self.username = username
        self.save_draft = save_draft
        self.is_locked = False
        self._disabled_actions: list[QAction] = []
        self.screen = LockScreen(workstation, window)
        self.screen.hide()
        self.screen.form.signed_in.connect(self._signed_in)
        self._idle_ms_override = idle_ms  # tests use a short time; the facility setting is in minutes
        self.watcher = IdleWatcher(idle_ms if idle_ms is not None else auto_lock_minutes * 60_000, self)
        self.watcher.idle.connect(lambda: self.lock("auto_lock"))
        window.installEventFilter(self)
        if self.pending.pending():
            self.flush_pending()  # left from an earlier run, when the database was away

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.watcher.set_timeout(self._idle_ms_override or minutes * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.is_locked:
            self.screen.setGeometry(self.window.rect())
        return False

    def lock(self, reason: str = "auto_lock") -> None:
        """Hide everything behind the lock screen at once; `reason` (auto_lock, switch_user, sign_out) is audited
        afterwards, off the GUI thread, and queued when the database is away."""
        if self.is_locked:
            return
        try:
            if self.save_draft is not None:
                self.save_draft()
        except Exception as exc:  # a draft that cannot be kept must not keep patient data on screen
            log_unexpected("keeping the draft before locking", exc)
        try:
            self._hide_everything(reason)
        finally:
            if not self.is_locked:
                self.watcher.rearm()  # try again at the next idle check
        self._audit_sign_out(self.username, reason)

    def _hide_everything(self, reason: str) -> None:
        self.is_locked = True
        central = self.window.centralWidget()
        if central is not None:
            central.hide()
        self.window.menuBar().hide()
        self._disabled_actions = [a for a in self.window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled_actions:
            action.setEnabled(False)
        self.screen.notice.setText(f"Locked. Last signed in: {self.username}.")
        self.screen.setGeometry(self.window.rect())
        self.screen.show()
        self.screen.raise_()
        self.screen.form.reset(self.username if reason == "auto_lock" else "")
        log_event("screen locked (%s) for %s", reason, self.username)
        self.locked.emit()

    def _audit_sign_out(self, username: str, reason: str) -> None:
        doorway, workstation, happened = self.workstation, workstation_name(), dt.datetime.now(dt.UTC)

        def queue(error: Exception) -> None:
            log_failure(f"writing the {reason} of {username} to the audit trail", error)
            self.pending.add(username, reason, workstation, "the database could not be reached", happened)
            self._show_pending()
            self.audit_retry.start()

        CollectionOp(self, lambda: doorway.record_sign_out(username, reason, workstation),
                     label="Recording the sign-out", changes=OpChanges.of("audit")) \
            .success(lambda _none: self.flush_pending()).failure(queue).run_in_background()

    def flush_pending(self) -> None:
        """Write queued sign-outs now if the database answers; otherwise keep them and try again later."""
        if self._flushing or not self.pending.pending():
            return
        self._flushing = True
        doorway, pending = self.workstation, self.pending

        def written(count: int) -> None:
            self._flushing = False
            self.audit_retry.stop()
            self.screen.audit_note.setVisible(False)
            log_event("%d queued sign-out event(s) written to the audit trail", count)

        def still_away(error: Exception) -> None:
            self._flushing = False
            self._show_pending()
            self.audit_retry.start()

        CollectionOp(self, lambda: doorway.flush_sign_outs(pending), label="Writing queued audit events",
                     changes=OpChanges.of("audit")).success(written).failure(still_away).run_in_background()

    def _show_pending(self) -> None:
        count = len(self.pending.pending())
        self.screen.audit_note.setText(
            f"\u26a0 The database cannot be reached: {count} sign-out event(s) are kept on this computer and will be "
            "written to the audit trail (marked as queued, with the time they happened) as soon as it answers.")
        self.screen.audit_note.setVisible(True)

    def switch_user(self) -> None:
        self.lock("switch_user")

    def _signed_in(self, signed: SignedIn) -> None:
        account = signed.account
        self.is_locked = False
        self.screen.hide()
        central = self.window.centralWidget()
        if central is not None:
            central.show()
        self.window.menuBar().show()
        for action in self._disabled_actions:
            action.setEnabled(True)
        self._disabled_actions = []
        self.set_auto_lock_minutes(signed.auto_lock_minutes)
        self.watcher.touch()
        changed = account.username != self.username
        self.username = account.username
        self.unlocked.emit(signed)
        if changed:
            self.user_changed.emit(signed)
        self.flush_pending()  # the database answered the sign-in: anything queued can go now
