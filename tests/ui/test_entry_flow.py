"""The full J9302 flow from an empty database to a saved record read back through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.billing.model import LineKind
from desktop.services.visits.patients import find_patients
from desktop.services.visits.visit_queries import get_administration, list_administrations
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import NURSE
from tests.ui.flows import fill_j9302, snap


def test_empty_screen_is_labeled_and_waits_for_input(window: MainWindow, artifacts_dir: Path) -> None:
    page = window.entry_page
    assert not page.accept_button.isEnabled()
    assert "Pick a drug" in page.preview.waiting.text()
    assert page.visit.date_of_service.date().toPython() == dt.date.today()
    assert "nurse.kim" in window.user_label.text() and "charges.db" in window.database_label.text()
    snap(window, artifacts_dir / "entry_empty.png", show_amounts=False)


def test_j9302_from_empty_database_to_saved_record(qtbot, window: MainWindow, store, artifacts_dir: Path) -> None:
    page = window.entry_page
    fill_j9302(window)

    assert page.amounts.discarded.text() == "25"  # suggested as opened minus given
    assert "300" in page.amounts.opened.text()
    texts = [label.text() for label in page.preview.line_labels]
    assert "28 units" in texts[0] and "TB" in texts[0]
    assert "JW" in texts[1] and "2 units" in texts[1]
    assert "25 mg discarded from single-dose vials = 2 units" in texts[1]
    assert page.accept_button.isEnabled()
    snap(window, artifacts_dir / "entry_filled_preview.png")

    with qtbot.waitSignal(window.today.loaded, timeout=5000):
        QTest.keyClick(page.amounts.witness, Qt.Key.Key_Return)  # Enter accepts

    # The visit stays on screen for its next drug: the drug part is cleared, the saved drug is listed.
    assert page.patient.mrn.text() == "100234" and page.drug.vials.rows == []
    assert "Saved record" in page.status.text() and window.focusWidget() is page.drug.scan
    qtbot.waitUntil(lambda: page.visit_drugs.isVisible(), timeout=5000)
    assert "Saved record" in page.status.text()  # the visit's reload does not replace it with "Still needed"
    assert "J9302 (ofatumumab) 275 mg, 09:00\u201310:10 \u2014 recorded" in page.visit_drugs.lines[0]
    assert window.today_page.model.rowCount() == 1

    [summary] = list_administrations(store, date_of_service=dt.date.today())
    detail = get_administration(store, summary.id)
    assert detail.patient.mrn == "100234" and find_patients(store, "Rivera")
    assert detail.administration.administered_mg == Decimal(275)
    assert detail.administration.discarded_mg == Decimal(25)
    assert detail.recorded_by == NURSE and detail.facts.waste_witness == "Lee, RN"
    assert detail.visit.diagnosis_codes == ("C91.10",)
    drug = {line.kind: line for line in detail.lines if line.kind is not LineKind.ADMINISTRATION}
    assert drug[LineKind.ADMINISTERED].units == 28
    assert drug[LineKind.DISCARDED].units == 2 and "JW" in drug[LineKind.DISCARDED].modifiers
    assert all(set(line.modifiers) & {"JG", "TB"} for line in drug.values())
    assert all(use.acquired_340b for use in detail.administration.packages)
    assert sum(use.count for use in detail.administration.packages) == 3
