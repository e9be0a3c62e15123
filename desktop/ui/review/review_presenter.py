"""What the review page does: load visits and counts in the background, show a visit, run actions on visits/drugs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtWidgets import QListWidgetItem

from desktop.facade.errors import OperationCancelled, ServiceError, StoreUnavailableError
from desktop.facade.review_types import (
    PAGE_SIZE,
    BulkResult,
    ChargeState,
    QueueCounts,
    ReviewAction,
    ReviewCursor,
    ReviewFilter,
    ReviewPage,
    ReviewSort,
    RowTarget,
    SortKey,
    VisitAction,
    VisitBulkResult,
    VisitDetail,
    VisitRow,
    VisitTarget,
)
from desktop.ui.operations import NO_CHANGES, CollectionOp, OpChanges, OperationHub, Progress, failure_words
from desktop.ui.reason_dialog import ask_reason
from desktop.ui.review.review_model import ROW_ROLE, SORT_KEYS, STATE_LABELS
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade import AppFacade
    from desktop.ui.review.review_page import ReviewQueuePage

S = ChargeState
QUESTIONS = {
    VisitAction.HOLD: ("Hold visits", "Why are these visits held? Billing sees this reason.", "Hold"),
    VisitAction.VOID: ("Void visits", "Why are these visits voided (every drug of each)? They go to billing as "
                       "reversals.", "Void visits"),
    ReviewAction.VOID: ("Void a drug", "Why is this drug voided? The visit's codes are computed again.", "Void drug"),
    ReviewAction.VOID_AND_REPLACE: (
        "Void and replace a drug", "Why is this drug voided and recorded again with the current rules?",
        "Void and replace"),
}


class ReviewPresenter(QObject):
    correction_requested = Signal(object)  # AdministrationDetail (one drug), for the entry form's correction flow
    action_finished = Signal(object)  # VisitBulkResult, or BulkResult for an action on one drug

    def __init__(self, page: ReviewQueuePage, facade: Callable[[], AppFacade], hub: OperationHub) -> None:
        super().__init__(page)
        self.page, self.facade, self.hub = page, facade, hub
        self.review_filter = ReviewFilter()
        self.sort = ReviewSort()
        self.detail: VisitDetail | None = None
        self.ask_reason: Callable[..., str | None] = ask_reason  # tests put an answer here
        self.counts = BackgroundQuery(self)
        self.details = BackgroundQuery(self)
        self.choices = BackgroundQuery(self)
        self.operation: CollectionOp[Any] | None = None  # the action running, to cancel
        self.busy = False
        self.started = False  # the queue loads when first shown (start), then on every broadcast of a change
        self.stale = False  # a change was broadcast while the page was hidden: reload when shown
        self.load_problem = False  # the status shows a loading failure: cleared by the next good load
        self.page_size = PAGE_SIZE
        self.reselect: set[int] | None = None  # visits to select again when the reloaded first page arrives
        page.filters.applied.connect(self.apply_filter)
        page.model.sort_requested.connect(self.sort_by)
        page.model.loaded.connect(self._rows_loaded)
        page.model.failed.connect(self._load_failed)
        page.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        page.refresh_button.clicked.connect(self.reload)
        page.cancel_button.clicked.connect(self.cancel)
        hub.changed.connect(self._changed)
        for action, widget in self._visit_buttons():
            widget.clicked.connect(lambda _=False, a=action: self.run_action(a))
        detail = page.detail
        detail.void_drug_button.clicked.connect(lambda: self.run_drug_action(ReviewAction.VOID))
        detail.replace_button.clicked.connect(lambda: self.run_drug_action(ReviewAction.VOID_AND_REPLACE))
        detail.correct_button.clicked.connect(self._correct)
        detail.drug.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self._update_buttons()

    def _visit_buttons(self) -> tuple[tuple[VisitAction, Any], ...]:
        page = self.page
        return ((VisitAction.VERIFY, page.verify_button), (VisitAction.HOLD, page.hold_button),
                (VisitAction.RELEASE, page.release_button), (VisitAction.POST, page.post_button),
                (VisitAction.VOID, page.void_button))

    def start(self) -> None:
        self.started = True
        review = self.facade().review
        self.choices.run(review.choices, lambda c: self.page.filters.set_choices(*c), lambda _exc: None)
        self.page.filters.apply()

    def _changed(self, changes: OpChanges) -> None:
        """The broadcast: a visit or drug changed (here or on another page), so the queue is read again."""
        if not self.started or not changes.touches("visit"):
            return
        if self.page.isVisible():
            self.reload()
        else:
            self.stale = True

    def shown(self) -> None:
        if self.stale and self.started:
            self.reload()

    # -- loading ---------------------------------------------------------------------------------------------------
    def apply_filter(self, review_filter: ReviewFilter) -> None:
        self.review_filter = review_filter
        self.reload()

    def sort_by(self, key: SortKey, descending: bool) -> None:
        self.sort = ReviewSort(key, descending)
        self.reload()

    def reload(self) -> None:
        review, review_filter, sort, size = self.facade().review, self.review_filter, self.sort, self.page_size
        self.stale = False

        def page_of(cursor: ReviewCursor | None) -> ReviewPage:
            return review.page(review_filter, sort, cursor, size)

        self.page.summary.setText("Loading\u2026")
        self.reselect = {r.id for r in self.selected_rows()}
        self.page.model.reload(page_of)
        self.counts.run(lambda: review.counts(review_filter), self._show_counts,
                        lambda exc: self.page.summary.setText(f"\u26a0 Not counted: {failure_words(exc)}"))

    def _load_failed(self, message: str) -> None:
        # Rows of an earlier filter must not stand under a filter that failed: they would be taken for its answer.
        self.page.model.set_rows([], None)
        self.page.detail.show_message("Nothing is shown: the queue could not be loaded (see above).")
        self.page.summary.setText("")
        self.load_problem = True
        self._say(f"\u26a0 The queue could not be loaded: {message} Press Refresh to try again.")
        self._update_buttons()

    def _show_counts(self, counts: QueueCounts) -> None:
        parts = [f"{n:,} {STATE_LABELS[s]}" for s, n in counts.by_state.items()]
        if counts.mixed:
            parts.append(f"{counts.mixed:,} mixed")
        noun = "visit" if counts.total == 1 else "visits"
        self.page.summary.setText(f"{counts.total:,} {noun} matching"
                                  + (f"  \u2014  {', '.join(parts)}" if parts else ""))

    def _rows_loaded(self) -> None:
        if self.load_problem:  # the database answered again: the old error is no longer true
            self.load_problem = False
            self._say("")
        column = next((c for c, k in SORT_KEYS.items() if k is self.sort.key), -1)  # -1: the visit number
        order = Qt.SortOrder.DescendingOrder if self.sort.descending else Qt.SortOrder.AscendingOrder
        header = self.page.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        if self.reselect is not None:  # the first page of a reload: the same visits stay chosen
            wanted, self.reselect = self.reselect, None
            self._select(wanted)
        if not self.page.model.rows:
            self.page.detail.show_message("No visit matches these filters.")
        self._update_buttons()

    def _select(self, visit_ids: set[int]) -> None:
        table, model = self.page.table, self.page.model
        selection = table.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number, row in enumerate(model.rows):
            if row.id in visit_ids:
                selection.select(model.index(number, 0), flags)
        selection.blockSignals(False)
        table.viewport().update()
        if not selection.hasSelection():
            self.page.set_detail_open(False)
        self._selection_changed()

    # -- selection and detail --------------------------------------------------------------------------------------
    def selected_rows(self) -> list[VisitRow]:
        model = self.page.model
        rows = sorted({i.row() for i in self.page.table.selectionModel().selectedRows()})
        return [model.data(model.index(r, 0), ROW_ROLE) for r in rows]

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        self.detail = None
        self._update_buttons()
        if len(rows) != 1:
            self.details.cancel()  # a visit asked for while it was the only one chosen must not show up now
            text = f"{len(rows)} visits selected." if rows else "Choose a row to see the visit."
            self.page.detail.show_message(text)
            return
        self._load_detail(rows[0].id)

    def _load_detail(self, visit_id: int) -> None:
        review = self.facade().review
        self.details.run(lambda: review.visit(visit_id), self._show_detail,
                         lambda exc: self.page.detail.show_message(f"\u26a0 {failure_words(exc)}"))

    def _show_detail(self, detail: VisitDetail) -> None:
        self.detail = detail
        self.page.detail.show_visit(detail)
        self._update_buttons()

    def _update_buttons(self) -> None:
        states = {d.state for r in self.selected_rows() for d in r.drugs}
        for action, widget in self._visit_buttons():
            widget.setEnabled(not self.busy and bool(states & set(action.from_states)))
        self.page.open_button.setEnabled(len(self.selected_rows()) == 1)
        drug = self.page.detail.chosen_drug() if self.detail is not None else None
        live = drug is not None and drug.state is not S.VOIDED and not self.busy
        for widget in self.page.detail.drug_buttons:
            widget.setEnabled(live)

    # -- actions ---------------------------------------------------------------------------------------------------
    def run_action(self, action: VisitAction, reason: str | None = None) -> None:
        """The action on every selected visit: each visit all or nothing, checked against the version shown."""
        rows = self.selected_rows()
        if not rows or self.busy:
            return
        if action.needs_reason and reason is None:
            title, question, confirm = QUESTIONS[action]
            reason = self.ask_reason(self.page, title, f"{question}\n({len(rows)} selected)", confirm)
            if reason is None:
                return
        targets = [VisitTarget(r.id, r.version, f"{r.patient_name}, {r.date_of_service.isoformat()}") for r in rows]
        review, text = self.facade().review, reason or ""

        def work(progress: Progress) -> VisitBulkResult:
            return review.act_on_visits(action, targets, text, progress=progress)

        self._start(f"Working on {len(targets)} visit(s)\u2026", work, [t.id for t in targets])

    def run_drug_action(self, action: ReviewAction, reason: str | None = None) -> None:
        """Void (or void and replace) the drug chosen in the visit's pane; the visit's codes are computed again."""
        drug = self.page.detail.chosen_drug()
        if drug is None or self.busy:
            return
        if reason is None:
            title, question, confirm = QUESTIONS[action]
            reason = self.ask_reason(self.page, title, f"{question}\n({drug.administration.hcpcs}, record "
                                     f"#{drug.id})", confirm)
            if reason is None:
                return
        target, review, text = RowTarget(drug.id, drug.version), self.facade().review, reason

        def work(progress: Progress) -> BulkResult:
            return review.act_on_drugs(action, [target], text, progress=progress)

        self._start(f"Working on {drug.administration.hcpcs} #{drug.id}\u2026", work, [drug.visit_id])

    def _start(self, words: str, call: Callable[[Progress], VisitBulkResult | BulkResult],
               visit_ids: list[int]) -> None:
        self.busy = True
        self._update_buttons()
        self._say(words)
        self.page.show_progress(len(visit_ids) > 1)
        self.operation = CollectionOp(self.page, call, label="Review action", hub=self.hub, takes_progress=True,
                                      changes=lambda result: _changes(result, visit_ids))
        self.operation.progress(self.page.step).success(self._action_done) \
            .failure(lambda exc: self._action_failed(exc, visit_ids)).run_in_background()

    def cancel(self) -> None:
        """Stop the action after the visit in hand: those done stay done."""
        if self.operation is not None and self.operation.running:
            self.operation.cancel()
            self._say("Stopping after the visit in hand\u2026")

    def _action_done(self, result: VisitBulkResult | BulkResult) -> None:
        self.busy = False
        self.operation = None
        self.page.show_progress(False)
        self._say(result.summary())
        self.page.results.clear()
        for row in result.results:
            mark = "\u2714 " if row.ok else "\u26a0 " if row.unknown else "\u2716 "
            item = QListWidgetItem(mark + row.message)
            item.setData(Qt.ItemDataRole.UserRole, getattr(row, "visit_id", getattr(row, "id", None)))
            item.setToolTip(row.message)
            self.page.results.addItem(item)
        self.page.results.setVisible(True)
        self.action_finished.emit(result)
        if not _changes(result, []):  # nothing was broadcast: read the queue again all the same (versions, states)
            self.reload()
        # Else the broadcast reloaded it: the chosen visits are chosen again, and the one on show is read again.

    def _action_failed(self, exc: Exception, visit_ids: list[int]) -> None:
        self.busy = False
        self.operation = None
        self.page.show_progress(False)
        if isinstance(exc, OperationCancelled):
            self._say("\u26a0 Stopped at your request. Visits already done stay done: the list was reloaded to show "
                      "each visit as it is now.")
        elif isinstance(exc, ServiceError) and not isinstance(exc, StoreUnavailableError):
            self._say(f"\u26a0 Nothing was changed: {exc}")  # refused before any visit was touched (no reason given)
            self._update_buttons()
            return
        else:  # stopped part way: visits done before it stay done, so no "nothing was changed"
            self._say(f"\u26a0 The action stopped: {failure_words(exc)} Visits already done stay done: the list was "
                      "reloaded to show each visit as it is now.")
        # Some visits may have changed before it stopped: every page showing them reads them again.
        self.hub.changed.emit(OpChanges.of("visit", *visit_ids))
        if not self.page.isVisible():
            self.reload()

    def _correct(self) -> None:
        drug = self.page.detail.chosen_drug()
        if drug is not None and drug.state is not S.VOIDED:
            self.correction_requested.emit(drug)

    def _say(self, text: str) -> None:
        self.page.status.setText(text)
        self.page.status.setAccessibleDescription(text)


def _changes(result: VisitBulkResult | BulkResult, visit_ids: list[int]) -> OpChanges:
    """What an action changed, for the broadcast: the visits of the rows done (or not known to be undone)."""
    if isinstance(result, VisitBulkResult):
        touched = [r.visit_id for r in result.results if r.ok or r.unknown]
        return OpChanges.of("visit", *touched) if touched else NO_CHANGES
    done = any(r.ok or r.unknown for r in result.results)
    return OpChanges.of("visit", *visit_ids) if done else NO_CHANGES
