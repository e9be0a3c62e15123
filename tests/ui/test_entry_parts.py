"""The chair entry's parts (issue 17 item 5): one table of fields behind drafts and go-to-field, a save through
the window's operation hub that broadcasts what changed, and a refresh that never re-enters itself."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from desktop.billing.model import PayerClass
from desktop.ui.entry.form_drafts import draft_fields
from desktop.ui.entry.form_fields import finding_widgets, form_fields
from desktop.ui.entry.form_reader import FormReading
from desktop.ui.entry.go_to_field import field_widget
from desktop.ui.main_window import MainWindow
from desktop.ui.operations import OpChanges
from tests.ui.flows import fill_j9302


def test_every_field_of_the_table_comes_back_from_a_draft(window: MainWindow) -> None:
    page = window.entry_page
    fill_j9302(window)
    page.visit.set_payer_class(PayerClass.COMMERCIAL)
    page.visit.chair.setText("Chair 8")
    page.visit.notes.setPlainText("Premedicated.\nTolerated well.")
    page.amounts.route.setCurrentText("SC")
    page.amounts.free_drug.setChecked(True)
    page.amounts.discarded_by.setText("Okoye, RN")
    before = draft_fields(page)
    keys = {field.key for field in form_fields(page)}
    assert keys <= before.keys() and {"vials", "discarded_typed", "patient_label"} <= before.keys()
    window.entry.clear_form()
    assert draft_fields(page) != before
    window.entry.restore_draft(before)
    assert draft_fields(page) == before


def test_each_finding_field_of_the_table_takes_the_nurse_to_a_named_widget(window: MainWindow) -> None:
    page = window.entry_page
    widgets = finding_widgets(page)
    assert {"infusion_start", "administered_mg", "payer_class", "consent_recorded", "ordering_provider_npi",
            "hcpcs", "diagnosis_codes"} <= widgets.keys()
    for field, widget in widgets.items():
        assert field_widget(page, field) is widget and widget.objectName() and widget.accessibleName()


def test_a_save_runs_through_the_hub_and_says_the_visit_changed(window: MainWindow, qtbot: QtBot) -> None:
    fill_j9302(window)
    qtbot.waitUntil(lambda: window.entry_page.accept_button.isEnabled(), timeout=5000)
    heard: list[OpChanges] = []
    window.hub.changed.connect(heard.append)
    with qtbot.waitSignal(window.entry.saved, timeout=10_000) as saved:
        window.entry.accept()
        assert window.hub.busy and not window.entry_page.accept_button.isEnabled()  # off the GUI thread
    outcome = saved.args[0]
    assert heard and heard[0].touches("visit") and heard[0].touches("audit") and outcome.visit_id in heard[0].ids
    assert not window.hub.busy


def test_the_suggested_waste_is_filled_in_one_refresh(window: MainWindow) -> None:
    page, entry = window.entry_page, window.entry
    fill_j9302(window)
    assert page.amounts.discarded.text() == "25" and not page.amounts.discarded_typed
    readings: list[str] = []
    real = entry._read

    def counted() -> FormReading:
        readings.append(page.amounts.discarded.text())
        return real()

    entry._read = counted  # type: ignore[method-assign]
    page.amounts.administered.setText("250")  # 50 mg of the 300 opened now suggested as discarded
    # One refresh: the form as typed, then (the waste following the suggestion) the form with it filled in.
    assert readings == ["25", "50"]
    assert entry.reading is not None and entry.reading.charge.discarded_mg == Decimal("50")
