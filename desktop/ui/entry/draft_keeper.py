"""The form kept as the signed-in person's draft (once typing pauses, before each save attempt, at a lock or
close) and the form's request id, so a retried save is stored at most once and a saved draft never comes back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.form_drafts import draft_fields

if TYPE_CHECKING:
    from desktop.facade import AppFacade
    from desktop.facade.chair_types import Settled

DRAFT_DELAY_MS = 800


def new_request_id() -> str:
    return str(uuid.uuid4())


class DraftKeeper(QObject):
    """Writes the draft through the current facade's draft store; `unsaved()` says whether there is anything to
    keep (a drug, or a patient and visit with no saved drug)."""

    def __init__(self, page: EntryPage, facade: Callable[[], AppFacade], unsaved: Callable[[], bool]) -> None:
        super().__init__(page)
        self.page = page
        self.facade = facade
        self.unsaved = unsaved
        # A retry of the same form is stored at most once (the first attempt may have reached the database
        # although its answer did not come back); drafts carry the id. A new one once the form changes after an
        # attempt.
        self.request_id = new_request_id()
        self.attempt_fields: dict[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.save)

    def typed(self) -> None:
        """The form changed: keep it once typing pauses."""
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def save(self) -> None:
        if not self.unsaved():
            return
        fields = draft_fields(self.page)
        facade = self.facade()
        try:
            facade.drafts.save(fields, facade.user, request_id=self.current_request_id())
        except OSError as exc:
            self.page.show_status(f"\u26a0 Draft could not be kept: {exc}")

    def current_request_id(self) -> str:
        if self.attempt_fields is not None and draft_fields(self.page) != self.attempt_fields:
            self.renew()  # changed since the attempt: another request
        return self.request_id

    def attempting(self) -> None:
        """A save is about to be tried with the form as it is now."""
        self.attempt_fields = draft_fields(self.page)

    def renew(self) -> None:
        self.request_id, self.attempt_fields = new_request_id(), None

    def settle(self, request_id: str) -> Settled:
        """The draft of a saved request deleted, or at least never offered back."""
        return self.facade().drafts.settle(request_id)

    def discard(self) -> None:
        self.facade().drafts.discard()
