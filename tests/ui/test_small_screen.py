"""The window fits a 1366 x 768 cart laptop, whatever areas the role has, and no action's words are cut."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from desktop.ui.main_window import MainWindow

SCREEN = (1366, 768)


def test_the_window_fits_a_small_screen_with_every_area(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    # The fixture's user has every area (no accounts yet); each is built when first shown, so all are visited
    # before the window's size is asked: then the widest pages are all in the stack.
    window.resize(*SCREEN)
    for row in range(window.pages.count()):
        window.nav.setCurrentRow(row)
        qtbot.wait(10)
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1] - 40  # room for a taskbar
    window.nav.setCurrentRow(0)
    qtbot.wait(10)
    for action in window.entry_page.findChildren(QPushButton):
        if action.isVisible() and action.text():
            assert action.width() >= action.sizeHint().width() - 1, action.objectName()
