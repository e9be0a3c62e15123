"""The visit at the chair: drugs added one after another, the preview showing the whole visit's claim before each
save, the saved drugs listed, and a continued visit's facts filled in once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.billing.model import LineKind
from desktop.records.requests import PatientInput
from desktop.services import record_administration
from desktop.services.facility.settings import FacilitySettings, Stock340b, save_facility_settings
from desktop.services.visits.visit_queries import get_visit
from desktop.ui.main_window import MainWindow
from tests.services.conftest import make_request, nivolumab
from tests.ui.flows import enter_new_patient, type_into

TODAY = dt.date.today()


def _site_stocks_340b(window: MainWindow, store: object, qtbot: QtBot) -> None:
    save_facility_settings(store, replace(FacilitySettings(), stock_340b=Stock340b.STOCK_340B), "admin")  # type: ignore[arg-type]
    with qtbot.waitSignal(window.entry.inputs_loaded, timeout=5000):
        window.entry.clear_form()


def _drug(window: MainWindow, search: str, ndc: str, given: str, start: str, stop: str) -> None:
    """One drug of the visit, fully documented, as a nurse types it."""
    page = window.entry_page
    type_into(page.drug.search, search)
    QTest.keyClick(page.drug.search, Qt.Key.Key_Return)
    page.drug.package.setCurrentIndex(page.drug.package.findData(ndc))
    QTest.mouseClick(page.drug.add_button, Qt.MouseButton.LeftButton)
    row = page.drug.vials.rows[-1]
    type_into(row.lot, "L" + ndc[-4:])
    type_into(row.expiry, "06/2027")
    type_into(page.amounts.administered, given)
    type_into(page.amounts.start, start)
    type_into(page.amounts.stop, stop)
    if page.amounts.discarded.text() not in ("", "0"):
        type_into(page.amounts.witness, "Lee, RN")


def _save(window: MainWindow, qtbot: QtBot) -> None:
    page = window.entry_page
    assert page.accept_button.isEnabled(), page.status.text()
    with qtbot.waitSignal(window.entry.visit_loaded, timeout=5000):
        QTest.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)


def _codes(window: MainWindow) -> Counter[str]:
    result = window.entry.preview.result  # type: ignore[union-attr]
    assert result is not None
    return Counter(line.hcpcs for line in result.lines if line.kind is LineKind.ADMINISTRATION)


def _start_visit(window: MainWindow, store: object, qtbot: QtBot) -> None:
    _site_stocks_340b(window, store, qtbot)
    page = window.entry_page
    enter_new_patient(window)
    type_into(page.visit.diagnoses, "C43.9")
    page.amounts.consent.setChecked(True)


def test_two_chemotherapy_drugs_one_after_another_make_one_initial_code(window: MainWindow, store: object,
                                                                        qtbot: QtBot) -> None:
    page = window.entry_page
    _start_visit(window, store, qtbot)
    _drug(window, "opdivo", "0003-3734-13", "240", "09:00", "09:30")
    _save(window, qtbot)
    assert page.patient.mrn.text() == "100234" and page.amounts.consent.isChecked()  # the visit stays
    assert len(page.visit_drugs.lines) == 1 and "nivolumab" in page.visit_drugs.lines[0]
    assert "recorded" in page.visit_drugs.lines[0]
    _drug(window, "yervoy", "0003-2327-11", "50", "10:00", "10:30")
    assert _codes(window) == Counter({"96413": 1, "96417": 1})  # the whole visit, before the second save
    labels = " ".join(label.text() for label in page.preview.line_labels)
    assert "J9299" in labels and "J9228" in labels  # the stored drug's lines and the new one's
    _save(window, qtbot)
    visit = get_visit(store, window.entry.saved_visit)  # type: ignore[arg-type]
    assert Counter(line.hcpcs for line in visit.code_lines) == Counter({"96413": 1, "96417": 1})
    assert len(page.visit_drugs.lines) == 2


def test_a_three_drug_visit_shows_one_96413_one_96417_one_96375_before_saving(window: MainWindow, store: object,
                                                                             qtbot: QtBot) -> None:
    _start_visit(window, store, qtbot)
    _drug(window, "dexamethasone", "63323-506-41", "10", "08:45", "08:50")  # the premedication push
    _save(window, qtbot)
    _drug(window, "opdivo", "0003-3734-13", "240", "09:00", "09:30")
    _save(window, qtbot)
    _drug(window, "yervoy", "0003-2327-11", "50", "10:00", "10:30")
    assert _codes(window) == Counter({"96413": 1, "96417": 1, "96375": 1})
    _save(window, qtbot)
    visit = get_visit(store, window.entry.saved_visit)  # type: ignore[arg-type]
    assert Counter(line.hcpcs for line in visit.code_lines) == Counter({"96413": 1, "96417": 1, "96375": 1})


def test_a_visit_started_today_is_continued_with_its_facts_and_one_payer(window: MainWindow, store: object,
                                                                       qtbot: QtBot) -> None:
    patient = PatientInput(mrn="555777", name="Okafor, Ben", date_of_birth=dt.date(1961, 7, 2))
    today = replace(nivolumab(), date_of_service=TODAY)
    saved = record_administration(store, replace(make_request(  # type: ignore[arg-type]
        patient=patient, administration=today, chair="Chair 4", notes="Cycle 2", payer="Medicare Part B"),
        date_of_service=TODAY), "nurse.kim")
    page = window.entry_page
    type_into(page.patient.search, "555777")
    with qtbot.waitSignal(window.entry.visit_loaded, timeout=5000):
        QTest.keyClick(page.patient.search, Qt.Key.Key_Return)
    assert "Continuing today's visit" in page.visit.origin.text()
    assert (page.visit.chair.text(), page.visit.notes.toPlainText(), page.amounts.consent.isChecked()) == (
        "Chair 4", "Cycle 2", True)  # entered once: filled from the visit
    assert page.visit.diagnoses.text() == "C34.90"
    assert page.visit_drugs.isVisible() and f"Visit #{saved.visit_id}" in page.visit_drugs.title.text()
    assert window.entry.preview is not None and window.entry.preview.stored == 1
    page.visit.set_payer_class(page.visit.payer_class.itemData(3))  # commercial: not this visit's payer
    assert "one visit has one payer class" in page.visit.payer_class_message.text()
    assert not page.accept_button.isEnabled()
