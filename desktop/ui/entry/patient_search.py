"""Finding a patient as the nurse types (or scans a wristband): one search per pause in typing, off the GUI
thread; an answer for older text is dropped; Enter picks the first match, even before the search answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.facade.chair_types import PatientView
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade import AppFacade

PATIENT_SEARCH_DELAY_MS = 150  # a search per pause in typing, not per keystroke


class PatientSearch(QObject):
    shown = Signal()  # a search answered and its results are shown
    failed = Signal(str)  # the words to show

    def __init__(self, page: EntryPage, facade: Callable[[], AppFacade]) -> None:
        super().__init__(page)
        self.page = page
        self.facade = facade
        self.query = BackgroundQuery(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PATIENT_SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run)
        self._searching_for: str | None = None
        self._pick_when_found = False
        patient = page.patient
        patient.search_changed.connect(self.search)
        patient.search.returnPressed.connect(self._return_pressed)
        patient.new_button.clicked.connect(self.cancel)
        patient.results.itemActivated.connect(lambda _item: self.cancel())
        patient.results.itemClicked.connect(lambda _item: self.cancel())

    def search(self, text: str) -> None:
        """Search once typing pauses."""
        if len(text.strip()) < 2:
            self.cancel()
            self.page.patient.hide_results()
            return
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self.query.cancel()
        self._searching_for = None
        self._pick_when_found = False

    def _run(self) -> None:
        text = self.page.patient.search.text()
        if len(text.strip()) < 2:
            return
        self._searching_for = text
        chair = self.facade().chair
        self.query.run(lambda: chair.find_patients(text), lambda found: self._found(text, found), self._failed)

    def _found(self, text: str, patients: list[PatientView]) -> None:
        self._searching_for = None
        if text != self.page.patient.search.text():
            return  # typed on since; the newer search answers for it
        self.page.patient.show_results(patients)
        if self._pick_when_found:
            self._pick_when_found = False
            self.page.patient.pick_first()
        self.shown.emit()

    def _failed(self, exc: Exception) -> None:
        self._searching_for = None
        self._pick_when_found = False
        self.failed.emit(f"\u26a0 Patient search failed: {exc}")

    def _return_pressed(self) -> None:
        """Enter picks the first match, also when it was typed (or scanned) faster than the search answers."""
        if self._timer.isActive():
            self._timer.stop()
            self._run()
        if self._searching_for is not None:
            self._pick_when_found = True
            return
        self.page.patient.pick_first()
