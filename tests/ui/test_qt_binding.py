"""Guards against Qt binding releases that corrupt reference counts (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton


class _Emitter(QObject):
    flag = Signal(bool)


def test_button_click_keeps_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    button = QPushButton("Accept")
    qtbot.addWidget(button)
    button.clicked.connect(lambda: None)
    before = sys.getrefcount(None)
    for _ in range(200):
        button.click()
    assert sys.getrefcount(None) >= before - 20  # 6.12.0 loses one reference per click


def test_bool_signal_keeps_true_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    seen: list[bool] = []
    emitter.flag.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.flag.emit(True)
    assert len(seen) == 200
    assert sys.getrefcount(True) >= before - 20
