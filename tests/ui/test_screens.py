"""Screenshots for people, at a 1366 x 768 cart screen and at 1920 x 1080: chair entry, lock screen, first run,
ticket preview; each screen fits, its actions in view, and the lock screen's parts do not overlap."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.facade.workstation import Workstation
from desktop.tickets import render_ticket
from desktop.tickets.samples import j9302_ticket
from desktop.ui.main_window import MainWindow
from desktop.ui.people.first_run import FirstRunWizard
from desktop.ui.people.lock import SessionGuard
from desktop.ui.theme import apply_theme
from desktop.ui.ticket_preview import TicketPreview
from tests.ui.conftest import NURSE
from tests.ui.flows import fill_j9302, snap
from tests.ui.test_people import PASSWORD, accounts  # noqa: F401 - the accounts fixture

SIZES = [(1366, 768), (1920, 1080)]


def _rect(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def _inside(widget: QWidget, top: QWidget) -> bool:
    return QRect(QPoint(0, 0), top.size()).contains(_rect(widget, top))


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_chair_entry(window: MainWindow, artifacts_dir: Path, size: tuple[int, int]) -> None:
    window.resize(*size)
    fill_j9302(window)
    _settle()
    page = window.entry_page
    assert window.size().width() == size[0] and window.size().height() == size[1]
    for action in (page.accept_button, page.hold_button, page.clear_button):
        assert _inside(action, window), action.objectName()
    assert page.form_scroll.horizontalScrollBar().maximum() == 0  # never cut sideways
    snap(window, artifacts_dir / f"screen_chair_entry_{size[0]}x{size[1]}.png", show_amounts=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lock_screen(qtbot: QtBot, window: MainWindow, accounts: object, artifacts_dir: Path,  # noqa: F811
                     size: tuple[int, int]) -> None:
    window.resize(*size)
    guard = SessionGuard(window, Workstation(window.facade.store), NURSE, 60)
    guard.lock("sign_out")
    form = guard.screen.form
    form.username.setText(NURSE)
    QTest.keyClicks(form.password, "not the password")
    QTest.keyClick(form.password, Qt.Key.Key_Return)  # one Enter: one try, its words stay
    qtbot.waitUntil(lambda: "wrong" in form.message.text().lower(), timeout=5000)
    _settle()
    assert "Enter your user name and password" not in form.message.text()
    parts = [form.username, form.password, form.message, form.submit]
    for part in parts:
        assert part.isVisible() and _inside(part, window), part.objectName()
    for number, first in enumerate(parts):
        for second in parts[number + 1:]:
            assert not _rect(first, window).intersects(_rect(second, window)), (first.objectName(),
                                                                                second.objectName())
    message = form.message  # all of its words shown: its height is what its width needs
    assert form.password.height() >= 44 and message.height() >= message.heightForWidth(message.width())
    window.grab().save(str(artifacts_dir / f"screen_lock_{size[0]}x{size[1]}.png"))
    guard.watcher.stop()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_run(qtbot: QtBot, store: object, artifacts_dir: Path, size: tuple[int, int],
                   monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.services.people.accounts as users
    import desktop.services.people.sign_in as auth
    from tests.services.people_fixtures import FAST

    monkeypatch.setattr(users, "HASHER", FAST)
    monkeypatch.setattr(auth, "HASHER", FAST)
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    wizard = FirstRunWizard(Workstation(store))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    admin = wizard.admin_page
    for field, text in ((admin.username, "chief"), (admin.password, PASSWORD), (admin.repeat, PASSWORD)):
        field.setText(text)
    wizard.next()
    page = wizard.facility_page
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=10000)  # the account is made off the GUI thread
    assert wizard.currentPage() is page
    page.address.setPlainText("Riverside Infusion Center\n100 River Road, Suite 4\nSpringfield, IL 62701")
    _settle()
    address = page.address
    lines = address.viewport().height() // address.fontMetrics().lineSpacing()
    wizard.grab().save(str(artifacts_dir / f"screen_first_run_{size[0]}x{size[1]}.png"))
    assert lines >= 3, f"the address box shows {lines} line(s)"
    assert wizard.height() <= size[1] - 40 and _inside(wizard.button(wizard.WizardButton.FinishButton), wizard)
    wizard.grab().save(str(artifacts_dir / f"screen_first_run_{size[0]}x{size[1]}.png"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ticket_preview(qtbot: QtBot, artifacts_dir: Path, size: tuple[int, int]) -> None:
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(*size)
    preview = TicketPreview(render_ticket(j9302_ticket()), "Ticket T-2026-000417", host)
    preview.resize(min(preview.width(), size[0]), min(preview.height(), size[1] - 60))
    preview.show()
    qtbot.waitExposed(preview)
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    qtbot.wait(400)  # QPdfView renders pages on a worker thread
    printing = preview.findChild(QPushButton, "ticketPrintButton")
    assert printing is not None and _inside(printing, preview) and preview.height() <= size[1] - 40
    preview.grab().save(str(artifacts_dir / f"screen_ticket_preview_{size[0]}x{size[1]}.png"))
    assert isinstance(preview.findChild(QLabel, "ticketTitle"), QLabel)


def test_one_enter_is_one_sign_in_try_and_its_words_stay(qtbot: QtBot, accounts: object) -> None:  # noqa: F811
    from desktop.ui.people.sign_in import SignInDialog

    dialog = SignInDialog(Workstation(accounts))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tries: list[str] = []
    import desktop.services.people.sign_in as auth

    real = auth.sign_in

    def counted(*args: object, **kwargs: object) -> object:
        tries.append(str(args[2]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    auth.sign_in = counted  # type: ignore[assignment]
    try:
        form = dialog.form
        QTest.keyClicks(form.username, NURSE)
        QTest.keyClick(form.username, Qt.Key.Key_Return)  # to the password
        QTest.keyClicks(form.password, "wrong password")
        QTest.keyClick(form.password, Qt.Key.Key_Return)
        _settle()
        qtbot.waitUntil(lambda: not form.busy, timeout=10000)  # checked off the GUI thread
        _settle()
    finally:
        auth.sign_in = real  # type: ignore[assignment]
    assert tries == ["wrong password"]  # not a second, empty try
    assert "wrong" in form.message.text().lower() and "Enter your user name" not in form.message.text()
