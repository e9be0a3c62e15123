"""What the review page does: load pages and counts in the background, show the record, run multi-row actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QListWidgetItem

from desktop.services.errors import ServiceError, StoreUnavailableError
from desktop.services.queries import get_administration
from desktop.services.review import (
    PAGE_SIZE,
    ReviewCursor,
    ReviewFilter,
    ReviewSort,
    SortKey,
    count_by_state,
    count_review,
    fetch_review_page,
    review_choices,
)
from desktop.services.review_actions import BulkResult, ReviewAction, RowTarget, apply_to_rows
from desktop.services.store import Store
from desktop.services.views import AdministrationDetail, ChargeState
from desktop.ui.operations import failure_words
from desktop.ui.reason_dialog import ask_reason
from desktop.ui.review.review_model import ROW_ROLE, SORT_KEYS
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.ui.review.review_page import ReviewQueuePage

S = ChargeState
# Which states each action can start from; the button is enabled when any selected row qualifies.
ACTION_FROM = {
    ReviewAction.VERIFY: {S.RECORDED}, ReviewAction.HOLD: {S.RECORDED, S.VERIFIED, S.TICKET_PRINTED},
    ReviewAction.RELEASE: {S.HELD}, ReviewAction.POST: {S.TICKET_PRINTED},
    ReviewAction.VOID: set(S) - {S.VOIDED}, ReviewAction.VOID_AND_REPLACE: set(S) - {S.VOIDED},
}
QUESTIONS = {
    ReviewAction.HOLD: ("Hold charges", "Why are these charges held? Billing sees this reason.", "Hold"),
    ReviewAction.VOID: ("Void charges", "Why are these charges voided? They go to billing as reversals.", "Void"),
    ReviewAction.VOID_AND_REPLACE: (
        "Void and replace", "Why are these charges voided and recorded again with the current rules?",
        "Void and replace"),
}
STATE_LABELS = {S.RECORDED: "recorded", S.VERIFIED: "verified", S.TICKET_PRINTED: "ticket printed",
                S.POSTED: "posted", S.HELD: "held", S.VOIDED: "voided"}


class ReviewPresenter(QObject):
    correction_requested = Signal(object)  # AdministrationDetail, for the entry form's correction flow
    action_finished = Signal(object)  # BulkResult

    def __init__(self, page: ReviewQueuePage, store: Store, user_provider: Callable[[], str]) -> None:
        super().__init__(page)
        self.page, self.store, self.user_provider = page, store, user_provider
        self.review_filter = ReviewFilter()
        self.sort = ReviewSort()
        self.detail: AdministrationDetail | None = None
        self.ask_reason: Callable[..., str | None] = ask_reason  # tests put an answer here
        self.counts = BackgroundQuery(self)
        self.details = BackgroundQuery(self)
        self.actions = BackgroundQuery(self)
        self.choices = BackgroundQuery(self)
        self.busy = False
        self.load_problem = False  # the status shows a loading failure: cleared by the next good load
        self.page_size = PAGE_SIZE
        page.filters.applied.connect(self.apply_filter)
        page.model.sort_requested.connect(self.sort_by)
        page.model.loaded.connect(self._rows_loaded)
        page.model.failed.connect(self._load_failed)
        page.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        page.refresh_button.clicked.connect(self.reload)
        for action, widget in ((ReviewAction.VERIFY, page.verify_button), (ReviewAction.HOLD, page.hold_button),
                               (ReviewAction.RELEASE, page.release_button), (ReviewAction.POST, page.post_button),
                               (ReviewAction.VOID, page.void_button),
                               (ReviewAction.VOID_AND_REPLACE, page.replace_button)):
            widget.clicked.connect(lambda _=False, a=action: self.run_action(a))
        page.correct_button.clicked.connect(self._correct)
        self._update_buttons()

    def start(self) -> None:
        self.choices.run(lambda: review_choices(self.store), lambda c: self.page.filters.set_choices(*c),
                         lambda _exc: None)
        self.page.filters.apply()

    # -- loading ---------------------------------------------------------------------------------------------------
    def apply_filter(self, review_filter: ReviewFilter) -> None:
        self.review_filter = review_filter
        self.reload()

    def sort_by(self, key: SortKey, descending: bool) -> None:
        self.sort = ReviewSort(key, descending)
        self.reload()

    def reload(self) -> None:
        store, review_filter, sort, size = self.store, self.review_filter, self.sort, self.page_size
        user = self.user_provider()

        def page_of(cursor: ReviewCursor | None) -> Any:
            return fetch_review_page(store, review_filter, sort, cursor, size, user=user)

        self.page.summary.setText("Loading\u2026")
        self.page.model.reload(page_of)
        self.counts.run(lambda: (count_review(store, review_filter), count_by_state(store, review_filter)),
                        self._show_counts,
                        lambda exc: self.page.summary.setText(f"\u26a0 Not counted: {failure_words(exc)}"))

    def _load_failed(self, message: str) -> None:
        # Rows of an earlier filter must not stand under a filter that failed: they would be taken for its answer.
        self.page.model.set_rows([], None)
        self.page.detail.show_message("Nothing is shown: the queue could not be loaded (see above).")
        self.page.summary.setText("")
        self.load_problem = True
        self._say(f"\u26a0 The queue could not be loaded: {message} Press Refresh to try again.")
        self._update_buttons()

    def _show_counts(self, counts: tuple[int, dict[ChargeState, int]]) -> None:
        total, by_state = counts
        parts = [f"{by_state[s]:,} {STATE_LABELS[s]}" for s in S if by_state.get(s)]
        self.page.summary.setText(f"{total:,} matching" + (f"  \u2014  {', '.join(parts)}" if parts else ""))

    def _rows_loaded(self) -> None:
        if self.load_problem:  # the database answered again: the old error is no longer true
            self.load_problem = False
            self._say("")
        column = next((c for c, k in SORT_KEYS.items() if k is self.sort.key), 1)
        order = Qt.SortOrder.DescendingOrder if self.sort.descending else Qt.SortOrder.AscendingOrder
        header = self.page.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        if not self.page.model.rows:
            self.page.detail.show_message("No administration matches these filters.")
        self._update_buttons()

    # -- selection and detail --------------------------------------------------------------------------------------
    def selected_rows(self) -> list[Any]:
        model = self.page.model
        rows = sorted({i.row() for i in self.page.table.selectionModel().selectedRows()})
        return [model.data(model.index(r, 0), ROW_ROLE) for r in rows]

    def _selection_changed(self) -> None:
        self._update_buttons()
        rows = self.selected_rows()
        self.detail = None
        if len(rows) != 1:
            text = f"{len(rows)} rows selected." if rows else "Choose a row to see the record."
            self.page.detail.show_message(text)
            return
        chosen = rows[0].id
        self.details.run(lambda: get_administration(self.store, chosen), self._show_detail,
                         lambda exc: self.page.detail.show_message(f"\u26a0 {exc}"))

    def _show_detail(self, detail: AdministrationDetail) -> None:
        self.detail = detail
        self.page.detail.show_detail(detail)
        self._update_buttons()

    def _update_buttons(self) -> None:
        states = {r.state for r in self.selected_rows()}
        page = self.page
        for action, widget in ((ReviewAction.VERIFY, page.verify_button), (ReviewAction.HOLD, page.hold_button),
                               (ReviewAction.RELEASE, page.release_button), (ReviewAction.POST, page.post_button),
                               (ReviewAction.VOID, page.void_button),
                               (ReviewAction.VOID_AND_REPLACE, page.replace_button)):
            widget.setEnabled(not self.busy and bool(states & ACTION_FROM[action]))
        page.correct_button.setEnabled(not self.busy and self.detail is not None
                                       and self.detail.state is not S.VOIDED and len(states) == 1)

    # -- actions ---------------------------------------------------------------------------------------------------
    def run_action(self, action: ReviewAction, reason: str | None = None) -> None:
        rows = self.selected_rows()
        if not rows or self.busy:
            return
        if action.needs_reason and reason is None:
            title, question, confirm = QUESTIONS[action]
            reason = self.ask_reason(self.page, title, f"{question}\n({len(rows)} selected)", confirm)
            if reason is None:
                return
        targets = [RowTarget(r.id, r.version) for r in rows]
        store, user, text = self.store, self.user_provider(), reason or ""
        self.busy = True
        self._update_buttons()
        self._say(f"Working on {len(targets)} row(s)\u2026")
        self.actions.run(lambda: apply_to_rows(store, action, targets, user, text), self._action_done,
                         self._action_failed)

    def _action_done(self, result: BulkResult) -> None:
        self.busy = False
        self._say(result.summary())
        self.page.results.clear()
        for row in result.results:
            mark = "\u2714 " if row.ok else "\u26a0 " if row.unknown else "\u2716 "
            item = QListWidgetItem(mark + row.message)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.page.results.addItem(item)
        self.page.results.setVisible(True)
        self.action_finished.emit(result)
        self.reload()

    def _action_failed(self, exc: Exception) -> None:
        self.busy = False
        if isinstance(exc, ServiceError) and not isinstance(exc, StoreUnavailableError):
            self._say(f"\u26a0 Nothing was changed: {exc}")  # refused before any row was touched (no reason given)
            self._update_buttons()
            return
        # Stopped part way: rows done before it stay done, so no "nothing was changed"; the reload shows them.
        self._say(f"\u26a0 The action stopped: {failure_words(exc)} Rows already done stay done: the list was "
                  "reloaded to show each row as it is now.")
        self.reload()

    def _correct(self) -> None:
        if self.detail is not None:
            self.correction_requested.emit(self.detail)

    def _say(self, text: str) -> None:
        self.page.status.setText(text)
        self.page.status.setAccessibleDescription(text)
