"""Every number field refuses letters, negatives and absurd amounts with a message beside it, never a traceback."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.services.visits.visit_queries import list_administrations
from desktop.ui.main_window import MainWindow
from tests.ui.flows import fill_j9302, type_into

BAD_MG = [("abc", "no letters"), ("-5", "cannot be negative"), ("12x", "no letters"),
          ("99999", "far more than any infusion"), ("400", "more than the 300 mg")]


def _retype(widget: object, text: str) -> None:
    widget.selectAll()  # type: ignore[attr-defined]
    type_into(widget, text)


@pytest.mark.parametrize(("text", "words"), BAD_MG)
def test_administered_mg(window: MainWindow, text: str, words: str) -> None:
    page = window.entry_page
    fill_j9302(window)
    _retype(page.amounts.administered, text)
    assert page.amounts.administered_message.isVisible() and words in page.amounts.administered_message.text()
    assert not page.accept_button.isEnabled()
    assert page.preview.line_labels == []


@pytest.mark.parametrize(("text", "words"), BAD_MG)
def test_discarded_mg(window: MainWindow, text: str, words: str) -> None:
    page = window.entry_page
    fill_j9302(window)
    _retype(page.amounts.discarded, text)
    assert page.amounts.discarded_message.isVisible() and words in page.amounts.discarded_message.text()
    assert not page.accept_button.isEnabled()


@pytest.mark.parametrize(("text", "words"), BAD_MG[:4])
def test_ordered_dose(window: MainWindow, text: str, words: str) -> None:
    page = window.entry_page
    fill_j9302(window)
    _retype(page.amounts.ordered_dose, text)
    assert words in page.amounts.ordered_message.text()
    assert not page.accept_button.isEnabled()


@pytest.mark.parametrize(("text", "words"), [("x", "whole number"), ("-1", "negative"), ("0", "at least 1"),
                                             ("999", "more than one chair uses"), ("", "Enter the")])
def test_vial_count_when_picking_a_size(window: MainWindow, text: str, words: str) -> None:
    section = window.entry_page.drug
    QTest.keyClicks(section.search, "arzerra")
    QTest.keyClick(section.search, Qt.Key.Key_Return)
    section.count.clear()
    type_into(section.count, text)
    QTest.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert words in section.count_message.text()
    assert section.vials.rows == []


def test_vial_row_count_stays_between_one_and_fifty(window: MainWindow) -> None:
    fill_j9302(window)
    [row] = window.entry_page.drug.vials.rows
    for _ in range(5):
        QTest.mouseClick(row.fewer, Qt.MouseButton.LeftButton)
    assert row.count == 1 and not row.fewer.isEnabled() and row.count_label.text() == "1 vial"
    row.set_count(10_000)
    assert row.count == 50 and not row.more.isEnabled()


@pytest.mark.parametrize(("field", "text"), [("stop", "25:00"), ("start", "9"), ("stop", "08:00"), ("start", "x")])
def test_infusion_times(window: MainWindow, field: str, text: str) -> None:
    page = window.entry_page
    fill_j9302(window)
    widget = getattr(page.amounts, field)
    widget.clear()
    type_into(widget, text)
    assert getattr(page.amounts, f"{field}_message").isVisible()  # beside the field that is wrong
    assert widget.property("invalid") == "true"
    assert not page.accept_button.isEnabled()


def test_diagnosis_codes_are_format_checked(window: MainWindow) -> None:
    page = window.entry_page
    fill_j9302(window)
    _retype(page.visit.diagnoses, "C91.10, 12345")
    assert "Not an ICD-10-CM code: 12345" in page.visit.diagnoses_message.text()
    assert not page.accept_button.isEnabled()


def test_stop_before_start_says_so_and_blocks_accept(window: MainWindow, store: object) -> None:
    page = window.entry_page
    fill_j9302(window)  # 09:00 to 10:10
    _retype(page.amounts.stop, "08:30")
    assert page.amounts.stop_message.isVisible()
    assert page.amounts.stop_message.text() == "\u26a0 Stop is before start: check the times."
    assert page.amounts.stop.property("invalid") == "true"
    assert not page.accept_button.isEnabled() and not page.hold_button.isEnabled()
    assert "Stop is before start" in page.status.text()
    frames = [f.objectName() for f in page.preview.finding_frames]
    assert frames[0] == "field_problem" and "finding_NO_INFUSION_TIME" not in frames  # not "no times"
    QTest.keyClick(page.amounts.witness, Qt.Key.Key_Return)  # Enter does not save it either
    assert list_administrations(store, date_of_service=dt.date.today()) == []  # type: ignore[arg-type]
    _retype(page.amounts.stop, "10:10")
    assert not page.amounts.stop_message.isVisible() and page.accept_button.isEnabled()
