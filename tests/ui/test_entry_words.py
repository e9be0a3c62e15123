"""Words at the chair: no "No match" before anything was searched for, and the status bar names the database
without its URL."""

from __future__ import annotations

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.ui.entry.patient_section import NO_MATCH
from desktop.ui.main_window import MainWindow, database_words


def test_one_keystroke_shows_no_no_match(window: MainWindow, qtbot: QtBot) -> None:
    section = window.entry_page.patient
    QTest.keyClicks(section.search, "R")  # too little to search: nothing is shown, not a "No match"
    qtbot.wait(300)
    assert not section.results.isVisible()
    assert all(section.results.item(i).text() != NO_MATCH for i in range(section.results.count()))
    with qtbot.waitSignal(window.entry.patients_shown, timeout=5000):
        QTest.keyClicks(section.search, "zz")  # searched for, and nobody matches: now it is said
    assert section.results.isVisible() and section.results.item(0).text() == NO_MATCH


def test_the_status_bar_never_shows_the_database_url(window: MainWindow) -> None:
    shown = window.database_label.text()
    assert shown.startswith("Database: this computer (") and "sqlite:" not in shown and "/" not in shown
    assert database_words("postgresql+psycopg://charge_app:s3cret@db1.clinic.local:5432/charges?sslmode=require") == (
        "Database: shared server db1.clinic.local:5432")
    assert database_words("postgresql://…@db1/charges") == "Database: shared server db1"
