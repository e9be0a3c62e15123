"""First run, sign-in, wrong password, lock-out, switch user and auto-lock keeping a draft (real widgets)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from desktop.facade.workstation import Workstation
from desktop.services.people.accounts import create_first_administrator, create_user, needs_first_administrator
from desktop.services.people.roles import Role
from desktop.ui.main_window import MainWindow
from desktop.ui.people.first_run import FirstRunWizard
from desktop.ui.people.lock import SessionGuard
from desktop.ui.people.sign_in import SignInDialog
from desktop.ui.people.startup import start_session
from tests.ui.conftest import NURSE
from tests.ui.flows import enter_new_patient, type_into

PASSWORD = "correct horse battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def accounts(store: object) -> object:
    """The cheap hasher keeps these tests quick; test_auth checks the real argon2id cost."""
    import desktop.services.people.accounts as users
    import desktop.services.people.sign_in as auth
    from tests.services.people_fixtures import FAST

    saved = users.HASHER, auth.HASHER
    users.HASHER = auth.HASHER = FAST
    create_first_administrator(store, "admin", PASSWORD, "Ada Admin")  # type: ignore[arg-type]
    create_user(store, NURSE, PASSWORD, Role.NURSE, "admin", "Kim, RN")  # type: ignore[arg-type]
    create_user(store, "bill", PASSWORD, Role.CHARGE_ENTRY, "admin", "Bill Biller")  # type: ignore[arg-type]
    yield store
    users.HASHER, auth.HASHER = saved


def _sign_in(form: object, username: str, password: str) -> None:
    form.username.setText(username)  # type: ignore[attr-defined]
    form.password.clear()  # type: ignore[attr-defined]
    type_into(form.password, password)  # type: ignore[attr-defined]
    QTest.mouseClick(form.submit, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    wait_for(lambda: not form.busy)  # type: ignore[attr-defined]  # checked off the GUI thread


def wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Turn the event loop until `condition` holds (what qtbot.waitUntil does, for helpers without a qtbot)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QTest.qWait(10)


def test_first_run_creates_the_administrator_and_facility(qtbot, store: object) -> None:
    wizard = FirstRunWizard(Workstation(store))
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.admin_page
    type_into(page.username, "chief")
    type_into(page.password, "a long password")
    type_into(page.repeat, "a different one")
    wizard.next()
    assert wizard.currentPage() is page and "not the same" in page.message.text()
    page.repeat.clear()
    type_into(page.repeat, "a long password")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.facility_page, timeout=10000)  # created off the GUI thread
    assert wizard.currentPage() is wizard.facility_page and not needs_first_administrator(store)  # type: ignore[arg-type]
    facility = wizard.facility_page
    wizard.button(wizard.WizardButton.FinishButton).click()
    assert "facility's name" in facility.message.text() and wizard.isVisible()
    type_into(facility.name, "Lakeside Infusion")
    type_into(facility.npi, "1234567893")
    wizard.button(wizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result() == wizard.DialogCode.Accepted, timeout=10000)
    assert wizard.result() == wizard.DialogCode.Accepted, facility.message.text()
    from desktop.services.facility.settings import get_facility_settings

    settings = get_facility_settings(store)  # type: ignore[arg-type]
    assert settings.facility_name == "Lakeside Infusion" and settings.identifiers[0].value == "1234567893"
    assert wizard.signed.account.username == "chief"  # type: ignore[union-attr]


def test_start_session_offers_the_wizard_only_on_an_empty_database(qtbot, store: object) -> None:
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.objectName())  # type: ignore[union-attr]
        dialog.reject()  # type: ignore[union-attr]

    QTimer.singleShot(100, close_it)
    assert start_session(Workstation(store)) is None  # closed: nothing usable
    assert seen == ["first_run_wizard"]


def test_sign_in_wrong_password_then_lock_out(qtbot, accounts: object) -> None:
    from desktop.ui.theme import apply_theme

    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    dialog = SignInDialog(Workstation(accounts))
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    _sign_in(form, NURSE, "wrong password")
    assert "user name or password is wrong" in form.message.text() and form.message.isVisible()
    assert form.password.text() == "" and dialog.isVisible()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "people-sign-in-wrong-password.png"))
    for _ in range(4):
        _sign_in(form, NURSE, "wrong password")
    assert "locked until" in form.message.text()
    qtbot.wait(50)  # the dialog grows to the message
    dialog.grab().save(str(ARTIFACTS / "people-sign-in-locked-out.png"))
    _sign_in(form, NURSE, PASSWORD)  # the right password does not help while locked
    assert "locked until" in form.message.text()
    _sign_in(form, "bill", PASSWORD)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.signed.account.username == "bill"  # type: ignore[union-attr]


def test_auto_lock_hides_the_form_keeps_a_draft_and_another_user_takes_over(
    qtbot, window: MainWindow, accounts: object
) -> None:
    guard = SessionGuard(window, Workstation(accounts), NURSE, 5, save_draft=window.entry.save_draft, idle_ms=400)
    changed: list[object] = []
    guard.user_changed.connect(changed.append)
    enter_new_patient(window, mrn="777001", name="Lock, Test")
    qtbot.waitUntil(lambda: guard.is_locked, timeout=5000)  # no input for 0.4 s
    assert not window.centralWidget().isVisible() and guard.screen.isVisible()
    assert not window.menuBar().isVisible()
    assert not any(a.isEnabled() for a in window.actions())  # shortcuts are off while locked
    draft = window.facade.drafts.load()
    assert draft is not None and draft.fields.get("mrn") == "777001"
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "people-lock-screen.png"))
    form = guard.screen.form
    assert form.username.text() == NURSE  # auto-lock offers the same person first
    _sign_in(form, NURSE, "wrong password")
    assert guard.is_locked and "wrong" in form.message.text()
    _sign_in(form, NURSE, PASSWORD)
    assert not guard.is_locked and window.centralWidget().isVisible()
    assert window.entry_page.patient.mrn.text() == "777001"  # the form is as it was
    assert changed == [] and all(a.isEnabled() for a in window.actions())
    guard.switch_user()
    assert guard.is_locked and form.username.text() == ""
    _sign_in(form, "bill", PASSWORD)
    assert [c.account.username for c in changed] == ["bill"]  # type: ignore[attr-defined]
    assert guard.username == "bill"
    guard.watcher.stop()


def test_lock_screen_names_every_control(qtbot, window: MainWindow, accounts: object) -> None:
    guard = SessionGuard(window, Workstation(accounts), NURSE, 5)
    guard.lock("sign_out")
    for widget in (guard.screen.form.username, guard.screen.form.password, guard.screen.form.submit):
        assert widget.objectName() and widget.accessibleName()
    assert guard.screen.findChild(QLabel, "lock_notice").text().startswith("Locked")
    guard.watcher.stop()


def test_first_run_warns_the_administrator_when_the_disk_is_not_encrypted(qtbot, store: object) -> None:
    from desktop.services.storage.disk_encryption import DiskEncryption

    wizard = FirstRunWizard(Workstation(store))
    qtbot.addWidget(wizard)
    assert not wizard.admin_page.disk_warning.isVisibleTo(wizard)  # Linux: nothing to ask, nothing said
    wizard.show_disk_warning(DiskEncryption("off", "BitLocker on drive C:"))
    wizard.show()
    assert wizard.admin_page.disk_warning.isVisible()
    assert "BitLocker on drive C: is off" in wizard.admin_page.disk_warning.text()
    wizard.grab().save(str(ARTIFACTS / "first_run_disk_not_encrypted.png"))
