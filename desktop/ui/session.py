"""Ties a signed-in person to the main window: auto-lock, switch user, and a hand-over between people."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.ui.main_window import MainWindow
from desktop.ui.people.lock import SessionGuard


def who(signed: object) -> tuple[str, str]:
    account = signed.account  # type: ignore[attr-defined]
    return account.username, f"{account.display_name} ({account.role_label})"


def offer_draft(window: MainWindow) -> None:
    """The signed-in person's unsaved form from last time (a crash, a lock), if there is one and it was not saved
    after all (its save reached the database, but the draft file could not be deleted)."""
    from desktop.services.errors import ServiceError
    from desktop.services.visits.drafts import saved_record_id

    drafts = window.backend.drafts
    draft = drafts.load()
    if draft is None:
        return
    if draft.request_id:
        try:
            saved = saved_record_id(window.backend.store, draft.request_id)  # type: ignore[arg-type]
        except ServiceError:
            saved = None  # offered; saving it again keeps its request id, so it cannot be stored twice
        if saved is not None:
            settled = drafts.settle(draft.request_id)
            window.entry_page.show_status(f"The draft from last time ({draft.describe()}) was already saved as "
                                          f"record #{saved}: it was set aside. {settled.words}".strip())
            return
    answer = QMessageBox.question(
        window, "Unsaved administration found",
        f"An administration was not saved last time:\n{draft.describe()}\n\nRestore it?",
    )
    if answer == QMessageBox.StandardButton.Yes:
        window.entry.restore_draft(draft.fields, draft.request_id)
    else:
        window.backend.drafts.discard()


def attach_session(window: MainWindow, signed: object, idle_ms: int | None = None) -> SessionGuard:
    """Lock after the facility's idle time; Ctrl+L locks at once so another person can sign in."""
    user, label = who(signed)
    window.show_user(user, label)
    from desktop.services.people.pending_sign_outs import PendingAudit

    guard = SessionGuard(window, window.backend.store, user, signed.auto_lock_minutes,  # type: ignore[attr-defined]
                         save_draft=window.entry.save_draft, idle_ms=idle_ms,
                         pending=PendingAudit(window.backend.drafts.folder))  # this account's own data folder
    window.add_lock_action(guard.switch_user)

    def hand_over(next_signed: object) -> None:
        # The previous person's form was kept as their draft when the screen locked; the next person
        # starts from an empty form (same chair, their own name as who discards) and gets their own draft
        # back, if they left one.
        next_user, next_label = who(next_signed)
        window.backend.drafts = window.backend.drafts.for_user(next_user)
        window.show_user(next_user, next_label)
        window.entry.clear_form(keep_chair=True)
        offer_draft(window)

    guard.user_changed.connect(hand_over)
    window.guard = guard
    return guard
