"""Patient search as you type runs off the GUI thread after a short pause, and late answers are dropped."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.services import record_administration
from desktop.ui.main_window import MainWindow
from tests.services.charge_samples import j9302_request
from tests.ui.flows import type_into


@pytest.fixture
def searches(window: MainWindow, store: object,
             monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Two stored patients; every search the screen runs, with whether it ran on the GUI thread."""
    for mrn, name in (("100234", "Rivera, Ana"), ("100999", "Rivers, Cole")):
        record_administration(store, j9302_request(mrn=mrn, name=name), "nurse.kim")  # type: ignore[arg-type]
    calls: list[tuple[str, bool]] = []
    chair = window.entry.facade().chair  # the door the chair screen searches through
    real = chair.find_patients

    def find(text: str) -> object:
        calls.append((text, threading.current_thread() is threading.main_thread()))
        if text == "Zed":
            time.sleep(0.4)  # a slow answer that arrives after the nurse typed on
            return real("Rivera")
        return real(text)

    monkeypatch.setattr(chair, "find_patients", find)
    return calls


def _names(window: MainWindow) -> list[str]:
    results = window.entry_page.patient.results
    return [results.item(i).text() for i in range(results.count())]


def test_one_search_per_pause_off_the_gui_thread(window: MainWindow, qtbot: QtBot,
                                                 searches: list[tuple[str, bool]]) -> None:
    section = window.entry_page.patient
    with qtbot.waitSignal(window.entry.patients_shown, timeout=3000):
        type_into(section.search, "Rive")  # four keystrokes inside the pause
    assert searches == [("Rive", False)]
    assert len(_names(window)) == 2 and section.results.isVisible()


def test_a_late_answer_for_older_text_is_dropped(window: MainWindow, qtbot: QtBot,
                                                 searches: list[tuple[str, bool]]) -> None:
    section = window.entry_page.patient
    type_into(section.search, "Zed")
    qtbot.waitUntil(lambda: bool(searches), timeout=3000)  # the slow search is running
    section.search.selectAll()
    with qtbot.waitSignal(window.entry.patients_shown, timeout=3000):
        type_into(section.search, "Rivers")
    qtbot.wait(600)  # the "Zed" answer has arrived by now and must not replace the list
    assert [text for text, _gui in searches] == ["Zed", "Rivers"]
    assert len(_names(window)) == 1 and "Rivers, Cole" in _names(window)[0]


def test_enter_typed_before_the_answer_picks_the_first_match(window: MainWindow, qtbot: QtBot,
                                                             searches: list[tuple[str, bool]]) -> None:
    section = window.entry_page.patient
    type_into(section.search, "100234")
    QTest.keyClick(section.search, Qt.Key.Key_Return)  # a wristband scanner types and presses Enter at once
    qtbot.waitUntil(lambda: section.mrn.text() == "100234", timeout=3000)
    assert section.name.text() == "Rivera, Ana" and not section.results.isVisible()


def test_new_patient_is_not_covered_by_a_late_result_list(window: MainWindow, qtbot: QtBot,
                                                          searches: list[tuple[str, bool]]) -> None:
    section = window.entry_page.patient
    type_into(section.search, "Rivera")
    QTest.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    qtbot.wait(400)
    assert not section.results.isVisible() and searches == []
