"""What the Administration pages share: the changes an administrator's write makes, and its words on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.ui.operations import OpChanges


def audited(kind: str) -> OpChanges:
    """A change of `kind` (settings, users, catalog, reference): every such write also adds to the audit trail."""
    return OpChanges(frozenset({kind, "audit"}))


def say(message: QLabel, text: str, ok: bool = False) -> None:
    """`text` in the page's message line, marked done (a tick) or wrong (a warning); empty hides the line."""
    message.setText(("\u2714 " if ok else "\u26a0 ") + text if text else "")
    message.setProperty("role", "hint" if ok else "message")
    message.style().unpolish(message)
    message.style().polish(message)
    message.setVisible(bool(text))
