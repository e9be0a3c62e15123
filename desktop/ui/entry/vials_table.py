"""The opened vials: one touch-sized row per NDC with lot, expiry, count and a 340B toggle."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QGridLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from desktop.billing.catalog import Package
from desktop.services.preview import VialEntry
from desktop.ui.field_checks import MAX_VIALS
from desktop.ui.widgets import button, hint, message_label, named


def parse_expiry(text: str) -> dt.date | None:
    """YYYY-MM-DD, MM/DD/YYYY or MM/YYYY (end of that month); None when blank or unreadable."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            return dt.datetime.strptime(text, "%m/%d/%Y").date()
        if re.fullmatch(r"\d{1,2}/\d{4}", text):
            month, year = (int(p) for p in text.split("/"))
            first_next = dt.date(year + month // 12, month % 12 + 1, 1)
            return first_next - dt.timedelta(days=1)
    except ValueError:
        return None
    return None


class VialRow(QFrame):
    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, index: int, package: Package, count: int, acquired_340b: bool,
                 lot: str = "", expiry: dt.date | None = None, serial: str = "") -> None:
        super().__init__()
        self.setProperty("role", "line")
        self.package = package
        self.serial = serial
        tag = f"vial_{index}"
        dose = "single-dose" if package.dose_type.value == "single" else "MULTIPLE-dose"
        self.title = QLabel(f"<b>{package.ndc}</b>  {package.label_mg.normalize():f} mg {dose}")
        self.title.setObjectName(f"{tag}_title")
        self.lot = named(QLineEdit(lot), f"{tag}_lot", f"Lot of vial row {index + 1}")
        self.lot.setPlaceholderText("Lot")
        self.expiry = named(QLineEdit(expiry.strftime("%m/%d/%Y") if expiry else ""), f"{tag}_expiry",
                            f"Expiry of vial row {index + 1}")
        self.expiry.setPlaceholderText("Expiry MM/YYYY")
        self.count = named(QSpinBox(), f"{tag}_count", f"Number of vials in row {index + 1}")
        self.count.setRange(1, MAX_VIALS)
        self.count.setValue(count)
        self.count.setSuffix(" vial(s)")
        self.is_340b = named(QCheckBox("340B stock"), f"{tag}_340b", f"Row {index + 1} vials are 340B stock")
        self.is_340b.setChecked(acquired_340b)
        self.remove = button("Remove", f"{tag}_remove", f"Remove vial row {index + 1}")
        self.message = message_label(f"{tag}_message")

        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0, 1, 3)
        grid.addWidget(self.remove, 0, 3)
        grid.addWidget(self.lot, 1, 0)
        grid.addWidget(self.expiry, 1, 1)
        grid.addWidget(self.count, 1, 2)
        grid.addWidget(self.is_340b, 1, 3)
        grid.addWidget(self.message, 2, 0, 1, 4)
        for field in (self.lot, self.expiry):
            field.textChanged.connect(self.changed)
        self.count.valueChanged.connect(self.changed)
        self.is_340b.toggled.connect(lambda _on: self.changed.emit())
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def entry(self) -> VialEntry:
        expiry = parse_expiry(self.expiry.text())
        bad = bool(self.expiry.text().strip()) and expiry is None
        self.message.setText("\u26a0 Expiry must be MM/YYYY or MM/DD/YYYY." if bad else "")
        self.message.setVisible(bad)
        return VialEntry(self.package.ndc, self.count.value(), self.is_340b.isChecked(),
                         self.lot.text().strip(), expiry, self.serial)


class VialsTable(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("vials_table")
        self.rows: list[VialRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.empty = hint("No vials yet: scan a vial or pick a size and count above.")
        self.empty.setObjectName("vials_empty")
        self._layout.addWidget(self.empty)

    def add(self, package: Package, count: int, acquired_340b: bool, lot: str = "",
            expiry: dt.date | None = None, serial: str = "") -> VialRow:
        for row in self.rows:
            same_lot = row.lot.text().strip() == lot and lot
            if row.package.ndc == package.ndc and (same_lot or (not lot and not row.lot.text().strip())):
                row.count.setValue(row.count.value() + count)  # a second scan of the same lot adds a vial
                return row
        row = VialRow(len(self.rows), package, count, acquired_340b, lot, expiry, serial)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self.rows.append(row)
        self._layout.addWidget(row)
        self.empty.setVisible(False)
        self.changed.emit()
        return row

    def entries(self) -> tuple[VialEntry, ...]:
        return tuple(row.entry() for row in self.rows)

    def _remove(self, row: VialRow) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self.empty.setVisible(not self.rows)
        self.changed.emit()

    def clear(self) -> None:
        for row in list(self.rows):
            self._remove(row)
