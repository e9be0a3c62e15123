"""Times at the chair are the facility's (a setting), whatever zone the workstation is set to: typed, stored with
their offset, shown and printed the same on every workstation; a visit across a DST change counts real minutes."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from desktop.services.charge_tickets.tickets import ticket_pdf
from desktop.services.facility.settings import FacilitySettings, save_facility_settings, workstation_time_zone
from desktop.services.visits.visit_queries import get_administration, list_administrations
from desktop.ui.main_window import MainWindow
from tests.ui.flows import fill_j9302

CHICAGO = ZoneInfo("America/Chicago")


def _in_chicago(window: MainWindow, store: object, qtbot: QtBot) -> None:
    save_facility_settings(store, replace(FacilitySettings(), time_zone="America/Chicago"), "admin")  # type: ignore[arg-type]
    with qtbot.waitSignal(window.entry.inputs_loaded, timeout=5000):
        window.entry.clear_form()


def _save(window: MainWindow, qtbot: QtBot) -> None:
    assert window.entry_page.accept_button.isEnabled(), window.entry_page.status.text()
    with qtbot.waitSignal(window.entry.saved, timeout=5000):
        window.entry.accept()


def test_a_utc_workstation_records_and_prints_chicago_clock_times(window: MainWindow, store: object,
                                                                  qtbot: QtBot) -> None:
    assert workstation_time_zone() != "America/Chicago"  # this machine is elsewhere (UTC in CI)
    _in_chicago(window, store, qtbot)
    page = window.entry_page
    assert page.visit.date_of_service.date().toPython() == dt.datetime.now(CHICAGO).date()  # Chicago's today
    page.visit.date_of_service.setDate(QDate(2026, 12, 2))
    fill_j9302(window)  # 09:00 to 10:10 on the Chicago clock
    _save(window, qtbot)
    [summary] = list_administrations(store, date_of_service=dt.date(2026, 12, 2))  # type: ignore[arg-type]
    adm = get_administration(store, summary.id).administration  # type: ignore[arg-type]
    assert adm.infusion_start == dt.datetime(2026, 12, 2, 9, 0, tzinfo=CHICAGO)  # the instant: 15:00 UTC
    qtbot.waitUntil(lambda: page.visit_drugs.isVisible(), timeout=5000)
    assert "09:00\u201310:10" in page.visit_drugs.lines[0]  # shown in the facility's zone
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(ticket_pdf(store, summary.id).pdf)).pages)  # type: ignore[arg-type]
    assert "09:00" in text and "15:00" not in text  # printed as the nurse wrote it


def test_an_infusion_across_the_autumn_change_counts_real_minutes(window: MainWindow, store: object,
                                                                  qtbot: QtBot) -> None:
    _in_chicago(window, store, qtbot)
    page = window.entry_page
    page.visit.date_of_service.setDate(QDate(2026, 11, 1))  # clocks go back from 02:00 CDT to 01:00 CST
    fill_j9302(window)
    for field, text in ((page.amounts.start, "00:30"), (page.amounts.stop, "02:10")):
        field.setText(text)
    _save(window, qtbot)
    [summary] = list_administrations(store, date_of_service=dt.date(2026, 11, 1))  # type: ignore[arg-type]
    adm = get_administration(store, summary.id).administration  # type: ignore[arg-type]
    assert adm.infusion_minutes == 160  # 00:30 CDT to 02:10 CST: 2 h 40 min went by, not 1 h 40 min


def test_a_time_the_spring_change_skipped_is_refused(window: MainWindow, store: object, qtbot: QtBot) -> None:
    _in_chicago(window, store, qtbot)
    page = window.entry_page
    page.visit.date_of_service.setDate(QDate(2026, 3, 8))  # 02:00 CST jumps to 03:00 CDT
    fill_j9302(window)
    page.amounts.start.setText("02:30")
    assert "02:30 does not exist on 03/08/2026" in page.amounts.start_message.text()
    assert not page.accept_button.isEnabled()
