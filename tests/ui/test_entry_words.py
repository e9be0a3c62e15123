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


def test_provenance_is_in_the_details_not_in_the_lines_or_findings(window: MainWindow) -> None:
    from tests.ui.flows import fill_j9302

    page = window.entry_page
    fill_j9302(window)
    lines = " ".join(label.text() for label in page.preview.line_labels)
    findings = " ".join(frame.objectName() for frame in page.preview.finding_frames)
    assert "not yet verified" not in lines and "rule from" not in lines
    assert "CATALOG_UNVERIFIED" not in findings
    assert not page.preview.details.isVisible()
    page.preview.details_button.click()
    details = page.preview.details.text()
    assert page.preview.details.isVisible() and "not yet verified" in details and "0078-0669-13" in details
