"""The patient's administrative sex on the chair screen: a found patient shows it, a new one is saved with it and
the claim carries it, drafts keep it, and "not given" never erases what is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db import models
from desktop.facade import AppFacade
from desktop.records.requests import PatientInput, RecordOutcome
from desktop.records.visit import ADMINISTRATIVE_SEX
from desktop.services import Store, record_administration
from desktop.services.billing_exports.exports import ExportFormat, export_since_last
from desktop.ui.main_window import MainWindow
from tests.interop.spec import hl7_value, read_hl7
from tests.services.charge_samples import j9302_request, to_posted
from tests.ui.flows import fill_j9302, type_into

RIVERA = PatientInput(mrn="100234", name="Rivera, Ana", date_of_birth=dt.date(1956, 3, 14), sex="M")


@pytest.fixture
def stored_rivera(store: Store) -> None:
    """Rivera, Ana (MRN 100234) was registered with sex M on an earlier visit."""
    record_administration(store, j9302_request(patient=RIVERA), "nurse.kim")


def _stored_sex(store: Store, mrn: str) -> str | None:
    with store.session_scope(write=False) as session:
        return session.execute(select(models.Patient.sex).where(models.Patient.mrn == mrn)).scalar_one()


def _accept(window: MainWindow, qtbot: QtBot) -> RecordOutcome:
    assert window.entry_page.accept_button.isEnabled(), window.entry_page.status.text()
    with qtbot.waitSignal(window.entry.saved, timeout=5000) as saved:
        window.entry.accept()
    outcome = saved.args[0]
    assert isinstance(outcome, RecordOutcome)
    return outcome


def test_the_choices_are_the_table_in_words_after_not_given(window: MainWindow) -> None:
    sex = window.entry_page.patient.sex
    assert sex.objectName() == "patient_sex" and sex.accessibleName()
    assert [sex.itemText(i) for i in range(sex.count())] == ["not given", *ADMINISTRATIVE_SEX.values()]
    assert [sex.itemData(i) for i in range(sex.count())] == [None, *ADMINISTRATIVE_SEX]
    assert sex.height() >= 44  # the touch height of the other fields


def test_a_found_patient_shows_the_stored_sex(window: MainWindow, qtbot: QtBot, stored_rivera: None) -> None:
    section = window.entry_page.patient
    with qtbot.waitSignal(window.entry.patients_shown, timeout=3000):
        type_into(section.search, "Rivera")
    QTest.keyClick(section.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.mrn.text() == "100234", timeout=3000)
    assert (section.sex.currentText(), section.sex_code) == ("male", "M")
    QTest.mouseClick(section.new_button, Qt.MouseButton.LeftButton)  # a new patient starts at "not given"
    assert section.sex_code is None and section.sex.currentText() == "not given"


def test_a_new_patient_saved_with_sex_f_goes_out_as_f(window: MainWindow, qtbot: QtBot, store: Store) -> None:
    fill_j9302(window)
    section = window.entry_page.patient
    type_into(section.sex, "f")  # the keyboard picks "female"
    assert section.sex_code == "F"
    outcome = _accept(window, qtbot)
    assert _stored_sex(store, "100234") == "F"
    to_posted(store, outcome.id, outcome.version)
    assert hl7_value(read_hl7(export_since_last(store, ExportFormat.HL7, user="biller").text), "PID-8", 0) == "F"


def test_not_given_keeps_the_stored_sex(window: MainWindow, qtbot: QtBot, store: Store,
                                        stored_rivera: None) -> None:
    fill_j9302(window)  # Rivera entered again as a new patient: the sex is "not given"
    assert window.entry_page.patient.sex_code is None
    _accept(window, qtbot)
    assert _stored_sex(store, "100234") == "M"


def test_a_draft_keeps_the_sex_and_clear_clears_it(window: MainWindow, facade: AppFacade) -> None:
    fill_j9302(window)
    section = window.entry_page.patient
    section.set_sex("O")
    window.entry.save_draft()
    draft = facade.drafts.load()
    assert draft is not None and draft.fields["sex"] == "O"
    window.entry.clear_form()
    assert section.sex_code is None and section.sex.currentText() == "not given"
    window.entry.restore_draft(draft.fields)
    assert (section.sex_code, section.sex.currentText()) == ("O", "other")
    window.entry.restore_draft({**draft.fields, "sex": "X"})  # a damaged draft: not given, never a crash
    assert section.sex_code is None
