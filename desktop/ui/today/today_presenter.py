"""Today's list logic: load off the GUI thread, view, void with a reason, start a correction, print."""

from __future__ import annotations

import datetime as dt
import importlib.util

from PySide6.QtCore import QObject, Signal

from desktop.services.errors import ServiceError
from desktop.services.views import AdministrationSummary, ChargeState
from desktop.ui.backend import ChairBackend
from desktop.ui.reason_dialog import ask_reason
from desktop.ui.today.record_dialog import RecordDialog
from desktop.ui.today.today_model import SUMMARY_ROLE
from desktop.ui.today.today_page import TodayPage
from desktop.ui.worker import BackgroundQuery


def ticket_preview_available() -> bool:
    return importlib.util.find_spec("desktop.ui.ticket_preview") is not None


class TodayPresenter(QObject):
    correction_requested = Signal(object)  # AdministrationDetail
    loaded = Signal()

    def __init__(self, page: TodayPage, backend: ChairBackend) -> None:
        super().__init__(page)
        self.page = page
        self.backend = backend
        self.query = BackgroundQuery(self)
        self.ask_reason = ask_reason
        self.show_record = lambda detail: RecordDialog(self.page, detail).exec()
        page.refresh_button.clicked.connect(self.reload)
        page.view_button.clicked.connect(self.view)
        page.void_button.clicked.connect(self.void)
        page.correct_button.clicked.connect(self.correct)
        page.print_button.clicked.connect(self.print_ticket)
        page.table.doubleClicked.connect(self.view)
        page.table.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()

    def reload(self) -> None:
        self.page.state.setText("Loading today's administrations…")
        day = dt.date.today()
        self.query.run(lambda: self.backend.list_day(day), self._show, self._failed)

    def _show(self, rows: list[AdministrationSummary]) -> None:
        self.page.model.set_rows(rows)
        self.page.state.setText(f"{len(rows)} administration{'s' if len(rows) != 1 else ''} today."
                                if rows else "Nothing recorded today yet.")
        self._update_actions()
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.page.state.setText(f"\u26a0 Could not load today's list: {exc}")
        self.loaded.emit()

    def selected(self) -> AdministrationSummary | None:
        rows = self.page.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = rows[0].data(SUMMARY_ROLE)
        return summary if isinstance(summary, AdministrationSummary) else None

    def _update_actions(self) -> None:
        chosen = self.selected()
        live = chosen is not None and chosen.state is not ChargeState.VOIDED
        self.page.view_button.setEnabled(chosen is not None)
        self.page.void_button.setEnabled(live)
        self.page.correct_button.setEnabled(live)
        self.page.print_button.setEnabled(live and ticket_preview_available())
        if not ticket_preview_available():
            self.page.print_button.setToolTip("Ticket printing is not installed yet.")

    def view(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            self.show_record(self.backend.get(chosen.id))
        except ServiceError as exc:
            self.page.state.setText(f"\u26a0 {exc}")

    def void(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        reason = self.ask_reason(self.page, "Void record", f"Why is record #{chosen.id} "
                                 f"({chosen.patient_name}, {chosen.hcpcs}) being voided?", "Void record")
        if not reason:
            return
        try:
            self.backend.void(chosen.id, reason, chosen.version)
        except ServiceError as exc:
            self.page.state.setText(f"\u26a0 Not voided: {exc}")
            return
        self.reload()

    def correct(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            self.correction_requested.emit(self.backend.get(chosen.id))
        except ServiceError as exc:
            self.page.state.setText(f"\u26a0 {exc}")

    def print_ticket(self) -> None:
        chosen = self.selected()
        if chosen is None or not ticket_preview_available():
            return
        from desktop.ui import ticket_preview  # built by the tickets work; wired only when present

        opener = getattr(ticket_preview, "open_ticket_preview", None)
        if opener is None:
            self.page.state.setText("\u26a0 Ticket preview is installed but has no open_ticket_preview().")
            return
        opener(self.page, self.backend.store, chosen.id, self.backend.user)
