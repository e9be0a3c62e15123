"""Captures a barcode scanner's raw keystrokes, GS separators included, which Qt text fields would drop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

GS = "\x1d"
GS_SHOWN = "\u241d"  # the visible "GS" symbol, so the nurse sees the separator arrived
_ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


class ScanCapture(QObject):
    """Event filter for the scan field: keeps every character a scanner types and emits the whole scan on Enter.

    Scanners act as keyboards; a GS1 DataMatrix sends its group separator as a
    key whose text is ASCII 29 (often as Ctrl+]). QLineEdit ignores that
    character, so the filter records the text of each key press itself and
    only shows a readable copy in the field.
    """

    scanned = Signal(str)

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self._field = field
        self._buffer: list[str] = []
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._field:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            if isinstance(event, QKeyEvent) and event.text() == GS:
                event.accept()  # keep Ctrl+] from firing a shortcut; it is part of the scan
                return True
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in _ENDS:
            if event.key() == Qt.Key.Key_Tab and not self._buffer:
                return False  # an empty field: Tab moves focus as usual
            self._finish()
            return True
        if event.key() == Qt.Key.Key_Escape and self._buffer:
            self.clear()
            return True
        if event.key() == Qt.Key.Key_Backspace:
            if self._buffer:
                self._buffer.pop()
                self._show()
            return True
        text = event.text()
        if text and (text == GS or text.isprintable()):
            self._buffer.append(text)
            self._show()
            return True
        return False

    def raw(self) -> str:
        return "".join(self._buffer)

    def clear(self) -> None:
        self._buffer.clear()
        self._show()

    def _show(self) -> None:
        self._field.setText(self.raw().replace(GS, GS_SHOWN))

    def _finish(self) -> None:
        raw = self.raw()
        self.clear()
        if raw:
            self.scanned.emit(raw)
