"""The ticket preview on a 1366 x 768 cart laptop and a 1920 x 1080 desk screen: it fits, Print is in sight."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.tickets import render_ticket
from desktop.tickets.samples import three_drug_ticket
from desktop.ui.ticket_preview import BUTTON_HEIGHT, TicketPreview

TASKBAR = 40  # a screen's free area is its size less the taskbar


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_preview_fits_the_screen_with_print_in_sight(qtbot: QtBot, artifacts_dir: Path,
                                                     screen: tuple[int, int]) -> None:
    ticket = three_drug_ticket()
    preview = TicketPreview(render_ticket(ticket), f"Charge ticket {ticket.ticket_number}")
    qtbot.addWidget(preview)
    free = QRect(0, 0, screen[0], screen[1] - TASKBAR)
    preview.fit_to(free)
    preview.show()
    qtbot.waitExposed(preview)
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    frame = preview.frameGeometry()
    assert frame.height() <= free.height() and frame.width() <= free.width()
    assert free.contains(preview.geometry())
    dialog = preview.rect()
    for button in (preview.print_button, preview.save_button, preview.close_button):
        box = QRect(button.mapTo(preview, button.rect().topLeft()), button.size())
        assert button.isVisible() and dialog.contains(box), button.objectName()
        assert box.top() < 120, "the actions are at the top, seen before the pages"
        assert button.height() >= BUTTON_HEIGHT and button.width() >= button.sizeHint().width()
    assert preview.print_button.isDefault()  # Enter prints
    for button in preview.findChildren(QPushButton):
        assert button.objectName() and button.accessibleName()
    assert preview.view.height() >= 0.6 * free.height()  # most of the dialog is the ticket
    qtbot.wait(700)  # QPdfView renders pages on a worker thread
    preview.grab().save(str(artifacts_dir / f"ticket_preview_{screen[0]}x{screen[1]}.png"))
