"""The export panel on the Reports page and the interface rows of the facility settings, on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QTableWidget

from desktop.billing.model import PlaceOfService
from desktop.services import Store, open_store
from desktop.services.facility.settings import (
    FacilityIdentifier,
    FacilitySettings,
    get_facility_settings,
    save_facility_settings,
)
from desktop.ui.admin.settings_page import SettingsPage
from desktop.ui.reports.reports_page import ReportsPage
from desktop.ui.theme import apply_theme
from tests.interop.spec import read_hl7
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.services.conftest import DOS
from tests.ui.admin_pages import doorway, loaded_settings, saved_words


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'charges.sqlite3'}")
    save_facility_settings(opened, FacilitySettings(
        facility_name="Riverside Infusion Center", identifiers=(FacilityIdentifier("NPI", "1234567893"),),
        place_of_service=PlaceOfService.OFFICE), "admin")
    outcome = record(opened, j9302_request())
    to_posted(opened, outcome.id, outcome.version)
    yield opened
    opened.close()


@pytest.fixture
def page(qtbot: Any, store: Store, tmp_path: Path) -> Iterator[ReportsPage]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    widget = ReportsPage(*doorway(store, "biller", tmp_path), today=DOS)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget
    QThreadPool.globalInstance().waitForDone(10000)


def run(qtbot: Any, page: ReportsPage, path: Path, preview: bool = False) -> str:
    page.exports.status.setText("")
    page.exports.export(path, preview=preview)
    qtbot.waitUntil(lambda: page.exports.send_button.isEnabled() and bool(page.exports.status.text()), timeout=10000)
    return page.exports.status.text()


def test_export_new_charges_then_nothing_new(page: ReportsPage, qtbot: Any, tmp_path: Path) -> None:
    said = run(qtbot, page, tmp_path / "billing.hl7")
    assert "Run 1 (ICC1, billing): 3 transactions in 1 visit " in said and "No prices are set" in said
    read = read_hl7((tmp_path / "billing.hl7").read_bytes().decode("utf-8"))
    assert [m.msh.msh_11.to_er7() for m in read.messages] == ["P"]
    assert (tmp_path / "billing.hl7").stat().st_mode & 0o777 == 0o600
    assert "0 transactions" in run(qtbot, page, tmp_path / "again.hl7")
    assert "PREVIEW" in run(qtbot, page, tmp_path / "preview.hl7", preview=True)


def test_a_file_that_cannot_be_written_sends_nothing(page: ReportsPage, qtbot: Any, tmp_path: Path) -> None:
    said = run(qtbot, page, tmp_path / "missing-folder" / "billing.csv")
    assert said.startswith("\u26a0 Not exported") and "Nothing was recorded as sent" in said
    page.exports.format.setCurrentIndex(2)  # CSV
    assert "3 transactions" in run(qtbot, page, tmp_path / "billing.csv")


def test_screenshots_and_names(page: ReportsPage, qtbot: Any, tmp_path: Path, artifacts_dir: Path) -> None:
    run(qtbot, page, tmp_path / "billing.hl7")
    for width, height in ((1366, 768), (1920, 1080)):
        page.resize(width, height)
        qtbot.wait(50)
        page.grab().save(str(artifacts_dir / f"reports_exports_{width}x{height}.png"))
    for kind in (QAbstractButton, QComboBox):
        for widget in page.exports.findChildren(kind):
            if widget.objectName().startswith("qt_") or (widget.parent() and widget.parent().inherits("QComboBox")):
                continue
            assert widget.objectName() and widget.accessibleName(), widget


def test_interface_settings_are_saved_and_other_settings_kept(qtbot: Any, store: Store, artifacts_dir: Path,
                                                              tmp_path: Path) -> None:
    page = SettingsPage(*doorway(store, "admin", tmp_path))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    loaded_settings(qtbot, page)
    fields = {edit.objectName(): edit for edit in page.interface.findChildren(QLineEdit)}
    fields["settings_receiving_application"].setText("HB_BILLING")
    fields["settings_rendering_provider"].setText("Maya Chen")
    fields["settings_rendering_provider_npi"].setText("1245319599")
    table = page.interface.findChild(QTableWidget, "settings_charge_codes")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "96413")
    table.item(row, 2).setText("CDM-96413")
    assert "Settings saved" in saved_words(qtbot, page)
    saved = get_facility_settings(store)
    assert (saved.receiving_application, saved.rendering_provider_npi, saved.cdm_for("96413")) == (
        "HB_BILLING", "1245319599", "CDM-96413")
    assert saved.place_of_service is PlaceOfService.OFFICE, "a setting not on the page is kept as it was"
    fields["settings_rendering_provider_npi"].setText("1245319590")
    assert "not a valid NPI" in saved_words(qtbot, page)
    page.interface.setFocus()
    for width, height in ((1366, 768), (1920, 1080)):
        page.resize(width, height)
        page._body.parentWidget().parentWidget().ensureWidgetVisible(page.interface)  # type: ignore[attr-defined]
        qtbot.wait(50)
        page.grab().save(str(artifacts_dir / f"settings_interface_{width}x{height}.png"))
