"""The ticket preview shows the PDF, prints it through QPrinter to a PDF file, and saves it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from desktop.tickets import render_batch, render_ticket
from desktop.tickets.samples import j9302_ticket, long_ticket
from desktop.ui.ticket_preview import BUTTON_HEIGHT, TicketPreview


@pytest.fixture
def accept_print_dialog(monkeypatch: pytest.MonkeyPatch) -> list[QPrintDialog]:
    """The standard print dialog, answered "Print" without being shown."""
    shown: list[QPrintDialog] = []

    def exec_(dialog: QPrintDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return shown


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)  # keeps the test fast; the code path is the one real printers take
    return printer


def test_preview_shows_the_ticket(qtbot: QtBot, artifacts_dir: Path) -> None:
    preview = TicketPreview(render_ticket(j9302_ticket()), "Ticket T-2026-000417")
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    assert preview.document.pageCount() == 1
    assert preview.view.document() is preview.document
    assert preview.page_label.text() == "1 page"
    for button in preview.findChildren(QPushButton):
        assert button.objectName() and button.accessibleName()
        assert button.height() >= BUTTON_HEIGHT
    for name in ("ticketPdfView", "ticketPrintButton", "ticketSaveButton", "ticketCloseButton", "ticketPageCount"):
        widget = preview.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name  # type: ignore[attr-defined]
    qtbot.wait(600)  # QPdfView renders pages on a worker thread
    preview.grab().save(str(artifacts_dir / "ticket_preview.png"))


def test_print_to_pdf_file_through_qprinter(
    qtbot: QtBot, tmp_path: Path, artifacts_dir: Path, accept_print_dialog: list[QPrintDialog]
) -> None:
    pdf = render_ticket(long_ticket())
    preview = TicketPreview(pdf, "Ticket T-2026-000999")
    qtbot.addWidget(preview)
    output = tmp_path / "printed.pdf"
    with qtbot.waitSignal(preview.printed) as printed:
        assert preview.print_pdf(_pdf_printer(output)) is True
    assert len(accept_print_dialog) == 1
    assert printed.args == [3]
    data = output.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox  # the printer took the ticket's paper (letter), not its default
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    for page in reader.pages:  # each page carries the rendered ticket page as an image
        assert page.images, "a printed page is blank"
    printed_copy = artifacts_dir / "ticket_printed_via_qprinter.pdf"
    printed_copy.write_bytes(data)


def test_print_button_uses_the_dialog(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    preview = TicketPreview(render_batch([j9302_ticket(), j9302_ticket()]), "Tickets")
    qtbot.addWidget(preview)
    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected.value)
    with qtbot.assertNotEmitted(preview.printed):
        preview.print_button.click()
    assert preview.print_pdf(_pdf_printer(tmp_path / "never.pdf")) is False


def test_save_as_pdf(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pdf = render_ticket(j9302_ticket())
    preview = TicketPreview(pdf, "Ticket T-2026-000417")
    qtbot.addWidget(preview)
    target = tmp_path / "ticket.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(target), "PDF files (*.pdf)"))
    with qtbot.waitSignal(preview.saved) as saved:
        preview.save_button.click()
    assert saved.args == [str(target)]
    assert target.read_bytes() == pdf
