"""A clearly labeled page for an area that later work adds (review queue, reports, settings)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.ui.widgets import heading, hint


class PlaceholderPage(QWidget):
    def __init__(self, object_name: str, title: str, purpose: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setAccessibleName(f"{title} (not available yet)")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"{title}: not available yet"))
        note = hint(f"{purpose}\n\nThis area comes in a later version. Nothing here affects charges.")
        note.setAlignment(Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addStretch(1)
        self.caption = QLabel(title)
