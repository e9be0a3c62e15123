"""The 340B source is an answer for every vial: without it nothing is accepted or held; the site's default stock
(an audited setting) starts each new vial and is said on screen."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.interop.gs1 import GS, gtin_for_ndc10
from desktop.services.facility.settings import FacilitySettings, Stock340b, save_facility_settings
from desktop.ui.main_window import MainWindow
from tests.ui.flows import enter_new_patient, pick_drug, type_into
from tests.ui.test_scan_flow import scan_keys

GTIN = gtin_for_ndc10("0078066913")


def _j9302_scanned(window: MainWindow) -> None:
    page = window.entry_page
    enter_new_patient(window)
    type_into(page.visit.diagnoses, "C91.10")
    for serial in ("A1", "A2", "A3"):
        scan_keys(page.drug.scan, f"01{GTIN}17270630" f"10OF2201{GS}21{serial}")
    type_into(page.amounts.administered, "275")
    type_into(page.amounts.start, "09:00")
    type_into(page.amounts.stop, "10:10")
    type_into(page.amounts.witness, "Lee, RN")
    page.amounts.consent.setChecked(True)


def _modifiers(window: MainWindow) -> set[str]:
    result = window.entry.preview.result  # type: ignore[union-attr]
    assert result is not None
    return {m for line in result.lines for m in line.modifiers}


def test_without_an_answer_nothing_is_accepted_or_held(window: MainWindow) -> None:
    page = window.entry_page
    assert "Answer 340B stock Yes or No for each" in page.drug.vials.empty.text()  # no site default
    _j9302_scanned(window)
    [row] = page.drug.vials.rows
    assert row.acquired_340b is None and row.is_340b.property("unanswered") == "true"
    assert not page.accept_button.isEnabled() and not page.hold_button.isEnabled()
    assert "the 340B source of each vial" in page.status.text()
    QTest.mouseClick(row.is_340b, Qt.MouseButton.LeftButton)
    assert "TB" in _modifiers(window) and page.accept_button.isEnabled(), page.status.text()
    QTest.mouseClick(row.not_340b, Qt.MouseButton.LeftButton)
    assert not {"TB", "JG"} & _modifiers(window) and page.accept_button.isEnabled()


def test_the_site_default_starts_each_vial_and_is_said(window: MainWindow, store: object, qtbot: QtBot) -> None:
    save_facility_settings(store, replace(FacilitySettings(), stock_340b=Stock340b.STOCK_340B), "admin")  # type: ignore[arg-type]
    with qtbot.waitSignal(window.entry.inputs_loaded, timeout=5000):
        window.entry.clear_form()
    page = window.entry_page
    assert "New vials: 340B stock (site default)" in page.drug.vials.empty.text()
    _j9302_scanned(window)
    [row] = page.drug.vials.rows
    assert row.acquired_340b is True and row.source_words.text() == "340B: site default"
    assert "TB" in _modifiers(window) and page.accept_button.isEnabled()
    pick_drug(window)  # vials by size take the default too
    QTest.mouseClick(page.drug.add_button, Qt.MouseButton.LeftButton)
    assert page.drug.vials.rows[-1].acquired_340b is True
    QTest.mouseClick(page.drug.vials.rows[-1].not_340b, Qt.MouseButton.LeftButton)  # answered otherwise for a row
    assert page.drug.vials.rows[-1].source_words.isHidden()


def test_vials_scanned_before_the_settings_arrive_take_the_site_default(window: MainWindow, store: object,
                                                                          qtbot: QtBot) -> None:
    """The facility settings load off the screen's thread; a nurse quick with the scanner must not be left with
    unanswered rows (or, worse, another default) because hers came first. An answer she gave stays."""
    page = window.entry_page
    _j9302_scanned(window)  # read with the settings of before: no site default yet
    pick_drug(window)
    QTest.mouseClick(page.drug.add_button, Qt.MouseButton.LeftButton)
    first, second = page.drug.vials.rows
    QTest.mouseClick(second.not_340b, Qt.MouseButton.LeftButton)  # answered by the nurse
    assert first.acquired_340b is None
    save_facility_settings(store, replace(FacilitySettings(), stock_340b=Stock340b.STOCK_340B), "admin")  # type: ignore[arg-type]
    with qtbot.waitSignal(window.entry.inputs_loaded, timeout=5000):
        window.entry.load_engine_inputs()
    assert first.acquired_340b is True and first.source_words.text() == "340B: site default"
    assert second.acquired_340b is False  # her answer stays
    result = window.entry.preview.result  # type: ignore[union-attr]
    assert result is not None and "MIXED_340B_SOURCE" in {f.code for f in result.findings}  # the preview followed
