"""Small building blocks every screen uses: naming for tests and screen readers, labeled fields with messages."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QWidget

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
    """Shows or clears the message next to a line edit and marks the field invalid for the stylesheet."""

    def __init__(self, field: QLineEdit, label: QLabel) -> None:
        self.field = field
        self.label = label

    def show(self, message: str) -> None:
        text = f"\u26a0 {message}" if message else ""
        if text == self.label.text():
            return  # repolishing is costly; the preview refreshes on every keystroke
        self.label.setText(text)
        self.label.setVisible(bool(message))
        self.field.setProperty("invalid", "true" if message else "false")
        self.field.setAccessibleDescription(message)
        style = self.field.style()
        style.unpolish(self.field)
        style.polish(self.field)


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


def scrolled(inner: QWidget, object_name: str = "") -> QScrollArea:
    """`inner` in a scroll area that resizes it: on a small screen it scrolls instead of being cut off."""
    area = QScrollArea()
    area.setObjectName(object_name or f"{inner.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


def fit_buttons(root: QWidget) -> None:
    """No button under `root` gets narrower than its words (style sheets let layouts squeeze them)."""
    for push in root.findChildren(QPushButton):
        push.setMinimumWidth(push.sizeHint().width())
