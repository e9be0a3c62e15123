"""The settings page edits the facility time zone and the default 340B source, and keeps what it does not show."""

from __future__ import annotations

from dataclasses import replace

from desktop.billing.model import PlaceOfService
from desktop.services.settings import FacilitySettings, Stock340b, get_facility_settings, save_facility_settings
from desktop.ui.admin.settings_page import SettingsPage
from tests.ui.admin_pages import doorway, loaded_settings, saved_words


def test_zone_and_default_stock_are_saved_and_the_place_of_service_is_kept(qtbot, store: object, tmp_path) -> None:  # type: ignore[no-untyped-def]
    office = replace(FacilitySettings(), facility_name="Clinic", place_of_service=PlaceOfService.OFFICE)
    save_facility_settings(store, office, "admin")  # type: ignore[arg-type]
    page = SettingsPage(*doorway(store, "admin", tmp_path))
    qtbot.addWidget(page)
    loaded_settings(qtbot, page)
    assert page.time_zone.currentText() == office.time_zone  # the workstation's until someone chooses
    assert page.stock_340b.currentData() == "ask"
    page.time_zone.setCurrentText("America/Chicago")
    page.stock_340b.setCurrentIndex(page.stock_340b.findData("340b"))
    assert "Settings saved" in saved_words(qtbot, page), page.message.text()
    saved = get_facility_settings(store)  # type: ignore[arg-type]
    assert saved.time_zone == "America/Chicago" and saved.stock_340b is Stock340b.STOCK_340B
    assert saved.place_of_service is PlaceOfService.OFFICE  # not shown on this page: kept, not reset

    page.time_zone.setCurrentText("Chicago")
    assert "'Chicago' is not a time zone name" in saved_words(qtbot, page)
    assert get_facility_settings(store).time_zone == "America/Chicago"  # type: ignore[arg-type]
