"""Every scanned vial keeps its serial; a scanner reading the same vial twice is refused on screen in words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pytestqt.qtbot import QtBot

from desktop.interop.gs1 import GS, gtin_for_ndc10
from desktop.records.requests import PatientInput
from desktop.services import record_administration
from desktop.ui.main_window import MainWindow
from tests.services.conftest import make_request, nivolumab
from tests.ui.flows import enter_new_patient
from tests.ui.test_scan_flow import scan_keys

OFATUMUMAB = gtin_for_ndc10("0078066913")
NIVOLUMAB_100 = gtin_for_ndc10("0003377412")


def test_a_double_read_is_refused_with_when_the_vial_was_scanned(window: MainWindow) -> None:
    page = window.entry_page
    for serial in ("S1", "S2", "S2", "S2"):  # the double read: four reads, two vials
        scan_keys(page.drug.scan, f"01{OFATUMUMAB}17270630" f"10LOT9{GS}21{serial}")
    [row] = page.drug.vials.rows
    assert row.count == 2 and row.serials == ["S1", "S2"]
    words = page.drug.scan_message.text()
    assert re.search(r"This vial was already scanned at \d\d:\d\d \(serial S2\)", words), words
    assert "not added again" in words and page.drug.scan_message.isVisible()
    scan_keys(page.drug.scan, f"01{OFATUMUMAB}17270630" f"10LOT9{GS}21S3")
    assert row.count == 3 and not page.drug.scan_message.isVisible()  # the next real vial is taken


def test_a_scan_without_a_serial_counts_as_before(window: MainWindow) -> None:
    page = window.entry_page
    for _ in range(2):
        scan_keys(page.drug.scan, f"01{OFATUMUMAB}17270630" f"10LOT9")
    [row] = page.drug.vials.rows
    assert row.count == 2 and row.serials == []
    assert not page.drug.scan_message.isVisible()


def test_a_vial_already_saved_in_this_visit_is_refused(window: MainWindow, store: object, qtbot: QtBot) -> None:
    vial = nivolumab(ndcs=("0003-3774-12",)).packages[0]
    today = replace(nivolumab(ndcs=("0003-3774-12",), administered="99", discarded="1"),
                    date_of_service=dt.date.today(), packages=(replace(vial, serial="NV-1"),))
    patient = PatientInput(mrn="100234", name="Rivera, Ana", date_of_birth=dt.date(1956, 3, 14))
    record_administration(store, replace(make_request(patient=patient, administration=today,  # type: ignore[arg-type]
                                                      ordered_dose_mg=None), date_of_service=dt.date.today()), "rn")
    page = window.entry_page
    with qtbot.waitSignal(window.entry.visit_loaded, timeout=5000):
        enter_new_patient(window)
        page.patient.mrn.editingFinished.emit()  # the MRN typed: the visit of today is looked up
    scan_keys(page.drug.scan, f"01{NIVOLUMAB_100}17270630" f"10LOT1{GS}21NV-1")
    assert page.drug.vials.rows == []
    words = page.drug.scan_message.text()
    assert "already recorded in this visit with J9299, saved at" in words, words
