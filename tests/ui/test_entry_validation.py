"""Validation holes at the chair: an unreadable expiry blocks the charge, a bad time is marked where it was typed,
entries with units or lower case are understood and said so, and a finding takes the nurse to its field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.visits.visit_queries import get_administration, list_administrations
from desktop.ui.main_window import MainWindow
from tests.ui.flows import fill_j9302, type_into


def _retype(widget: QLineEdit, text: str) -> None:
    widget.selectAll()
    type_into(widget, text)


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_an_expiry_the_form_cannot_read_blocks_accept_and_hold(window: MainWindow) -> None:
    page = window.entry_page
    fill_j9302(window)
    [row] = page.drug.vials.rows
    _retype(row.expiry, "6/27")  # June 27th or June 2027? Asked, never guessed
    assert not row.message.isHidden() and "Expiry must be MM/YYYY" in row.message.text()
    assert row.expiry.property("invalid") == "true"
    assert not page.accept_button.isEnabled() and not page.hold_button.isEnabled()
    assert "Fix the marked field first: Expiry" in page.status.text()
    _retype(row.expiry, "06/2027")
    assert row.message.isHidden() and page.accept_button.isEnabled()


def test_a_bad_start_time_is_marked_on_start_and_its_words_cover_nothing(window: MainWindow) -> None:
    page = window.entry_page
    window.resize(1366, 768)
    fill_j9302(window)
    _retype(page.amounts.start, "9h61")
    QApplication.processEvents()
    assert page.amounts.start.property("invalid") == "true" and page.amounts.stop.property("invalid") != "true"
    message = page.amounts.start_message
    assert message.isVisible() and "start time must be a time" in message.text()
    for other in (page.amounts.stop, page.amounts.consent, page.amounts.witness, page.visit.chair):
        assert not _rect(message, window).intersects(_rect(other, window)), other.objectName()
    assert not page.accept_button.isEnabled()


def test_units_case_and_clock_forms_are_understood_and_said(window: MainWindow, store: object,
                                                            qtbot: QtBot) -> None:
    page = window.entry_page
    fill_j9302(window)
    _retype(page.amounts.administered, "275mg")
    _retype(page.amounts.start, "9.00")
    _retype(page.visit.diagnoses, "c9110")
    assert page.amounts.administered_message.text() == "\u2139 understood as 275 mg"
    assert page.amounts.start_message.text() == "\u2139 understood as 09:00"
    assert page.visit.diagnoses_message.text() == "\u2139 understood as C91.10"
    assert page.amounts.start.property("invalid") != "true"
    assert page.accept_button.isEnabled(), page.status.text()
    with qtbot.waitSignal(window.entry.saved, timeout=5000):
        QTest.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    [summary] = list_administrations(store, date_of_service=dt.date.today())  # type: ignore[arg-type]
    detail = get_administration(store, summary.id)  # type: ignore[arg-type]
    assert detail.visit.diagnosis_codes == ("C91.10",) and str(detail.administration.administered_mg) == "275"
    assert detail.administration.infusion_minutes == 70  # 09:00 to 10:10


def test_a_finding_takes_the_nurse_to_its_field(window: MainWindow) -> None:
    page = window.entry_page
    fill_j9302(window, lot="", expiry="06/2027")
    page.amounts.witness.clear()
    assert {"MISSING_WASTE_WITNESS", "MISSING_LOT"} <= set(page.preview.go_buttons)
    QTest.mouseClick(page.preview.go_buttons["MISSING_WASTE_WITNESS"], Qt.MouseButton.LeftButton)
    assert window.focusWidget() is page.amounts.witness
    QTest.mouseClick(page.preview.go_buttons["MISSING_LOT"], Qt.MouseButton.LeftButton)
    assert window.focusWidget() is page.drug.vials.rows[0].lot
    QTest.mouseClick(page.preview.go_buttons["MISSING_ORDERING_PROVIDER"], Qt.MouseButton.LeftButton)
    assert window.focusWidget() is page.visit.fact_fields["ordering_provider"]
