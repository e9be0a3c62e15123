"""Consent, chair and who discarded at the chair: stored as fields, kept for the next patient, restored to correct."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.services.visits.visit_queries import get_administration, list_administrations
from desktop.ui.entry.form_drafts import draft_fields
from desktop.ui.main_window import MainWindow
from desktop.ui.review.detail_pane import detail_html
from tests.ui.conftest import NURSE
from tests.ui.flows import enter_new_patient, fill_j9302, snap, type_into


def save(qtbot: object, window: MainWindow) -> None:
    with qtbot.waitSignal(window.entry.saved, timeout=5000):  # type: ignore[attr-defined]
        QTest.keyClick(window.entry_page.amounts.witness, Qt.Key.Key_Return)  # Enter accepts


def newest(store: object) -> object:
    return get_administration(store, max(s.id for s in list_administrations(store, date_of_service=dt.date.today())))


def test_fields_are_named_and_discarded_by_starts_as_the_signed_in_nurse(window: MainWindow) -> None:
    page = window.entry_page
    for widget, name, accessible in ((page.visit.chair, "chair", "Infusion chair or bay"),
                                     (page.amounts.discarded_by, "discarded_by", "Discarded by"),
                                     (page.amounts.consent, "consent_recorded", "Consent recorded")):
        assert (widget.objectName(), widget.accessibleName()) == (name, accessible)
    assert page.amounts.discarded_by.text() == NURSE and page.visit.chair.text() == ""


def test_entry_stores_all_three_and_keeps_the_chair_for_the_next_patient(
    qtbot: object, window: MainWindow, store: object, artifacts_dir: Path
) -> None:
    page = window.entry_page
    fill_j9302(window)
    type_into(page.visit.chair, "Chair 3")
    page.amounts.discarded_by.clear()
    type_into(page.amounts.discarded_by, "Okoye, RN")
    page.amounts.consent.setChecked(True)
    type_into(page.visit.notes, "Tolerated well.")
    snap(window, artifacts_dir / "entry_record_fields_chair.png", show=page.visit.chair)
    snap(window, artifacts_dir / "entry_record_fields_waste_consent.png", show=page.amounts.consent)
    assert page.accept_button.isEnabled(), page.status.text()
    save(qtbot, window)

    detail = newest(store)
    assert (detail.visit.consent_recorded, detail.visit.chair, detail.facts.discarded_by) == (
        True, "Chair 3", "Okoye, RN")
    # no consent line in the notes
    assert detail.visit.notes == "Tolerated well." and detail.facts.waste_witness == "Lee, RN"
    shown = detail_html(detail)  # the review queue's detail pane
    assert all(f"<b>{k}</b></td><td>{v}" in shown for k, v in (
        ("Chair", "Chair 3"), ("Consent recorded", "yes"), ("Discarded by", "Okoye, RN")))
    assert page.visit.chair.text() == "Chair 3"  # the visit stays for its next drug: its chair and consent too
    assert page.amounts.discarded_by.text() == NURSE and page.amounts.consent.isChecked()

    window.entry.cancel()  # Esc after a saved drug: the next patient, at the same chair, without a question
    assert page.patient.mrn.text() == "" and page.visit.chair.text() == "Chair 3"
    assert page.amounts.discarded_by.text() == NURSE and not page.amounts.consent.isChecked()
    enter_new_patient(window, mrn="100235", name="Lee, Bo")
    window.entry.confirm_clear = lambda: True  # an unsaved form cleared (Esc, confirmed) starts over, chair included
    window.entry.cancel()
    assert page.visit.chair.text() == "" and page.patient.mrn.text() == ""


def test_nothing_discarded_stores_no_discarder(qtbot: object, window: MainWindow, store: object) -> None:
    page = window.entry_page
    fill_j9302(window, consent=False)
    page.amounts.discarded_typed = True  # the nurse's own number, not the suggestion
    page.amounts.discarded.setText("0")  # 275 of 300 mg given and nothing wasted: held for the error
    window.entry.ask_reason = lambda *_args: "Waste not counted yet"
    assert not page.hold_button.isEnabled()  # a warning not yet checked: not even held
    page.preview.warning_boxes["MISSING_CONSENT"].setChecked(True)
    with qtbot.waitSignal(window.entry.saved, timeout=5000):  # type: ignore[attr-defined]
        window.entry.hold()
    detail = newest(store)
    assert detail.facts.discarded_by is None and detail.visit.consent_recorded is False and detail.visit.chair is None


def test_correction_restores_all_three_and_the_replacement_keeps_them(
    qtbot: object, window: MainWindow, store: object
) -> None:
    page = window.entry_page
    fill_j9302(window)
    type_into(page.visit.chair, "Bay 2")
    page.amounts.discarded_by.setText("Okoye, RN")
    page.amounts.consent.setChecked(True)
    save(qtbot, window)
    original = newest(store)

    window.entry.start_correction(original)
    assert page.visit.chair.text() == "Bay 2" and page.amounts.discarded_by.text() == "Okoye, RN"
    assert page.amounts.consent.isChecked()
    page.visit.chair.setText("Bay 4")
    window.entry.ask_reason = lambda *_args: "Moved to another bay"
    save(qtbot, window)
    replacement = newest(store)
    assert replacement.replaces_id == original.id
    assert (replacement.visit.consent_recorded, replacement.visit.chair, replacement.facts.discarded_by) == (
        True, "Bay 4", "Okoye, RN")


def test_an_old_record_with_consent_in_its_notes_is_corrected_with_the_box_ticked(
    qtbot: object, window: MainWindow, store: object
) -> None:
    page = window.entry_page
    fill_j9302(window, consent=False)
    page.amounts.discarded_by.clear()  # as older records were stored: consent in the notes, no discarder
    page.visit.notes.setPlainText("Consent recorded.\nPremedicated.")
    page.preview.warning_boxes["MISSING_CONSENT"].setChecked(True)  # a documentation warning, acknowledged
    save(qtbot, window)
    old = newest(store)
    assert old.visit.consent_recorded is False and old.facts.discarded_by is None

    window.entry.start_correction(old)
    assert page.amounts.consent.isChecked()
    assert page.visit.notes.toPlainText() == "Premedicated."
    assert page.amounts.discarded_by.text() == ""  # not documented then: no name guessed now
    window.entry.ask_reason = lambda *_args: "Consent moved to its field"
    page.amounts.discarded_by.setText("Lee, RN")
    save(qtbot, window)
    fixed = newest(store)
    assert (fixed.visit.consent_recorded, fixed.visit.notes, fixed.facts.discarded_by) == (
        True, "Premedicated.", "Lee, RN")


def test_a_draft_keeps_them(window: MainWindow) -> None:
    page = window.entry_page
    enter_new_patient(window)
    page.visit.chair.setText("Chair 8")
    page.amounts.discarded_by.setText("Okoye, RN")
    page.amounts.consent.setChecked(True)
    fields = draft_fields(page)
    window.entry.clear_form()
    window.entry.restore_draft(fields)
    assert page.visit.chair.text() == "Chair 8" and page.amounts.discarded_by.text() == "Okoye, RN"
    assert page.amounts.consent.isChecked()
    older = {k: v for k, v in fields.items() if k not in ("chair", "discarded_by")}  # written before these fields
    window.entry.restore_draft(older)
    assert page.visit.chair.text() == "" and page.amounts.discarded_by.text() == NURSE


def test_the_ordering_provider_is_typed_once_on_the_visit_and_saved(qtbot: object, window: MainWindow, store: object,
                                                                     artifacts_dir: Path) -> None:
    page = window.entry_page
    fill_j9302(window)
    provider, npi = page.visit.fact_fields["ordering_provider"], page.visit.fact_fields["ordering_provider_npi"]
    assert (provider.accessibleName(), npi.accessibleName()) == ("Ordering provider", "Ordering provider's NPI")
    type_into(provider, "Dr. Maya Chen")
    type_into(npi, "1234567893")
    snap(window, artifacts_dir / "entry_ordering_provider.png", show=page.visit)
    save(qtbot, window)
    saved = newest(store)
    assert (saved.visit.ordering_provider, saved.visit.ordering_provider_npi) == ("Dr. Maya Chen", "1234567893")
