"""Errors block Accept and allow only a held save with a reason; warnings are acknowledged one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.records.requests import ChargeState
from desktop.services.visits.visit_queries import get_administration, list_administrations
from desktop.ui.main_window import MainWindow
from tests.ui.flows import add_vials, enter_new_patient, fill_j9302, pick_drug, snap, type_into


def _saved(store: object) -> list:
    return list_administrations(store, date_of_service=dt.date.today())  # type: ignore[arg-type]


def test_unaccounted_drug_blocks_accept_and_saves_only_as_held(window: MainWindow, store, artifacts_dir: Path,
                                                               qtbot) -> None:
    page = window.entry_page
    fill_j9302(window)
    page.amounts.discarded.selectAll()
    type_into(page.amounts.discarded, "5")  # 275 + 5 < 300: 20 mg unaccounted for
    assert "finding_UNACCOUNTED_DRUG" in [f.objectName() for f in page.preview.finding_frames]
    assert "ERROR" in page.preview.finding_frames[0].findChildren(type(page.status))[0].text()
    assert not page.accept_button.isEnabled()
    snap(window, artifacts_dir / "entry_with_error.png")

    QTest.keyClick(page.amounts.witness, Qt.Key.Key_Return)  # Enter does nothing while errors stand
    assert _saved(store) == []

    window.entry.ask_reason = lambda *_args: "Waiting for pharmacy waste log"
    with qtbot.waitSignal(window.entry.saved, timeout=5000):
        QTest.mouseClick(page.hold_button, Qt.MouseButton.LeftButton)
    [summary] = _saved(store)
    assert summary.state is ChargeState.HELD and summary.hold_reason == "Waiting for pharmacy waste log"


def test_ndc_of_another_drug_is_an_error(window: MainWindow) -> None:
    page = window.entry_page
    fill_j9302(window)
    pick_drug(window, "tecentriq")  # switch the billed code, keep the Arzerra vials
    assert "finding_NDC_HCPCS_MISMATCH" in [f.objectName() for f in page.preview.finding_frames]
    assert not page.accept_button.isEnabled()


def test_each_warning_must_be_ticked_and_the_acknowledgement_is_stored(window: MainWindow, store, qtbot,
                                                                        artifacts_dir: Path) -> None:
    page = window.entry_page
    enter_new_patient(window, "200555", "Okafor, Ben", "07/02/1961")
    type_into(page.visit.diagnoses, "C34.90")
    pick_drug(window, "opdivo")
    add_vials(window, 1, ndc="0003-3734-13", is_340b=False)  # 240 mg vial for a 219 mg dose: least waste
    type_into(page.amounts.administered, "219")
    page.amounts.discarded.selectAll()
    type_into(page.amounts.discarded, "25")  # 219 + 25 > 240: overfill warning too
    boxes = page.preview.warning_boxes
    assert len(boxes) >= 2, boxes
    assert not page.accept_button.isEnabled()
    snap(window, artifacts_dir / "entry_with_warnings.png")

    codes = sorted(boxes)
    for code in codes[:-1]:
        page.preview.warning_boxes[code].setChecked(True)
        assert not page.accept_button.isEnabled()
    page.preview.warning_boxes[codes[-1]].setChecked(True)
    assert page.accept_button.isEnabled()
    with qtbot.waitSignal(window.entry.saved, timeout=5000):
        QTest.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    [summary] = _saved(store)
    detail = get_administration(store, summary.id)
    assert sorted(a.code for a in detail.acknowledgements) == codes
    assert {a.acknowledged_by for a in detail.acknowledgements} == {"nurse.kim"}
