"""Day list logic: visits read off the GUI thread, view, void a drug or a visit, correct a drug, print tickets.

Every call goes through the window's facade off the GUI thread: reads by BackgroundQuery, changes (voids, a
ticket recorded as printed) by CollectionOp, which broadcasts what changed; the list reloads itself whenever an
operation anywhere in the window touched a visit (`hub.changed`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop.facade.day_types import AdministrationDetail, AdministrationSummary, ChargeState, VisitSummary
from desktop.facade.errors import ServiceError
from desktop.records.charge_states import NOT_PRINTABLE_WORDS as NOT_RECORDABLE_WORDS
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, failure_words
from desktop.ui.reason_dialog import ask_reason
from desktop.ui.today.record_dialog import RecordDialog
from desktop.ui.today.today_model import SUMMARY_ROLE, VISIT_ROLE
from desktop.ui.today.today_page import TodayPage
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade import AppFacade
    from desktop.facade.day_types import TicketRender, TransitionOutcome, VisitDetail
    from desktop.ui.ticket_preview import TicketPreview



def _problem(exc: Exception, what: str) -> str:
    """A service's own words for what went wrong; anything else is named, never shown as a traceback."""
    return f"\u26a0 {exc}" if isinstance(exc, ServiceError) else f"\u26a0 {what}: {failure_words(exc)}"


class TodayPresenter(QObject):
    correction_requested = Signal(object)  # AdministrationDetail
    loaded = Signal()
    preview_opened = Signal(object)  # TicketPreview
    ticket_message = Signal(str)  # what happened after a ticket preview printed (or failed to open)

    def __init__(self, page: TodayPage, facade: Callable[[], AppFacade], hub: OperationHub) -> None:
        super().__init__(page)
        self.page = page
        self.facade = facade
        self.hub = hub
        self.query = BackgroundQuery(self)
        self.detail_query = BackgroundQuery(self)  # View and Correct read the chosen record
        self.ticket_query = BackgroundQuery(self)  # rendering: a newer Print request wins
        self.ask_reason: Callable[[QWidget | None, str, str, str], str | None] = ask_reason
        self.show_record: Callable[[VisitDetail], object] = lambda detail: RecordDialog(self.page, detail).exec()
        self.preview_dialog: TicketPreview | None = None
        self.batch: CollectionOp[bytes] | None = None  # the day's tickets being made (Cancel stops it)
        self._own: list[OpChanges] = []  # changes this page reports itself: its reload keeps the status line
        self._show_user(facade().user)
        hub.changed.connect(self._changed)
        hub.person_changed.connect(self._show_user)
        page.cancel_button.clicked.connect(self.cancel_batch)
        page.refresh_button.clicked.connect(self.reload)
        page.day.dateChanged.connect(lambda _day: self.reload())
        page.view_button.clicked.connect(self.view)
        page.void_button.clicked.connect(self.void)
        page.correct_button.clicked.connect(self.correct)
        page.print_button.clicked.connect(self.print_ticket)
        page.print_day_button.clicked.connect(self.print_day)
        page.table.doubleClicked.connect(self.view)
        page.table.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()

    def _show_user(self, user: str) -> None:
        self.page.only_mine.setText(f"Only mine ({user})")

    def _changed(self, changes: OpChanges) -> None:
        """Another operation of the window (a save at the chair, a verify in the queue...) touched a visit."""
        if not changes.touches("visit"):
            return
        own = any(mine is changes for mine in self._own)
        self._own = [mine for mine in self._own if mine is not changes]
        self.reload(quiet=own)

    def day(self) -> dt.date:
        day = self.page.day.date().toPython()
        assert isinstance(day, dt.date)
        return day

    def _day_words(self) -> str:
        day = self.day()
        return "today" if day == dt.date.today() else f"on {day:%m/%d/%Y}"

    def reload(self, quiet: bool = False) -> None:
        """Read the day's visits again; `quiet` keeps what the status line says (e.g. after printing)."""
        if not quiet:
            self.page.state.setText(f"Loading the visits {self._day_words()}…")
        day, door = self.day(), self.facade().day
        self.query.run(lambda: door.visits(day), lambda rows: self._show(rows, quiet), self._failed)

    def _show(self, rows: list[VisitSummary], quiet: bool = False) -> None:
        chosen = self._chosen_key()
        self.page.model.set_rows(rows)
        self.page.table.expandAll()
        self._choose(chosen)
        if quiet:
            self._update_actions()
            self.loaded.emit()
            return
        words = self._day_words()
        drugs = sum(len(v.drugs) for v in rows)
        self.page.state.setText(f"{len(rows)} visit{'s' if len(rows) != 1 else ''} ({drugs} "
                                f"drug{'s' if drugs != 1 else ''}) {words}." if rows else
                                f"Nothing recorded {words} yet.")
        self._update_actions()
        self.loaded.emit()

    def _chosen_key(self) -> tuple[str, int] | None:
        index = self._current()
        if index is None:
            return None
        if index.parent().isValid():
            return ("drug", index.data(SUMMARY_ROLE).id)
        return ("visit", index.data(VISIT_ROLE).id)

    def _choose(self, key: tuple[str, int] | None) -> None:
        """Select the same visit or drug again after the list was read again."""
        model = self.page.model
        for number, visit in enumerate(model.rows):
            parent = model.index(number, 0)
            if key == ("visit", visit.id) or (len(visit.drugs) == 1 and key == ("drug", visit.drugs[0].id)):
                self.page.table.setCurrentIndex(parent)
                return
            for position, drug in enumerate(visit.drugs):
                if key == ("drug", drug.id):
                    self.page.table.setCurrentIndex(model.index(position, 0, parent))
                    return

    def _failed(self, exc: Exception) -> None:
        self.page.state.setText(f"\u26a0 Could not load the list: {exc}")
        self.loaded.emit()

    def _current(self) -> QModelIndex | None:
        rows = self.page.table.selectionModel().selectedRows()
        return rows[0] if rows else None

    def selected_visit(self) -> VisitSummary | None:
        """The chosen visit (or the visit of the chosen drug)."""
        index = self._current()
        visit = index.data(VISIT_ROLE) if index is not None else None
        return visit if isinstance(visit, VisitSummary) else None

    def selected(self) -> AdministrationSummary | None:
        """The drug acted on: the chosen drug row, or the chosen visit's only drug."""
        index = self._current()
        if index is None:
            return None
        drug = index.data(SUMMARY_ROLE)  # a visit of one drug is that drug's row
        return drug if isinstance(drug, AdministrationSummary) else None

    def _update_actions(self) -> None:
        visit, drug = self.selected_visit(), self.selected()
        live_drug = drug is not None and drug.state is not ChargeState.VOIDED
        live_visit = visit is not None and bool(visit.active)
        self.page.view_button.setEnabled(visit is not None)
        self.page.void_button.setEnabled(live_drug or (drug is None and live_visit))
        self.page.correct_button.setEnabled(live_drug)
        self.page.correct_button.setToolTip("" if live_drug or visit is None else
                                            "Choose one of the visit's drugs (under it) to correct it")
        self.page.print_button.setEnabled(visit is not None)  # a voided ticket prints marked VOID

    def view(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        door = self.facade().day
        self.detail_query.run(lambda: door.visit(visit.id), self._show_record,
                              lambda exc: self._say(_problem(exc, "The visit could not be read")))

    def void(self) -> None:
        """Void the chosen drug; on a visit row of several drugs, the whole visit (in one transaction)."""
        visit, drug = self.selected_visit(), self.selected()
        if visit is None:
            return
        door = self.facade().day
        call: Callable[[], object]
        if drug is None:
            codes = ", ".join(d.hcpcs for d in visit.active)
            reason = self.ask_reason(self.page, "Void visit", f"Why is visit #{visit.id} ({visit.patient_name}: "
                                     f"{codes}) being voided? Every drug of it is voided.", "Void visit")
            if not reason:
                return
            why, version = reason, visit.version
            call, label = (lambda: door.void_visit(visit.id, why, version)), "Voiding the visit"
        else:
            reason = self.ask_reason(self.page, "Void drug", f"Why is {drug.hcpcs} (record #{drug.id}) of "
                                     f"{drug.patient_name}'s visit being voided?", "Void drug")
            if not reason:
                return
            why, chosen = reason, drug
            call, label = (lambda: door.void_drug(chosen.id, why, chosen.version)), "Voiding the drug"
        self.page.state.setText("Voiding\u2026")
        # The list reloads from the broadcast, as it does for any other change to a visit.
        CollectionOp(self, call, label=label, hub=self.hub, changes=OpChanges.of("visit", visit.id)) \
            .failure(self._not_voided).run_in_background()

    def _not_voided(self, exc: Exception) -> None:
        self.page.state.setText(f"\u26a0 Not voided: {exc}" if isinstance(exc, ServiceError)
                                else _problem(exc, "Not voided"))

    def _show_record(self, detail: VisitDetail) -> None:
        self.show_record(detail)

    def correct(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        door = self.facade().day
        self.detail_query.run(lambda: door.drug(chosen.id), self._start_correction,
                              lambda exc: self._say(_problem(exc, "The record could not be read")))

    def _start_correction(self, detail: AdministrationDetail) -> None:
        self.correction_requested.emit(detail)

    # tickets ------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.page.state.setText(text)
        note = getattr(self.preview_dialog, "show_note", None)
        if note is not None:
            note(text)
        self.ticket_message.emit(text)

    def _open_preview(self, pdf: bytes, title: str) -> TicketPreview:
        from desktop.ui.ticket_preview import TicketPreview  # QtPdf loads only when a ticket is shown

        preview = TicketPreview(pdf, title, self.page.window())
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.destroyed.connect(lambda _obj=None: self._forget(preview))
        self.preview_dialog = preview
        preview.open()  # window-modal, without a nested event loop
        self.preview_opened.emit(preview)
        return preview

    def _forget(self, preview: TicketPreview) -> None:
        if self.preview_dialog is preview:
            self.preview_dialog = None

    def print_ticket(self) -> None:
        """The visit's ticket (asked for through the chosen drug, or the visit's first drug still billed)."""
        visit = self.selected_visit()
        if visit is None or not visit.drugs:
            return
        chosen = self.selected() or (visit.active or visit.drugs)[0]
        self.page.state.setText(f"Preparing the ticket of visit #{visit.id}\u2026")
        door = self.facade().day
        self.ticket_query.run(lambda: door.ticket(chosen.id), self._show_ticket,
                              lambda exc: self._say(_problem(exc, "The ticket could not be made")))

    def _show_ticket(self, render: TicketRender) -> None:
        title = f"Charge ticket {render.ticket_number}" + (" (reprint)" if render.reprint else "")
        preview = self._open_preview(render.pdf, title)
        recorded = [False]  # printing twice from one preview records it once
        preview.printed.connect(lambda pages: self._ticket_printed(render, pages, recorded))
        self.page.state.setText(f"Ticket {render.ticket_number} is open: check it, then Print.")

    def _ticket_printed(self, render: TicketRender, pages: int, recorded: list[bool]) -> None:
        if not render.recordable:
            words = NOT_RECORDABLE_WORDS.get(render.state, render.state.value.replace("_", " "))
            self._say(f"Printed; not recorded as printed because the record is {words}.")
            return
        if recorded[0]:
            self._say(f"Printed another copy of {render.ticket_number}; it was recorded as printed already.")
            return
        recorded[0] = True
        self.page.state.setText(f"Printed {pages} page{'s' if pages != 1 else ''}; recording it\u2026")
        door = self.facade().day

        def changed(outcome: TransitionOutcome) -> OpChanges:
            changes = OpChanges.of("visit", getattr(outcome, "visit_id", None))
            self._own.append(changes)  # shown in place below: the reload it brings keeps the words
            return changes

        CollectionOp(self, lambda: door.ticket_printed(render), label="Recording the ticket as printed",
                     hub=self.hub, changes=changed) \
            .success(self._ticket_recorded).failure(lambda exc: self._record_failed(exc, recorded)) \
            .run_in_background()

    def _ticket_recorded(self, outcome: TransitionOutcome) -> None:
        """Show every drug the printed ticket marked (the whole visit's, in one transaction) in place."""
        marked = tuple(getattr(outcome, "marked", ())) or (outcome,)
        visit_version = getattr(outcome, "visit_version", None) or None
        for drug in marked:
            self.page.model.update_drug(drug.id, drug.state, drug.version, visit_version)
        self._update_actions()
        visit_id = getattr(outcome, "visit_id", 0)
        whose = f"visit #{visit_id}: " if visit_id else ""
        records = ", ".join(f"#{d.id}" for d in marked)
        self._say(f"\u2714 Printed and recorded: {whose}record{'s' if len(marked) != 1 else ''} {records} "
                  f"now marked ticket printed.")

    def _record_failed(self, exc: Exception, recorded: list[bool]) -> None:
        recorded[0] = False
        self._say(_problem(exc, "Printed, but not recorded as printed") + " Reload the list and print again.")

    def print_day(self) -> None:
        """Every ticket of the day in one document: long work, with a progress bar and Cancel."""
        if self.batch is not None and self.batch.running:
            return
        day, door = self.day(), self.facade().day
        nurse = self.facade().user if self.page.only_mine.isChecked() else None
        self.page.state.setText(f"Preparing the tickets {self._day_words()}\u2026")
        self._show_batch(True)
        self.batch = CollectionOp(self, lambda progress: door.day_tickets(day, nurse, progress),
                                  label="Preparing the day's tickets", hub=self.hub, takes_progress=True)
        self.batch.progress(self._batch_step).success(lambda pdf: self._show_day(pdf, day, nurse)) \
            .failure(self._batch_failed).run_in_background()

    def cancel_batch(self) -> None:
        if self.batch is not None and self.batch.running:
            self.page.state.setText("Cancelling\u2026")
            self.batch.cancel()

    def _show_batch(self, running: bool) -> None:
        self.page.progress.setRange(0, 0)  # busy until the first step is reported
        self.page.progress.setVisible(running)
        self.page.cancel_button.setVisible(running)
        self.page.print_day_button.setEnabled(not running)

    def _batch_step(self, done: int, total: int) -> None:
        self.page.progress.setRange(0, total)
        self.page.progress.setValue(done)

    def _batch_failed(self, exc: Exception) -> None:
        self._show_batch(False)
        self._say(_problem(exc, "The day's tickets could not be made"))

    def _show_day(self, pdf: bytes, day: dt.date, nurse: str | None) -> None:
        self._show_batch(False)
        title = f"Charge tickets {day:%m/%d/%Y}" + (f", {nurse}" if nurse else "")
        preview = self._open_preview(pdf, title)
        preview.printed.connect(
            lambda pages: self._say(f"Printed {pages} page{'s' if pages != 1 else ''}. A day's batch is not "
                                    "recorded as printed: print a ticket from the list to record it."))
        self.page.state.setText(f"{title} is open: check it, then Print.")
