"""A signed-in session in the main window: areas by role, and one nurse handing the chair to the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.services.people.sign_in import sign_in
from desktop.services.visits.drafts import DraftStore
from desktop.ui.main_window import AREAS, MainWindow
from desktop.ui.session import attach_session
from tests.ui.conftest import facade_of
from tests.ui.flows import enter_new_patient
from tests.ui.test_people import PASSWORD, _sign_in, accounts  # noqa: F401  (fixture)


def _window(qtbot, store: object, user: str, folder: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(facade_of(store, user, DraftStore(folder, user), "test"))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitUntil(lambda: window.permissions_known, timeout=5000)  # the role is read off the GUI thread
    return window


def _visible_areas(window: MainWindow) -> list[str]:
    return [AREAS[row][0] for row in range(len(AREAS)) if not window.nav.item(row).isHidden()]


@pytest.mark.parametrize(
    ("user", "areas"),
    [
        ("nurse.kim", ["Chair entry", "Today"]),
        ("bill", ["Today", "Review queue", "Reports"]),
        ("admin", ["Chair entry", "Today", "Review queue", "Reports", "Administration"]),
    ],
)
def test_each_role_sees_only_its_areas(qtbot, accounts: object, tmp_path: Path,  # noqa: F811
                                       user: str, areas: list[str]) -> None:
    window = _window(qtbot, accounts, user, tmp_path)
    assert _visible_areas(window) == areas
    assert not window.nav.item(window.nav.currentRow()).isHidden()  # it opens on an area it may use


def test_a_second_nurse_gets_an_empty_form_and_the_first_gets_hers_back(
    qtbot, accounts: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from desktop.services.people.accounts import create_user
    from desktop.services.people.roles import Role

    create_user(accounts, "nurse.lee", PASSWORD, Role.NURSE, "admin", "Lee, RN")  # type: ignore[arg-type]
    window = _window(qtbot, accounts, "nurse.kim", tmp_path)
    guard = attach_session(window, sign_in(accounts, "nurse.kim", PASSWORD), idle_ms=60_000)  # type: ignore[arg-type]
    assert window.user_label.text() == "Signed in: Kim, RN (Nurse)"
    enter_new_patient(window, mrn="555001", name="Handover, Kim's")
    window.entry_page.visit.chair.setText("Chair 6")
    assert window.entry_page.amounts.discarded_by.text() == "nurse.kim"
    guard.switch_user()
    _sign_in(guard.screen.form, "nurse.lee", PASSWORD)
    assert not guard.is_locked
    assert window.entry_page.patient.mrn.text() == ""  # Lee does not see Kim's unsaved form
    assert window.user_label.text() == "Signed in: Lee, RN (Nurse)"
    assert window.facade.user == "nurse.lee"
    assert window.entry_page.amounts.discarded_by.text() == "nurse.lee"  # not Kim's name on Lee's form
    assert window.entry_page.visit.chair.text() == "Chair 6"  # the workstation stays at its chair
    assert DraftStore(tmp_path, "nurse.kim").load().fields.get("mrn") == "555001"  # type: ignore[union-attr]

    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes)
    guard.switch_user()
    _sign_in(guard.screen.form, "nurse.kim", PASSWORD)
    qtbot.waitUntil(lambda: window.entry_page.patient.mrn.text() == "555001", timeout=5000)  # asked off the GUI thread
    assert window.entry_page.patient.mrn.text() == "555001"  # her draft is offered back and restored
    assert window.entry_page.amounts.discarded_by.text() == "nurse.kim"
    guard.watcher.stop()


def test_the_application_icon_loads_from_resources(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull() and icon.availableSizes()
