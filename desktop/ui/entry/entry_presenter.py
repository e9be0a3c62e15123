"""The chair entry's logic: the visit at the chair, searches, vials, live preview of the whole visit, accept/hold,
drafts and corrections, via services."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QScrollArea, QWidget

from desktop.billing.model import Finding
from desktop.services.errors import SaveOutcomeUnknownError
from desktop.services.facility_basics import Stock340b, workstation_time_zone
from desktop.services.preview import ChargeForm, ChargePreview, build_administration, suggest_discarded_mg
from desktop.services.views import AdministrationDetail, PatientView, RecordOutcome
from desktop.ui.backend import ChairBackend
from desktop.ui.entry.correction import fill_from_record
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.form_drafts import draft_fields, has_content, has_drug
from desktop.ui.entry.form_drafts import restore_fields as _restore
from desktop.ui.entry.form_reader import FormReading, read_form, record_request
from desktop.ui.entry.go_to_field import field_widget
from desktop.ui.entry.vial_intake import VialIntake, stock_words
from desktop.ui.entry.visit_loader import VisitLoader
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, failure_words, split_detail
from desktop.ui.reason_dialog import ask_reason
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.services.settings import EngineInputs

DRAFT_DELAY_MS = 800
PATIENT_SEARCH_DELAY_MS = 150  # a search per pause in typing, not per keystroke
ReasonAsker = Callable[[object, str, str, str], "str | None"]


def new_request_id() -> str:
    return str(uuid.uuid4())


def _mg(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


class EntryPresenter(QObject):
    """Keeps the view thin: every decision about the form is made here, every number comes from services."""

    saved = Signal(object)  # RecordOutcome
    save_failed = Signal(str)  # the words shown: nothing (or not surely anything) was saved
    inputs_loaded = Signal()  # the facility's rules and 340B type arrived (or could not be read)
    patients_shown = Signal()  # an as-you-type patient search answered and its results are shown
    visit_loaded = Signal()  # the patient's visit (or last visit's facts) is on the form

    def __init__(self, page: EntryPage, backend: ChairBackend) -> None:
        super().__init__(page)
        self.page = page
        self.backend = backend
        self.catalog = backend.rules.catalog
        # What the recording service will compute with (facility overrides, newest catalog, 340B type, time zone):
        # read once per form and per patient, off the GUI thread, never per keystroke.
        self.inputs: EngineInputs | None = None
        self.inputs_query = BackgroundQuery(self)
        self.reading: FormReading | None = None
        self.preview: ChargePreview | None = None
        self.correcting: AdministrationDetail | None = None
        # Why the last save failed (the whole status line); the status keeps saying so (never "Ready") until a save
        # succeeds or the form is cleared, because the database problem it names is usually still there.
        self.save_problem: str | None = None
        self.saving: CollectionOp[RecordOutcome] | None = None  # a save in flight: the form waits for its answer
        # The form's request id: a retry of the same form is stored at most once (the first attempt may have
        # reached the database although its answer did not come back); drafts carry it, so a draft whose record
        # was saved is never offered back. A new one once the form changes after an attempt.
        self.request_id = new_request_id()
        self.attempt_fields: dict[str, object] | None = None
        self.saved_visit: int | None = None  # the visit a drug was just saved in (the form still shows it)
        self.saved_words = ""  # the status after that save, kept until the next drug is begun
        self.operations: OperationHub | None = None  # the window's, when it has one
        self.ask_reason: ReasonAsker = ask_reason  # type: ignore[assignment]
        self.confirm_clear: Callable[[], bool] = self._confirm_clear
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._restoring = False
        self.patient_query = BackgroundQuery(self)
        self._patient_timer = QTimer(self)
        self._patient_timer.setSingleShot(True)
        self._patient_timer.setInterval(PATIENT_SEARCH_DELAY_MS)
        self._patient_timer.timeout.connect(self._run_patient_search)
        self._searching_for: str | None = None
        self._pick_when_found = False
        self.visits = VisitLoader(page, backend, lambda: self.catalog, lambda: self.zone)
        self.vials = VialIntake(page, lambda: self.catalog, lambda: self.zone, lambda: self.stock,
                                lambda: self.visits.visit_for_preview(), self._pick_scanned_drug)
        page.amounts.now = self.now

        patient = page.patient
        patient.search_changed.connect(self.search_patients)
        patient.search.returnPressed.connect(self._patient_return)
        patient.new_button.clicked.connect(self.cancel_patient_search)
        patient.results.itemActivated.connect(lambda _item: self.cancel_patient_search())
        patient.results.itemClicked.connect(lambda _item: self.cancel_patient_search())
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
        self.visits.loaded.connect(self._visit_arrived)
        self.visits.failed.connect(page.show_status)
        page.amounts.discarded_by.setText(backend.user)
        self.refresh()
        self.load_engine_inputs()

    # the facility: rules, 340B, time zone ------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return self.inputs.zone if self.inputs is not None else ZoneInfo(workstation_time_zone())

    @property
    def stock(self) -> Stock340b:
        return self.inputs.stock_340b if self.inputs is not None else Stock340b.ASK

    def now(self) -> dt.datetime:
        """The facility's clock (its zone, whatever this workstation is set to)."""
        return dt.datetime.now(self.zone)

    def load_engine_inputs(self) -> None:
        self.inputs_query.run(self.backend.engine_inputs, self._inputs_arrived, self._inputs_failed)

    def _inputs_arrived(self, inputs: EngineInputs) -> None:
        self.inputs = inputs
        self.catalog = inputs.rules.catalog
        self.page.drug.stock_hint.setText(stock_words(inputs.stock_340b))
        if not has_content(draft_fields(self.page)):
            self._restoring = True
            self.page.visit.set_today(self.now().date())  # the facility's today
            self._restoring = False
        else:  # an empty form keeps its status ("Saved record #…")
            self.refresh()
        self.inputs_loaded.emit()

    def _inputs_failed(self, exc: Exception) -> None:
        kept = "the rules read earlier" if self.inputs else "the shipped rules"
        self.page.show_status(f"\u26a0 The facility settings could not be read ({exc}); the preview uses {kept}.")
        self.inputs_loaded.emit()

    def at_facility(self, charge: ChargeForm) -> ChargeForm:
        """The form with the facility's 340B type, as the recording service will store it."""
        wanted = self.inputs.facility_type if self.inputs else None
        return charge if wanted is None or wanted is charge.facility_type else replace(charge, facility_type=wanted)

    # searches and vials -------------------------------------------------
    def search_patients(self, text: str) -> None:
        """Search once typing pauses, off the GUI thread; an answer for older text is dropped."""
        if len(text.strip()) < 2:
            self.cancel_patient_search()
            self.page.patient.hide_results()
            return
        self._patient_timer.start()

    def cancel_patient_search(self) -> None:
        self._patient_timer.stop()
        self.patient_query.cancel()
        self._searching_for = None
        self._pick_when_found = False

    def _run_patient_search(self) -> None:
        text = self.page.patient.search.text()
        if len(text.strip()) < 2:
            return
        self._searching_for = text
        self.patient_query.run(lambda: self.backend.find_patients(text),
                               lambda found: self._patients_found(text, found), self._patient_search_failed)

    def _patients_found(self, text: str, patients: list[PatientView]) -> None:
        self._searching_for = None
        if text != self.page.patient.search.text():
            return  # typed on since; the newer search answers for it
        self.page.patient.show_results(patients)
        if self._pick_when_found:
            self._pick_when_found = False
            self.page.patient.pick_first()
        self.patients_shown.emit()

    def _patient_search_failed(self, exc: Exception) -> None:
        self._searching_for = None
        self._pick_when_found = False
        self.page.show_status(f"\u26a0 Patient search failed: {exc}")

    def _patient_return(self) -> None:
        """Enter picks the first match, also when it was typed (or scanned) faster than the search answers."""
        if self._patient_timer.isActive():
            self._patient_timer.stop()
            self._run_patient_search()
        if self._searching_for is not None:
            self._pick_when_found = True
            return
        self.page.patient.pick_first()

    def _patient_picked(self) -> None:
        """A known patient: their visit today (or their last visit's facts) is loaded; the next thing is a vial."""
        self.load_engine_inputs()
        self.visits.load(force=True)
        self.page.drug.scan.setFocus()

    def search_drugs(self, text: str) -> None:
        self.page.drug.show_results(self.catalog.search(text) if text.strip() else ())

    def pick_drug(self, hcpcs: str) -> None:
        self._show_drug(hcpcs)
        if self.page.drug.drug and not self._restoring:
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
    def refresh(self) -> None:
        if self._restoring:
            return
        page = self.page
        reading = read_form(page, self.catalog, self.zone, self.backend.user)
        suggestion = suggest_discarded_mg(reading.charge, self.catalog)
        follow = suggestion is not None and not page.amounts.discarded_typed
        if follow and suggestion is not None and page.amounts.discarded.text() != _mg(suggestion):
            page.amounts.discarded.setText(_mg(suggestion))  # re-enters refresh with the new value
            return
        stored = self.visits.visit_for_preview()
        if stored is not None and stored.payer_class is not reading.charge.payer_class:
            reading.messages[page.visit.payer_class_messages] = (
                f"Today's visit #{stored.id} is billed to {stored.payer_class.value.replace('_', ' ')}: one visit has "
                "one payer class. Set the payer class back, or void the visit's drugs first.")
        else:
            reading.messages[page.visit.payer_class_messages] = ""
        for messages in reading.messages.keys() | reading.notes.keys():
            problem, note = reading.messages.get(messages, ""), reading.notes.get(messages, "")
            messages.show(problem or note, note=not problem)
        self.reading = reading
        self.preview = self.backend.preview(self.at_facility(reading.charge), self.inputs, stored)
        page.amounts.opened.setText(f"Opened: {_mg(self.preview.opened_mg)} mg" if reading.charge.vials
                                    else "Opened: nothing yet")
        page.amounts.suggestion.setText(f"suggested: {_mg(suggestion)}" if suggestion is not None else "")
        times_wrong = bool(reading.messages.get(page.amounts.start_messages)
                           or reading.messages.get(page.amounts.stop_messages))
        page.preview.show_preview(self.preview, tuple(reading.problems),
                                  frozenset({"NO_INFUSION_TIME", "MISSING_INFUSION_TIMES"}) if times_wrong
                                  else frozenset(), self.visits.drug_names())
        self._update_actions()
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def _update_actions(self) -> None:
        if self.saving is not None:
            return  # the buttons stay off and the status says "Saving…" until the answer comes
        page, reading, result = self.page, self.reading, self.preview.result if self.preview else None
        entering = bool(self.preview and self.preview.new_index is not None)
        can_accept = bool(reading and reading.complete and result and entering and not result.has_errors
                          and page.preview.all_warnings_acknowledged())
        page.accept_button.setEnabled(can_accept)
        problems = reading.problems if reading else []
        unanswered = bool(reading and any(v.acquired_340b is None for v in reading.charge.vials))
        # A field with a message holds no value: holding now would store the record without it.
        # Held or not, the recording service stores a warning only with its acknowledgement.
        page.hold_button.setEnabled(bool(reading and reading.patient and entering and not problems and not unanswered
                                         and page.preview.all_warnings_acknowledged()))
        if self.saved_words and not (reading and (reading.charge.hcpcs or reading.charge.vials)):
            page.show_status(self.saved_words)  # what was just saved stays said until the next drug is begun
        elif reading and reading.missing:
            page.show_status("Still needed: " + ", ".join(reading.missing) + ".")
        elif problems:
            page.show_status(f"\u2716 Fix the marked field first: {problems[0]}")
        elif result and result.has_errors:
            page.show_status("\u2716 Errors found: fix them, or save as held with a reason.")
        elif not page.preview.all_warnings_acknowledged():
            page.show_status("\u26a0 Tick each warning once you have checked it, or fill in what it names.")
        elif can_accept and self.save_problem:
            page.show_status(self.save_problem)
        elif can_accept:
            page.show_status("Ready: press Enter to accept the charge.")

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

    def _save(self, hold_reason: str | None) -> None:
        if self.saving is not None:
            return
        reading = self.read_for_save()
        if reading is None:
            return
        charge = self.at_facility(reading.charge)
        request = replace(record_request(reading, acknowledged=self.page.preview.acknowledged_codes(),
                                         hold_reason=hold_reason,
                                         administration=build_administration(charge, self.catalog)),
                          request_id=self.current_request_id())
        if self.correcting is not None:
            why = self.ask_reason(self.page, "Correct record",
                                  f"Why is record #{self.correcting.id} being corrected?", "Void and replace")
            if not why:
                return
            target, backend = self.correcting, self.backend
            call: Callable[[], RecordOutcome] = lambda: backend.correct(target.id, why, request, target.version)  # noqa: E731
        else:
            backend = self.backend
            call = lambda: backend.record(request)  # noqa: E731
        self.attempt_fields = draft_fields(self.page)
        self.save_draft()  # kept until the database confirms the save, whatever happens to this program meanwhile
        self._set_saving(CollectionOp(self, call, label="Saving the charge", hub=self.operations,
                                      changes=lambda outcome: OpChanges.of("visit", outcome.id)))
        assert self.saving is not None
        self.saving.success(self._saved).failure(self._not_saved).slow(self._still_saving).run_in_background()

    def current_request_id(self) -> str:
        if self.attempt_fields is not None and draft_fields(self.page) != self.attempt_fields:
            self.request_id, self.attempt_fields = new_request_id(), None  # changed since: another request
        return self.request_id

    def _set_saving(self, operation: CollectionOp[RecordOutcome] | None) -> None:
        self.saving = operation
        busy = operation is not None
        form = self.page.findChild(QScrollArea, "form_scroll")
        if form is not None:
            form.setEnabled(not busy)
        for widget in (self.page.accept_button, self.page.hold_button, self.page.clear_button):
            widget.setEnabled(not busy)
        if busy:
            self.page.show_status("Saving\u2026")
        else:
            self.page.clear_button.setEnabled(True)
            self._update_actions()

    def _still_saving(self) -> None:
        self.page.show_status("Saving\u2026 the database is slow to answer. Your entry is kept as a draft; wait for "
                              "the answer (at most a few seconds more).")

    def _not_saved(self, error: Exception) -> None:
        self._set_saving(None)
        self.save_draft()  # nothing was confirmed: what was typed survives a restart
        words, detail = split_detail(failure_words(error))
        words = words.removeprefix("Nothing was saved: ")  # the status starts "Not saved" already
        words = words[:1].upper() + words[1:]
        if isinstance(error, SaveOutcomeUnknownError):
            status = f"\u26a0 Not confirmed: {words} Your entry is kept; pressing Enter again cannot save it twice."
        else:
            status = f"\u2716 Not saved: {words} Your entry is kept (also as a draft); press Enter to try again."
        status = f"{status} {detail}".strip()
        self.save_problem = status
        self.page.show_status(status)
        self.save_failed.emit(status)

    def read_for_save(self) -> FormReading | None:
        self.refresh()
        reading = self.reading
        if reading is None or reading.patient is None or self.preview is None or self.preview.result is None:
            self.page.show_status("\u2716 Not saved: the patient, drug, vials and mg given are needed.")
            return None
        return reading

    def _saved(self, outcome: RecordOutcome) -> None:
        """The drug is in the visit: the visit stays on the form (its drugs listed) for the next drug."""
        self._set_saving(None)
        saved_request = self.request_id
        units = sum(line.units for line in outcome.lines if line.kind.value != "administration")
        self.clear_drug()
        self.saved_visit = outcome.visit_id  # on screen and stored, even before its reload arrives
        settled = self.backend.drafts.settle(saved_request)  # deleted, or at least never offered back
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
        return has_drug(fields) or (has_content(fields) and not saved_visit)

    def cancel(self) -> None:
        if self.saving is not None:
            return
        unsaved = self.unsaved()
        if unsaved and not self.confirm_clear():
            return
        self.clear_form(keep_chair=not unsaved)  # after a saved visit the next patient sits in the same chair
        self.backend.drafts.discard()
        self.page.patient.search.setFocus()

    def _confirm_clear(self) -> bool:
        answer = QMessageBox.question(self.page, "Clear the form?",
                                      "Clear everything on this form? What is on it has not been saved.")
        return answer == QMessageBox.StandardButton.Yes

    def clear_drug(self) -> None:
        """Empty what belongs to one drug; the patient and the visit's facts stay."""
        self._restoring = True
        self.page.drug.clear()
        self.page.amounts.clear(keep_visit=True)
        self.page.amounts.discarded_by.setText(self.backend.user)  # editable: someone else may have wasted it
        self.correcting = None
        self.visits.leaving_out = None
        self.save_problem = None
        self.request_id, self.attempt_fields = new_request_id(), None
        self.page.mode.setVisible(False)
        self._restoring = False
        self.refresh()
        self._draft_timer.stop()

    def clear_form(self, keep_chair: bool = False) -> None:
        self._restoring = True
        for section in (self.page.patient, self.page.drug, self.page.amounts):
            section.clear()
        self.page.visit.clear(keep_chair=keep_chair, today=self.now().date())
        self.page.amounts.discarded_by.setText(self.backend.user)
        self.visits.forget()
        self.saved_visit, self.saved_words = None, ""
        self.correcting = None
        self.save_problem = None
        self.request_id, self.attempt_fields = new_request_id(), None
        self.cancel_patient_search()
        self.page.mode.setVisible(False)
        self._restoring = False
        self.refresh()
        self._draft_timer.stop()
        self.page.scroll_to_top()
        self.load_engine_inputs()  # a new form: the facility's settings may have changed since the last one

    def save_draft(self) -> None:
        if not self.unsaved():
            return
        fields = draft_fields(self.page)
        try:
            self.backend.drafts.save(fields, self.backend.user, request_id=self.current_request_id())
        except OSError as exc:
            self.page.show_status(f"\u26a0 Draft could not be kept: {exc}")

    def restore_draft(self, fields: dict[str, object], request_id: str | None = None) -> None:
        self.clear_form()
        self.request_id = request_id or self.request_id  # not in the database (it was checked): still unsaved
        self._restoring = True
        try:
            _restore(self.page, fields, self.catalog, self.pick_drug)
        finally:
            self._restoring = False
        self.refresh()
        self.visits.load(fill=False)
        self.page.show_status("Draft restored: check it, then accept or clear.")

    def start_correction(self, detail: AdministrationDetail) -> None:
        self.clear_form()
        self._restoring = True
        try:
            fill_from_record(self.page, detail, self.catalog, self.pick_drug, self.zone)
        finally:
            self._restoring = False
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
