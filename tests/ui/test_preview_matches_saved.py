"""The live preview computes with what the recording service will use: the facility's rules and the ordered dose."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.billing.model import FacilityType
from desktop.services.facility.settings import FacilitySettings, save_facility_settings
from desktop.services.visits.visit_queries import get_administration, get_visit
from desktop.ui.main_window import MainWindow
from tests.ui.flows import fill_j9302, snap, type_into


def _claim(lines: object) -> list[tuple[str, tuple[str, ...], int]]:
    return [(line.hcpcs, tuple(line.modifiers), line.units) for line in lines]  # type: ignore[attr-defined]


def _accept(window: MainWindow, qtbot: QtBot) -> object:
    page = window.entry_page
    for box in page.preview.warning_boxes.values():
        box.setChecked(True)
    assert page.accept_button.isEnabled(), page.status.text()
    with qtbot.waitSignal(window.entry.saved, timeout=5000) as saved:
        QTest.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    return saved.args[0]


def test_rural_sch_facility_shows_tb_in_the_preview_and_saves_it(window: MainWindow, store: object,
                                                                 qtbot: QtBot) -> None:
    save_facility_settings(store, FacilitySettings(facility_type=FacilityType.RURAL_SCH), "admin")  # type: ignore[arg-type]
    with qtbot.waitSignal(window.entry.inputs_loaded, timeout=5000):
        window.entry.clear_form()  # a new form reads the facility's settings again
    page = window.entry_page
    page.visit.date_of_service.setDate(QDate(2024, 6, 1))
    fill_j9302(window)  # 340B vials, Medicare
    result = window.entry.preview.result
    assert result is not None
    shown = _claim(result.lines)
    assert any("TB" in modifiers for _code, modifiers, _units in shown), shown
    assert "TB" in page.preview.line_labels[0].text()

    outcome = _accept(window, qtbot)
    detail = get_administration(store, outcome.id)  # type: ignore[arg-type, attr-defined]
    assert _claim(get_visit(store, detail.visit_id).lines) == shown  # type: ignore[arg-type]
    assert detail.administration.facility_type is FacilityType.RURAL_SCH
    assert detail.administration.date_of_service == dt.date(2024, 6, 1)


def test_dose_below_the_order_is_a_warning_to_acknowledge(window: MainWindow, store: object, qtbot: QtBot,
                                                          artifacts_dir: Path) -> None:
    page = window.entry_page
    fill_j9302(window)
    page.amounts.ordered_dose.selectAll()
    type_into(page.amounts.ordered_dose, "300")  # 275 mg given
    assert "DOSE_BELOW_ORDER" in page.preview.warning_boxes
    assert "finding_DOSE_BELOW_ORDER" in [f.objectName() for f in page.preview.finding_frames]
    assert not page.accept_button.isEnabled()
    snap(window, artifacts_dir / "entry_dose_below_order.png", show_amounts=False)

    box = page.preview.warning_boxes["DOSE_BELOW_ORDER"]
    assert box.text() == "I have checked this"
    box.setChecked(True)
    assert box.text().startswith("\u2714 Checked")  # said in words, not only by the box's look
    outcome = _accept(window, qtbot)
    detail = get_administration(store, outcome.id)  # type: ignore[arg-type, attr-defined]
    assert "DOSE_BELOW_ORDER" in [a.code for a in detail.acknowledgements]
    assert str(detail.administration.ordered_dose_mg) == "300"


def test_dose_as_ordered_shows_no_dose_warning(window: MainWindow) -> None:
    fill_j9302(window)  # 275 ordered, 275 given
    assert window.entry.preview.result is not None
    assert not [f for f in window.entry.preview.result.findings if f.code.startswith("DOSE_")]
