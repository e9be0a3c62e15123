"""The chair entry's conductor: wires the page to its parts (facility inputs, patient search, the visit at the
chair, vials, live preview, saving, drafts) and decides what the form shows and allows between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.billing.catalog import Catalog
from desktop.billing.model import Finding
from desktop.facade.chair_types import (
    AdministrationDetail,
    ChargePreview,
    RecordOutcome,
    Stock340b,
    build_administration,
    suggest_discarded_mg,
)
from desktop.ui.entry.charge_saving import ChargeSaving
from desktop.ui.entry.correction import fill_from_record
from desktop.ui.entry.draft_keeper import DraftKeeper
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.facility_inputs import FacilityInputs
from desktop.ui.entry.form_drafts import draft_fields, has_content, has_drug
from desktop.ui.entry.form_drafts import restore_fields as _restore
from desktop.ui.entry.form_reader import FormReading, read_form, record_request
from desktop.ui.entry.form_status import form_status
from desktop.ui.entry.go_to_field import field_widget
from desktop.ui.entry.live_preview import mg_text, payer_clash, show_preview, show_reading
from desktop.ui.entry.patient_search import PatientSearch
from desktop.ui.entry.vial_intake import DEFAULT_ANSWER, VialIntake, stock_words
from desktop.ui.entry.visit_loader import VisitLoader
from desktop.ui.operations import OperationHub
from desktop.ui.reason_dialog import ask_reason

if TYPE_CHECKING:
    from desktop.facade import AppFacade

ReasonAsker = Callable[[QWidget, str, str, str], "str | None"]


class EntryPresenter(QObject):
    """Keeps the view thin: every decision about the form is made here or in its parts, every number comes from
    the chair door. `facade()` is the window's current one (another person may sign in at the lock screen)."""

    saved = Signal(object)  # RecordOutcome
    save_failed = Signal(str)  # the words shown: nothing (or not surely anything) was saved
    inputs_loaded = Signal()  # the facility's rules and 340B type arrived (or could not be read)
    patients_shown = Signal()  # an as-you-type patient search answered and its results are shown
    visit_loaded = Signal()  # the patient's visit (or last visit's facts) is on the form

    def __init__(self, page: EntryPage, facade: Callable[[], AppFacade], hub: OperationHub) -> None:
        super().__init__(page)
        self.page = page
        self.facade = facade
        self.hub = hub
        self.reading: FormReading | None = None
        self.preview: ChargePreview | None = None
        self.correcting: AdministrationDetail | None = None
        # Why the last save failed (the whole status line); said until a save succeeds or the form is cleared.
        self.save_problem: str | None = None
        self.saved_visit: int | None = None  # the visit a drug was just saved in (the form still shows it)
        self.saved_words = ""  # the status after that save, kept until the next drug is begun
        self.ask_reason: ReasonAsker = ask_reason
        self.confirm_clear: Callable[[], bool] = self._confirm_clear
        self._quiet = False  # the form is being filled by the program: no refresh per field
        self.facility = FacilityInputs(self, facade)
        self.patients = PatientSearch(page, facade)
        self.drafts = DraftKeeper(page, facade, self.unsaved)
        self.saving = ChargeSaving(page, hub, self._update_actions)
        self.visits = VisitLoader(page, facade, lambda: self.catalog, lambda: self.zone)
        self.vials = VialIntake(page, lambda: self.catalog, lambda: self.zone, lambda: self.stock,
                                lambda: self.visits.visit_for_preview(), self._pick_scanned_drug)
        page.amounts.now = self.now

        patient = page.patient
        patient.picked.connect(self._patient_picked)
        patient.new_button.clicked.connect(self.load_engine_inputs)
        patient.mrn.editingFinished.connect(lambda: self.visits.load())
        page.visit.date_changed.connect(lambda: self.visits.load())
        page.drug.search_changed.connect(self.search_drugs)
        page.drug.search.returnPressed.connect(page.drug.pick_first)
        page.drug.drug_picked.connect(self.pick_drug)
        page.drug.add_requested.connect(self.add_picked_vials)
        page.drug.scan_capture.scanned.connect(self.scan)
        for section in (page.patient, page.visit, page.drug, page.amounts):
            section.changed.connect(self.refresh)
        page.preview.acknowledgements_changed.connect(self._update_actions)
        page.preview.go_to_field.connect(self.go_to_finding)
        page.accept_pressed.connect(self.accept)
        page.hold_button.clicked.connect(self.hold)
        page.cancel_pressed.connect(self.cancel)
        self.facility.arrived.connect(self._inputs_arrived)
        self.facility.failed.connect(self._inputs_failed)
        self.patients.shown.connect(self.patients_shown)
        self.patients.failed.connect(page.show_status)
        self.visits.loaded.connect(self._visit_arrived)
        self.visits.failed.connect(page.show_status)
        self.saving.saved.connect(self._saved)
        self.saving.failed.connect(self._not_saved)
        page.amounts.discarded_by.setText(facade().user)
        self.refresh()
        self.load_engine_inputs()

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Fill the form without a refresh per field; the caller refreshes once afterwards."""
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    # the facility: rules, 340B, time zone ------------------------------------
    @property
    def catalog(self) -> Catalog:
        return self.facility.catalog

    @property
    def zone(self) -> ZoneInfo:
        return self.facility.zone

    @property
    def stock(self) -> Stock340b:
        return self.facility.stock

    def now(self) -> dt.datetime:
        return self.facility.now()

    def load_engine_inputs(self) -> None:
        self.facility.load()

    def _inputs_arrived(self) -> None:
        self.page.drug.stock_hint.setText(stock_words(self.stock))
        answer = DEFAULT_ANSWER[self.stock]
        if answer is not None:  # vials scanned before the settings arrived take the site's default too
            for row in self.page.drug.vials.rows:
                row.take_default(answer, "site default")
        if not has_content(self.page, draft_fields(self.page)):
            with self.quiet():
                self.page.visit.set_today(self.now().date())  # the facility's today
        else:  # an empty form keeps its status ("Saved record #…")
            self.refresh()
        self.inputs_loaded.emit()

    def _inputs_failed(self, words: str) -> None:
        self.page.show_status(words)
        self.inputs_loaded.emit()

    # the patient, the drug, the vials -----------------------------------
    def cancel_patient_search(self) -> None:
        self.patients.cancel()

    def _patient_picked(self) -> None:
        """A known patient: their visit today (or their last visit's facts) is loaded; the next thing is a vial."""
        self.load_engine_inputs()
        self.visits.load(force=True)
        self.page.drug.scan.setFocus()

    def search_drugs(self, text: str) -> None:
        self.page.drug.show_results(self.catalog.search(text) if text.strip() else ())

    def pick_drug(self, hcpcs: str) -> None:
        self._show_drug(hcpcs)
        if self.page.drug.drug and not self._quiet:
            self.page.drug.count.setFocus()  # picked by hand: the count of vials comes next
            self.page.drug.count.selectAll()

    def _pick_scanned_drug(self, hcpcs: str) -> None:
        self._show_drug(hcpcs)  # the scanner stays in the scan field for the next vial

    def _show_drug(self, hcpcs: str) -> None:
        drug = self.catalog.drug(hcpcs)
        self.page.drug.show_drug(drug, self.catalog.packages_for(hcpcs) if drug else ())
        if drug:
            self.page.drug.search.setText("")
        self.refresh()

    def add_picked_vials(self) -> None:
        row = self.vials.add_picked()
        if row is not None:
            row.lot.setFocus()  # lot and expiry of vials added by hand are typed next

    def scan(self, raw: str) -> None:
        said = self.vials.scan(raw)
        if said:
            self.page.show_status(said)

    # live preview -------------------------------------------------------
    def _read(self) -> FormReading:
        return read_form(self.page, self.catalog, self.zone, self.facade().user)

    def refresh(self) -> None:
        """Read the form, show each field's message and the visit's claim with this drug, set the buttons."""
        if self._quiet:
            return
        page = self.page
        reading = self._read()
        suggestion = suggest_discarded_mg(reading.charge, self.catalog)
        if (suggestion is not None and not page.amounts.discarded_typed
                and page.amounts.discarded.text() != mg_text(suggestion)):
            with self.quiet():  # the waste follows the suggestion until the nurse types her own number
                page.amounts.discarded.setText(mg_text(suggestion))
            reading = self._read()
        stored = self.visits.visit_for_preview()
        reading.messages[page.visit.payer_class_messages] = payer_clash(stored, reading)
        show_reading(page, reading)
        self.reading = reading
        self.preview = self.facade().chair.preview(self.facility.at_facility(reading.charge),
                                                   self.facility.inputs, stored)
        show_preview(page, reading, self.preview, suggestion, self.visits.drug_names())
        self._update_actions()
        self.drafts.typed()

    def _update_actions(self) -> None:
        if self.saving.busy:
            return  # the buttons stay off and the status says "Saving…" until the answer comes
        page = self.page
        status = form_status(self.reading, self.preview, page.preview.all_warnings_acknowledged(),
                             saved_words=self.saved_words, save_problem=self.save_problem)
        page.accept_button.setEnabled(status.can_accept)
        page.hold_button.setEnabled(status.can_hold)
        if status.words is not None:
            page.show_status(status.words)

    def go_to_finding(self, finding: Finding) -> None:
        """The finding's field gets the cursor (and comes into view), so the nurse can fill it in."""
        widget = field_widget(self.page, finding.field or "")
        if widget is not None:
            self.page.show_field(widget)

    # saving -------------------------------------------------------------
    def accept(self) -> None:
        if self.page.accept_button.isEnabled():
            self._save(hold_reason=None)

    def hold(self) -> None:
        if not self.page.hold_button.isEnabled():
            return
        reason = self.ask_reason(self.page, "Save as held", "Why is this charge held? Billing will review it.",
                                 "Save as held")
        if reason:
            self._save(hold_reason=reason)

    @property
    def request_id(self) -> str:
        return self.drafts.request_id

    def _save(self, hold_reason: str | None) -> None:
        if self.saving.busy:
            return
        reading = self.read_for_save()
        if reading is None:
            return
        charge = self.facility.at_facility(reading.charge)
        request = replace(record_request(reading, acknowledged=self.page.preview.acknowledged_codes(),
                                         hold_reason=hold_reason,
                                         administration=build_administration(charge, self.catalog)),
                          request_id=self.drafts.current_request_id())
        chair = self.facade().chair  # the person who pressed Enter records it, whoever signs in meanwhile
        call: Callable[[], RecordOutcome]
        if self.correcting is not None:
            target = self.correcting
            why = self.ask_reason(self.page, "Correct record", f"Why is record #{target.id} being corrected?",
                                  "Void and replace")
            if not why:
                return
            call = lambda: chair.correct(target.id, why, request, target.version)  # noqa: E731
        else:
            call = lambda: chair.record(request)  # noqa: E731
        self.drafts.attempting()
        self.save_draft()  # kept until the database confirms the save, whatever happens to this program meanwhile
        self.saving.start(call)

    def read_for_save(self) -> FormReading | None:
        self.refresh()
        reading = self.reading
        if reading is None or reading.patient is None or self.preview is None or self.preview.result is None:
            self.page.show_status("\u2716 Not saved: the patient, drug, vials and mg given are needed.")
            return None
        return reading

    def _not_saved(self, words: str) -> None:
        self.save_draft()  # nothing was confirmed: what was typed survives a restart
        self.save_problem = words
        self.page.show_status(words)
        self.save_failed.emit(words)

    def _saved(self, outcome: RecordOutcome) -> None:
        """The drug is in the visit: the visit stays on the form (its drugs listed) for the next drug."""
        saved_request = self.drafts.request_id
        units = sum(line.units for line in outcome.lines if line.kind.value != "administration")
        self.clear_drug()
        self.saved_visit = outcome.visit_id  # on screen and stored, even before its reload arrives
        settled = self.drafts.settle(saved_request)  # deleted, or at least never offered back
        self.saved_words = (
            f"\u2714 Saved record #{outcome.id} ({outcome.state.value}, {units} drug units) in visit "
            f"#{outcome.visit_id}. Scan the visit's next drug, or press Esc for the next patient."
            + ("" if settled.removed else " " + settled.words))
        self.page.show_status(self.saved_words)
        self.visits.load(fill=False, force=True)  # the saved drug joins the visit's list
        self.saved.emit(outcome)
        self.page.scroll_to_top()
        self.page.drug.scan.setFocus()

    # clearing, drafts, corrections ---------------------------------------
    def unsaved(self) -> bool:
        """Something on the form that is not stored: a drug, or a patient and visit that have no saved drug."""
        fields = draft_fields(self.page)
        saved_visit = self.saved_visit is not None or self.visits.visit_for_preview() is not None
        return has_drug(self.page, fields) or (has_content(self.page, fields) and not saved_visit)

    def cancel(self) -> None:
        if self.saving.busy:
            return
        unsaved = self.unsaved()
        if unsaved and not self.confirm_clear():
            return
        self.clear_form(keep_chair=not unsaved)  # after a saved visit the next patient sits in the same chair
        self.drafts.discard()
        self.page.patient.search.setFocus()

    def _confirm_clear(self) -> bool:
        answer = QMessageBox.question(self.page, "Clear the form?",
                                      "Clear everything on this form? What is on it has not been saved.")
        return answer == QMessageBox.StandardButton.Yes

    def clear_drug(self) -> None:
        """Empty what belongs to one drug; the patient and the visit's facts stay."""
        with self.quiet():
            self.page.drug.clear()
            self.page.amounts.clear(keep_visit=True)
            self.page.amounts.discarded_by.setText(self.facade().user)  # editable: someone else may have wasted it
            self.correcting = None
            self.visits.leaving_out = None
            self.save_problem = None
            self.drafts.renew()
            self.page.mode.setVisible(False)
        self.refresh()
        self.drafts.stop()

    def clear_form(self, keep_chair: bool = False) -> None:
        with self.quiet():
            for section in (self.page.patient, self.page.drug, self.page.amounts):
                section.clear()
            self.page.visit.clear(keep_chair=keep_chair, today=self.now().date())
            self.page.amounts.discarded_by.setText(self.facade().user)
            self.visits.forget()
            self.saved_visit, self.saved_words = None, ""
            self.correcting = None
            self.save_problem = None
            self.drafts.renew()
            self.cancel_patient_search()
            self.page.mode.setVisible(False)
        self.refresh()
        self.drafts.stop()
        self.page.scroll_to_top()
        self.load_engine_inputs()  # a new form: the facility's settings may have changed since the last one

    def save_draft(self) -> None:
        self.drafts.save()

    def restore_draft(self, fields: dict[str, object], request_id: str | None = None) -> None:
        self.clear_form()
        if request_id:  # not in the database (it was checked): still unsaved, under its own id
            self.drafts.request_id = request_id
        with self.quiet():
            _restore(self.page, fields, self.catalog, self.pick_drug)
        self.refresh()
        self.visits.load(fill=False)
        self.page.show_status("Draft restored: check it, then accept or clear.")

    def start_correction(self, detail: AdministrationDetail) -> None:
        self.clear_form()
        with self.quiet():
            fill_from_record(self.page, detail, self.catalog, self.pick_drug, self.zone)
        self.correcting = detail
        self.visits.leaving_out = detail.id
        self.page.mode.setText(f"CORRECTING record #{detail.id}: accepting voids it and saves this one.")
        self.page.mode.setVisible(True)
        self.refresh()
        self.visits.load(fill=False)

    def _visit_arrived(self) -> None:
        self.refresh()
        self.visit_loaded.emit()

    def focus_start(self) -> QWidget:
        """Where the cursor goes when the chair screen opens: the patient search (a wristband scan lands there)."""
        return self.page.patient.search
