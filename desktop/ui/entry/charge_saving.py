"""One save of the chair form at a time, off the GUI thread: the form waits (greyed, "Saving…"), a slow database
is said in words, and the answer is the saved outcome or the words of why nothing (or not surely anything) was
saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QScrollArea

from desktop.facade.chair_types import RecordOutcome
from desktop.facade.errors import SaveOutcomeUnknownError
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, failure_words, split_detail

SAVE_LABEL = "Saving the charge"


def saved_changes(outcome: RecordOutcome) -> OpChanges:
    """A record changes its visit and the audit trail: pages showing either refresh."""
    return OpChanges(frozenset({"visit", "audit"}), frozenset({outcome.visit_id}))


def not_saved_words(error: Exception) -> str:
    """The status after a failed save: what happened, that the entry is kept, and what pressing Enter does."""
    words, detail = split_detail(failure_words(error))
    words = words.removeprefix("Nothing was saved: ")  # the status starts "Not saved" already
    words = words[:1].upper() + words[1:]
    if isinstance(error, SaveOutcomeUnknownError):
        status = f"\u26a0 Not confirmed: {words} Your entry is kept; pressing Enter again cannot save it twice."
    else:
        status = f"\u2716 Not saved: {words} Your entry is kept (also as a draft); press Enter to try again."
    return f"{status} {detail}".strip()


class ChargeSaving(QObject):
    """Runs a record or a correction through CollectionOp on the window's hub; `idle()` (the presenter's) sets
    the buttons again once the answer came, before `saved` or `failed` is emitted."""

    saved = Signal(object)  # RecordOutcome
    failed = Signal(str)  # not_saved_words

    def __init__(self, page: EntryPage, hub: OperationHub, idle: Callable[[], None]) -> None:
        super().__init__(page)
        self.page = page
        self.hub = hub
        self.idle = idle
        self.operation: CollectionOp[RecordOutcome] | None = None

    @property
    def busy(self) -> bool:
        return self.operation is not None

    def start(self, call: Callable[[], RecordOutcome]) -> None:
        if self.operation is not None:
            return
        self.operation = CollectionOp(self, call, label=SAVE_LABEL, hub=self.hub, changes=saved_changes)
        self._show_busy(True)
        self.operation.success(self._saved).failure(self._failed).slow(self._still_saving).run_in_background()

    def _show_busy(self, busy: bool) -> None:
        form = self.page.findChild(QScrollArea, "form_scroll")
        if form is not None:
            form.setEnabled(not busy)
        for widget in (self.page.accept_button, self.page.hold_button, self.page.clear_button):
            widget.setEnabled(not busy)
        if busy:
            self.page.show_status("Saving\u2026")
        else:
            self.idle()

    def _finish(self) -> None:
        self.operation = None
        self._show_busy(False)

    def _saved(self, outcome: RecordOutcome) -> None:
        self._finish()
        self.saved.emit(outcome)

    def _failed(self, error: Exception) -> None:
        self._finish()
        self.failed.emit(not_saved_words(error))

    def _still_saving(self) -> None:
        self.page.show_status("Saving\u2026 the database is slow to answer. Your entry is kept as a draft; wait for "
                              "the answer (at most a few seconds more).")
