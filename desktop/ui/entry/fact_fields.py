"""Widgets for documented facts made from their definition (desktop.records), read and written by field name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from desktop.records.fields import FieldDoc, FieldKind, field_docs
from desktop.ui.widgets import named


def fact_widget(doc: FieldDoc) -> QWidget:
    """The input for one documented fact: a check box, a text box, or a line with the fact's length limit."""
    if doc.kind is FieldKind.FLAG:
        return named(QCheckBox(doc.label), doc.name, doc.spoken or doc.label)
    if doc.kind is FieldKind.LONG_TEXT:
        text = named(QPlainTextEdit(), doc.name, doc.spoken or doc.label)
        text.setPlaceholderText(doc.hint)
        text.setTabChangesFocus(True)  # keep the keyboard flow moving with Tab
        return text
    line = named(QLineEdit(), doc.name, doc.spoken or doc.label)
    line.setPlaceholderText(doc.hint or ("10 digits" if doc.kind is FieldKind.NPI else ""))
    line.setMaxLength(doc.max_length)
    return line


W = TypeVar("W", bound=QWidget)


def of_kind(widget: QWidget, kind: type[W]) -> W:
    """`widget` as the kind its field definition makes it (a definition that changed kind fails here, at once)."""
    if not isinstance(widget, kind):
        raise TypeError(f"{widget.objectName()} is a {type(widget).__name__}, not a {kind.__name__}")
    return widget


def raw_value(widget: QWidget) -> Any:
    """Exactly what was typed (for drafts: mistakes included), or yes/no."""
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return of_kind(widget, QLineEdit).text()


def widget_value(widget: QWidget) -> Any:
    """What a fact widget holds, as the record keeps it: text trimmed (blank is None) or yes/no."""
    value = raw_value(widget)
    return value if isinstance(value, bool) else value.strip() or None


def set_widget_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText("" if value is None else str(value))
    else:
        of_kind(widget, QLineEdit).setText("" if value is None else str(value))


def connect_changed(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call `slot()` (no arguments) whenever the fact changes."""
    if isinstance(widget, QCheckBox):
        widget.toggled.connect(lambda _on: slot())
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    else:
        of_kind(widget, QLineEdit).textChanged.connect(lambda _text: slot())


def read_facts(record_type: type, widgets: dict[str, QWidget], given: dict[str, Any]) -> Any:
    """A record of `record_type` from the widgets by field name; `given` supplies facts not on the form."""
    values = {doc.name: widget_value(widgets[doc.name]) for doc in field_docs(record_type) if doc.name in widgets}
    return record_type(**(values | given))


def write_facts(record: Any, widgets: dict[str, QWidget]) -> None:
    for doc in field_docs(type(record)):
        if doc.name in widgets:
            set_widget_value(widgets[doc.name], getattr(record, doc.name))
