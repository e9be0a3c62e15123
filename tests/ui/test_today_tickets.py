"""Tickets from the day list: preview off the GUI thread, print, record printed only when the state allows it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desktop.records.requests import ChargeState
from desktop.services import hold_administration, record_administration, verify_administration
from desktop.services.visits.visit_queries import get_administration
from desktop.ui.main_window import MainWindow
from desktop.ui.ticket_preview import TicketPreview
from tests.services.charge_samples import j9302_request
from tests.ui.conftest import NURSE

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def accept_print_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard print dialog, answered "Print" without being shown."""
    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QDialog.DialogCode.Accepted.value)


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(100)  # fast; the code path is the one real printers take
    return printer


def _record(store: object, mrn: str = "MRN302", name: str = "Ann Ofa", user: str = NURSE, verified: bool = False,
            held: bool = False) -> int:
    request = j9302_request(mrn=mrn, name=name, day=TODAY, nurse=user)
    outcome = record_administration(store, request, user)  # type: ignore[arg-type]
    if verified:
        verify_administration(store, outcome.id, "biller", outcome.version)  # type: ignore[arg-type]
    if held:
        hold_administration(store, outcome.id, "Waiting for the waste log", "biller", outcome.version)  # type: ignore[arg-type]
    return outcome.id


def _show_today(window: MainWindow, qtbot: QtBot, select: int | None = 0) -> None:
    with qtbot.waitSignal(window.today.loaded, timeout=5000):
        window.nav.setCurrentRow(1)
    if select is not None:
        page = window.today_page
        page.table.setCurrentIndex(page.model.index(select, 0))


def _open_ticket(window: MainWindow, qtbot: QtBot) -> TicketPreview:
    with qtbot.waitSignal(window.today.preview_opened, timeout=10000) as opened:
        window.today_page.print_button.click()
    preview = opened.args[0]
    assert isinstance(preview, TicketPreview)
    return preview


def _print(preview: TicketPreview, window: MainWindow, qtbot: QtBot, target: Path) -> str:
    with qtbot.waitSignal(window.today.ticket_message, timeout=10000) as said:
        assert preview.print_pdf(_pdf_printer(target))
    return str(said.args[0])


def test_verified_record_prints_and_is_recorded(window: MainWindow, store: object, qtbot: QtBot, tmp_path: Path,
                                                artifacts_dir: Path) -> None:
    record_id = _record(store, verified=True)
    _show_today(window, qtbot)
    assert window.today_page.print_button.isEnabled()
    for _ in range(3):
        QApplication.processEvents()
    window.grab().save(str(artifacts_dir / "today_with_print_actions.png"))

    preview = _open_ticket(window, qtbot)
    assert preview.windowTitle().startswith("Charge ticket T-") and "(reprint)" not in preview.windowTitle()
    assert preview.isVisible() and preview.isModal()
    message = _print(preview, window, qtbot, tmp_path / "printed.pdf")
    qtbot.wait(600)  # QPdfView renders pages on a worker thread
    preview.grab().save(str(artifacts_dir / "ticket_preview_from_today.png"))
    assert "recorded" in message and "ticket printed" in message, message
    assert preview.note.text() == message and window.today_page.state.text() == message
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 1

    detail = get_administration(store, record_id)  # type: ignore[arg-type]
    assert detail.state is ChargeState.TICKET_PRINTED
    assert detail.ticket_pdf_sha256 == hashlib.sha256(preview.pdf).hexdigest()
    assert window.today_page.model.rows[0].state is ChargeState.TICKET_PRINTED  # row refreshed in place
    assert window.today.selected() is not None  # the selection survived the refresh

    again = _print(preview, window, qtbot, tmp_path / "again.pdf")  # a second copy from the same preview
    assert "recorded as printed already" in again
    preview.close()

    reprint = _open_ticket(window, qtbot)
    assert reprint.windowTitle().endswith("(reprint)")
    assert "recorded" in _print(reprint, window, qtbot, tmp_path / "reprint.pdf")
    detail = get_administration(store, record_id)  # type: ignore[arg-type]
    assert detail.ticket_pdf_sha256 == hashlib.sha256(reprint.pdf).hexdigest()
    reprint.close()


def test_unverified_record_prints_but_says_why_it_was_not_recorded(window: MainWindow, store: object, qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    record_id = _record(store)
    _show_today(window, qtbot)
    preview = _open_ticket(window, qtbot)
    message = _print(preview, window, qtbot, tmp_path / "printed.pdf")
    assert message == "Printed; not recorded as printed because the record is recorded but not yet verified."
    detail = get_administration(store, record_id)  # type: ignore[arg-type]
    assert detail.state is ChargeState.RECORDED and detail.ticket_pdf_sha256 is None
    preview.close()


def test_changed_record_is_not_marked_with_a_stale_ticket(window: MainWindow, store: object, qtbot: QtBot,
                                                         tmp_path: Path) -> None:
    record_id = _record(store, verified=True)
    _show_today(window, qtbot)
    preview = _open_ticket(window, qtbot)
    detail = get_administration(store, record_id)  # type: ignore[arg-type]
    hold_administration(store, record_id, "Billing question", "biller", detail.version)  # type: ignore[arg-type]
    message = _print(preview, window, qtbot, tmp_path / "printed.pdf")
    assert message.startswith("\u26a0") and "Reload the list" in message, message
    assert get_administration(store, record_id).ticket_pdf_sha256 is None  # type: ignore[arg-type]
    preview.close()


def test_held_record_gets_no_ticket_and_says_why(window: MainWindow, store: object, qtbot: QtBot) -> None:
    _record(store, held=True)
    _show_today(window, qtbot)
    with qtbot.assertNotEmitted(window.today.preview_opened), \
            qtbot.waitSignal(window.today.ticket_message, timeout=10000) as said:
        window.today_page.print_button.click()
    assert "is held (Waiting for the waste log)" in said.args[0]
    assert window.today_page.state.text() == said.args[0]


def test_day_batch_for_the_signed_in_nurse_records_nothing(window: MainWindow, store: object, qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    mine = _record(store, verified=True)
    theirs = _record(store, mrn="MRN900", name="Bo Other", user="nurse.other", verified=True)
    _show_today(window, qtbot, select=None)
    window.today_page.only_mine.setChecked(True)
    with qtbot.waitSignal(window.today.preview_opened, timeout=10000) as opened:
        window.today_page.print_day_button.click()
    preview = opened.args[0]
    assert preview.windowTitle() == f"Charge tickets {TODAY:%m/%d/%Y}, {NURSE}"
    assert preview.document.pageCount() == 1
    message = _print(preview, window, qtbot, tmp_path / "batch.pdf")
    assert "not recorded as printed" in message
    for record_id in (mine, theirs):
        assert get_administration(store, record_id).state is ChargeState.VERIFIED  # type: ignore[arg-type]
    preview.close()

    window.today_page.only_mine.setChecked(False)
    with qtbot.waitSignal(window.today.preview_opened, timeout=10000) as opened:
        window.today_page.print_day_button.click()
    assert opened.args[0].document.pageCount() == 2
    opened.args[0].close()


def test_day_without_tickets_says_so(window: MainWindow, qtbot: QtBot) -> None:
    _show_today(window, qtbot, select=None)
    with qtbot.waitSignal(window.today.ticket_message, timeout=10000) as said:
        window.today_page.print_day_button.click()
    assert said.args[0].startswith("\u26a0 There are no tickets for")
