"""Ties a signed-in person to the main window: auto-lock, switch user, and a hand-over between people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from desktop.facade import AppFacade
from desktop.facade.workstation import Workstation, pending_sign_outs, person_of, workstation_name
from desktop.ui.main_window import MainWindow
from desktop.ui.people.lock import SessionGuard
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.people_types import Draft, SignedIn


def who(signed: SignedIn) -> tuple[str, str]:
    account = signed.account
    return account.username, f"{account.display_name} ({account.role_label})"


def offer_draft(window: MainWindow) -> None:
    """The signed-in person's unsaved form from last time (a crash, a lock), if there is one and it was not saved
    after all (its save reached the database, but the draft file could not be deleted: asked off the GUI thread)."""
    facade = window.facade
    draft = facade.drafts.load()
    if draft is None:
        return
    if not draft.request_id:
        _ask_to_restore(window, draft)
        return
    request_id = draft.request_id
    query = BackgroundQuery(window)
    # Not known to be saved when the database cannot say: offered (saving it again keeps its request id, so it
    # cannot be stored twice).
    query.run(lambda: facade.draft_saved_as(request_id), lambda saved: _settle(window, draft, saved),
              lambda _error: _settle(window, draft, None))


def _settle(window: MainWindow, draft: Draft, saved: int | None) -> None:
    if saved is None:
        _ask_to_restore(window, draft)
        return
    settled = window.facade.drafts.settle(draft.request_id or "")
    window.entry_page.show_status(f"The draft from last time ({draft.describe()}) was already saved as "
                                  f"record #{saved}: it was set aside. {settled.words}".strip())


def _ask_to_restore(window: MainWindow, draft: Draft) -> None:
    answer = QMessageBox.question(
        window, "Unsaved administration found",
        f"An administration was not saved last time:\n{draft.describe()}\n\nRestore it?",
    )
    if answer == QMessageBox.StandardButton.Yes:
        window.entry.restore_draft(draft.fields, draft.request_id)
    else:
        window.facade.drafts.discard()


def attach_session(window: MainWindow, signed: SignedIn, idle_ms: int | None = None) -> SessionGuard:
    """Lock after the facility's idle time; Ctrl+L locks at once so another person can sign in."""
    user, label = who(signed)
    window.show_user(user, label)
    workstation = Workstation(window.facade.store)
    guard = SessionGuard(window, workstation, user, signed.auto_lock_minutes,
                         save_draft=window.entry.save_draft, idle_ms=idle_ms,
                         pending=pending_sign_outs(window.facade.drafts.folder))  # this account's own data folder
    window.add_lock_action(guard.switch_user)

    def hand_over(next_signed: SignedIn) -> None:
        # The previous person's form was kept as their draft when the screen locked; the next person gets their
        # own facade (their name on what they do, their own drafts), starts from an empty form (same chair)
        # and gets their own draft back, if they left one.
        next_user, next_label = who(next_signed)
        now = window.facade
        facade = AppFacade(now.store, person_of(next_signed, workstation_name()), now.drafts.for_user(next_user),
                           now.database_label)
        window.set_facade(facade, next_label)
        window.entry.clear_form(keep_chair=True)
        offer_draft(window)

    guard.user_changed.connect(hand_over)
    window.guard = guard
    return guard
