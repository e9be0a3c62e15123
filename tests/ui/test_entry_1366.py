"""The J9302 visit at a 1366 x 768 cart screen, driven with real key events into whatever has the focus and
counted: with a scanner in at most 15 actions, by hand in at most 25, and without scrolling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.interop.gs1 import GS, gtin_for_ndc10
from desktop.services import record_administration
from desktop.services.facility.settings import FacilitySettings, Stock340b, save_facility_settings
from desktop.services.visits.visit_queries import get_administration, get_visit
from desktop.ui.main_window import MainWindow
from tests.services.conftest import make_request
from tests.ui.flows import snap
from tests.ui.test_scan_flow import scan_keys

SMALL = (1366, 768)
GTIN = gtin_for_ndc10("0078066913")  # Arzerra 100 mg/5 mL, J9302
EARLIER = dt.date.today() - dt.timedelta(days=14)


@pytest.fixture
def returning_patient(store: object) -> Iterator[None]:
    """Rivera, Ana had a visit two weeks ago (payer, diagnosis, ordering provider); the site stocks 340B vials."""
    from desktop.billing.model import PayerClass
    from desktop.records.requests import PatientInput
    from tests.services.conftest import nivolumab

    save_facility_settings(store, replace(FacilitySettings(), facility_name="Riverside",  # type: ignore[arg-type]
                                          stock_340b=Stock340b.STOCK_340B), "admin")
    patient = PatientInput(mrn="100234", name="Rivera, Ana", date_of_birth=dt.date(1956, 3, 14))
    earlier = make_request(patient=patient, administration=replace(nivolumab(), date_of_service=EARLIER),
                           diagnosis_codes=("C91.10",), payer="Medicare Part B", ordering_provider="Dr. Maya Chen",
                           ordering_provider_npi="1234567893")
    record_administration(store, replace(earlier, date_of_service=EARLIER, payer_class=PayerClass.MEDICARE),  # type: ignore[arg-type]
                          "nurse.kim")
    yield


class Nurse:
    """Acts on whatever has the keyboard focus, as a person does, and counts each action: a scan (one trigger
    pull), a typed value, a key (Tab, Space, Enter, a shortcut) or a click."""

    def __init__(self, window: MainWindow, qtbot: QtBot) -> None:
        self.window, self.qtbot, self.actions = window, qtbot, 0
        self.touched: list[QWidget] = []

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None and self.window.isAncestorOf(widget), "the focus left the window"
        self.touched.append(widget)
        return widget

    def _done(self) -> None:
        self.actions += 1
        QApplication.processEvents()  # a person is slower than the event loop: what was queued has happened

    def scan(self, raw: str) -> None:
        scan_keys(self.focused(), raw)
        self._done()

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focused(), text)
        self._done()

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.focused(), key, modifier)
        self._done()

    def click(self, target: QAbstractButton) -> None:
        self.touched.append(target)
        QTest.mouseClick(target, Qt.MouseButton.LeftButton)
        self._done()


def _shown_small(window: MainWindow, qtbot: QtBot) -> None:
    window.resize(*SMALL)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.entry_page.patient.search, timeout=3000)


def _no_scrolling(window: MainWindow, nurse: Nurse) -> None:
    """Nothing was scrolled, and every field the nurse used was fully in view in the screen's window."""
    page = window.entry_page
    assert page.form_scroll.verticalScrollBar().value() == 0
    viewport = page.form_scroll.viewport()
    seen = QRect(QPoint(0, 0), viewport.size())
    for widget in nurse.touched:
        if not viewport.isAncestorOf(widget):
            continue
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        assert seen.contains(QRect(top_left, widget.size())), f"{widget.objectName()} is not fully in view"


def _j9302_saved(window: MainWindow, store: object, qtbot: QtBot) -> object:
    qtbot.waitUntil(lambda: window.entry.saved_visit is not None, timeout=5000)
    visit = get_visit(store, window.entry.saved_visit)  # type: ignore[arg-type]
    return get_administration(store, visit.administrations[-1].id)  # type: ignore[arg-type]


def test_j9302_with_a_scanner_in_15_actions_without_scrolling(window: MainWindow, store: object, qtbot: QtBot,
                                                              returning_patient: None, artifacts_dir: Path) -> None:
    page = window.entry_page
    _shown_small(window, qtbot)
    nurse = Nurse(window, qtbot)
    with qtbot.waitSignal(window.entry.visit_loaded, timeout=5000):
        nurse.scan("100234")  # the wristband: the patient, and her last visit's payer and diagnosis
    assert (page.visit.diagnoses.text(), page.visit.payer_name.text()) == ("C91.10", "Medicare Part B")
    assert "From the" in page.visit.origin.text() and "diagnoses" in page.visit.origin.text()
    for serial in ("S1", "S2", "S3"):
        nurse.scan(f"01{GTIN}17270630" f"10OF2201{GS}21{serial}")  # three vials, each with its serial
    assert [row.serials for row in page.drug.vials.rows] == [["S1", "S2", "S3"]]
    # the site's default, said on the row (also when the facility settings arrive after the scans)
    qtbot.waitUntil(lambda: page.drug.vials.rows[0].acquired_340b is True, timeout=5000)
    nurse.key(Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)  # to the mg given
    nurse.type("275")
    nurse.key(Qt.Key.Key_Tab)
    nurse.type("0900")
    nurse.key(Qt.Key.Key_Tab)
    nurse.type("1045")
    nurse.key(Qt.Key.Key_Tab)
    nurse.key(Qt.Key.Key_Space)  # consent recorded
    nurse.key(Qt.Key.Key_Tab)
    nurse.type("Lee, RN")  # the waste witness
    assert page.accept_button.isEnabled(), page.status.text()
    texts = " | ".join(label.text() for label in page.preview.line_labels)
    assert "28 units" in texts and "JW TB" in texts and "96413" in texts and "96415" in texts
    _no_scrolling(window, nurse)
    snap(window, artifacts_dir / "entry_j9302_scanner_1366.png", show_amounts=False)
    nurse.key(Qt.Key.Key_Return)  # accept
    assert nurse.actions <= 15, nurse.actions
    saved = _j9302_saved(window, store, qtbot)
    assert [p.serial for p in saved.administration.packages] == ["S1", "S2", "S3"]  # type: ignore[attr-defined]
    assert all(p.acquired_340b for p in saved.administration.packages)  # type: ignore[attr-defined]
    assert saved.visit.consent_recorded and saved.visit.ordering_provider == "Dr. Maya Chen"  # type: ignore[attr-defined]
    assert saved.facts.waste_witness == "Lee, RN"  # type: ignore[attr-defined]
    assert page.form_scroll.verticalScrollBar().value() == 0 and window.focusWidget() is page.drug.scan


def test_j9302_by_hand_in_25_actions(window: MainWindow, store: object, qtbot: QtBot,
                                     returning_patient: None) -> None:
    page = window.entry_page
    _shown_small(window, qtbot)
    nurse = Nurse(window, qtbot)
    nurse.type("100234")
    with qtbot.waitSignal(window.entry.visit_loaded, timeout=5000):
        nurse.key(Qt.Key.Key_Return)
    nurse.key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # to the drug search
    nurse.type("arzerra")
    nurse.key(Qt.Key.Key_Return)  # the first match; the cursor goes to the number of vials
    assert isinstance(QApplication.focusWidget(), QLineEdit) and QApplication.focusWidget() is page.drug.count
    nurse.type("3")
    nurse.key(Qt.Key.Key_Return)  # added; the cursor goes to the new row's lot
    nurse.type("OF2201")
    nurse.key(Qt.Key.Key_Tab)
    nurse.type("06/2027")
    nurse.key(Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    nurse.type("275")
    for text in ("0900", "1045"):
        nurse.key(Qt.Key.Key_Tab)
        nurse.type(text)
    nurse.key(Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QCheckBox)
    nurse.key(Qt.Key.Key_Space)
    nurse.key(Qt.Key.Key_Tab)
    nurse.type("Lee, RN")
    assert page.accept_button.isEnabled(), page.status.text()
    _no_scrolling(window, nurse)
    nurse.key(Qt.Key.Key_Return)
    assert nurse.actions <= 25, nurse.actions
    saved = _j9302_saved(window, store, qtbot)
    assert saved.administration.packages[0].lot == "OF2201"  # type: ignore[attr-defined]
    assert saved.administration.infusion_minutes == 105  # type: ignore[attr-defined]


def test_the_chair_screen_is_touch_sized_labeled_and_in_reading_order(window: MainWindow, qtbot: QtBot,
                                                                     returning_patient: None) -> None:
    page = window.entry_page
    _shown_small(window, qtbot)
    nurse = Nurse(window, qtbot)
    with qtbot.waitSignal(window.entry.visit_loaded, timeout=5000):
        nurse.scan("100234")
    nurse.scan(f"01{GTIN}17270630" f"10OF2201{GS}21S1")
    QApplication.processEvents()
    for widget in page.findChildren(QWidget):
        if not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if widget.objectName().startswith("qt_"):
            continue  # the inside of a compound widget (the date box's text): the box itself is measured
        if isinstance(widget, (QLineEdit, QAbstractButton)) and widget.window() is window:
            assert widget.height() >= 44, f"{widget.objectName()} is {widget.height()} px high"
            if isinstance(widget, QAbstractButton) and not isinstance(widget, QCheckBox):
                assert widget.width() >= 44, f"{widget.objectName()} is {widget.width()} px wide"
            assert widget.objectName() and widget.accessibleName(), widget
    assert page.form_scroll.verticalScrollBar().width() >= 44
    row = page.drug.vials.rows[0]
    for field in (row.lot, row.expiry):  # a label beside the field, not only a placeholder inside it
        assert any(label.buddy() is field and label.isVisible() for label in page.findChildren(type(page.mode)))
    chain = page.focus_chain()
    assert chain.index(page.drug.add_button) < chain.index(row.lot) < chain.index(page.amounts.administered)
    page.drug.add_button.setFocus()
    QTest.keyClick(page.drug.add_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.lot  # Tab from Add reaches the vial rows, not past them
    page.visit.date_of_service.setFocus()
    QTest.keyClick(page.visit.date_of_service, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.visit.payer_class  # one Tab leaves the date
