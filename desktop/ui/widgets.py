"""Small building blocks every screen uses: naming for tests and screen readers, labeled fields with messages."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QWidget,
)

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str, description: str = "") -> W:
    """Give a widget the names tests, screen readers and keyboard users find it by."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


def button(text: str, object_name: str, accessible_name: str | None = None) -> QPushButton:
    widget = named(QPushButton(text), object_name, accessible_name or text.replace("&", ""))
    widget.setAutoDefault(False)
    return widget


def message_label(object_name: str) -> QLabel:
    """The place beside a field where its validation message appears, in words."""
    label = QLabel("")
    label.setObjectName(object_name)
    label.setProperty("role", "message")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


class FieldMessages:
    """Shows or clears the words under a field: a problem (marks the field invalid for the stylesheet) or a
    note saying how the entry was understood (e.g. "understood as C91.10")."""

    def __init__(self, field: QWidget, label: QLabel) -> None:
        self.field = field
        self.label = label

    @property
    def problem(self) -> bool:
        return self.label.property("role") == "message" and bool(self.label.text())

    def show(self, message: str, note: bool = False) -> None:
        text = (f"\u2139 {message}" if note else f"\u26a0 {message}") if message else ""
        role = "hint" if note else "message"
        if text == self.label.text() and self.label.property("role") == role:
            return  # repolishing is costly; the preview refreshes on every keystroke
        self.label.setText(text)
        self.label.setVisible(bool(message))
        self.label.setProperty("role", role)
        self.field.setProperty("invalid", "true" if message and not note else "false")
        self.field.setAccessibleDescription(message)
        for widget in (self.field, self.label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


def add_row(grid: QGridLayout, row: int, caption: str, field: QWidget, message: QLabel | None = None,
            column: int = 0, span: int = 1) -> None:
    """Caption left, field right, message under the field; the caption's mnemonic focuses the field."""
    label = QLabel(caption)
    label.setBuddy(field)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    grid.addWidget(label, row * 2, column)
    grid.addWidget(field, row * 2, column + 1, 1, span)
    if message is not None:
        grid.addWidget(message, row * 2 + 1, column + 1, 1, span)


def caption(text: str, field: QWidget) -> QLabel:
    """A visible label for `field` (never only a placeholder): its mnemonic focuses the field."""
    label = QLabel(text)
    label.setBuddy(field)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def pair_row(grid: QGridLayout, row: int, pairs: list[tuple[str, QWidget]], message: QLabel | None = None) -> None:
    """Captioned fields side by side on one grid row (caption, field, caption, field, ...); a message under it."""
    for number, (text, field) in enumerate(pairs):
        grid.addWidget(caption(text, field), row * 2, number * 2)
        grid.addWidget(field, row * 2, number * 2 + 1)
    if message is not None:
        grid.addWidget(message, row * 2 + 1, 1, 1, max(1, len(pairs) * 2 - 1))


def boxed(*widgets: QWidget, stretch_first: bool = True) -> QWidget:
    """Widgets in one row without margins (a field with its button), as one cell of a grid."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for number, widget in enumerate(widgets):
        row.addWidget(widget, 1 if number == 0 and stretch_first else 0)
    return box


class DateField(QDateEdit):
    """A date box that Tab leaves in one press (a plain QDateEdit walks its month, day and year first)."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


def scrolled(inner: QWidget, object_name: str = "") -> QScrollArea:
    """`inner` in a scroll area that resizes it: on a small screen it scrolls instead of being cut off, and a
    finger drags the content itself (touch screens) besides the touch-sized scroll bar."""
    area = QScrollArea()
    area.setObjectName(object_name or f"{inner.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setWidget(inner)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


def fit_buttons(root: QWidget) -> None:
    """No button under `root` gets narrower than its words (style sheets let layouts squeeze them)."""
    for push in root.findChildren(QPushButton):
        push.setMinimumWidth(push.sizeHint().width())
