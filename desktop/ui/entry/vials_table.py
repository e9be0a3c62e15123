"""The opened vials: one row per NDC and lot with its label, lot, expiry, count, the serial of every scanned vial
and the 340B source as an explicit answer (340B stock / not 340B), all touch-sized."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.billing.catalog import Package
from desktop.facade.chair_types import VialEntry
from desktop.ui.field_checks import MAX_VIALS
from desktop.ui.widgets import FieldMessages, button, caption, hint, message_label, named

EXPIRY_WORDS = "Expiry must be MM/YYYY, MM/DD/YYYY or YYYY-MM-DD (e.g. 06/2027)."


def parse_expiry(text: str) -> dt.date | None:
    """YYYY-MM-DD, MM/DD/YYYY or MM/YYYY (end of that month); None when blank or unreadable.

    "6/27" is refused: it may be June 27 or June 2027, and a wrong expiry on a claim is worse than asking.
    """
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


def _choice(text: str, object_name: str, accessible: str) -> QPushButton:
    choice = button(text, object_name, accessible)
    choice.setCheckable(True)
    choice.setProperty("role", "choice")
    return choice


class VialRow(QFrame):
    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, index: int, package: Package, count: int, acquired_340b: bool | None,
                 lot: str = "", expiry: dt.date | None = None, serials: tuple[str, ...] = (),
                 source_words: str = "") -> None:
        super().__init__()
        self.setProperty("role", "line")
        self.setObjectName(f"vial_{index}")
        self.package = package
        self.serials: list[str] = list(serials)
        self.scanned_at: dict[str, dt.datetime] = {}
        tag = f"vial_{index}"
        number = index + 1
        dose = "single-dose" if package.dose_type.value == "single" else "MULTIPLE-dose"
        self.title = QLabel(f"<b>{package.ndc}</b>  {package.label_mg.normalize():f} mg {dose}")
        self.title.setWordWrap(True)
        self.title.setObjectName(f"{tag}_title")
        self.serial_words = hint("")
        self.serial_words.setObjectName(f"{tag}_serials")
        self.lot = named(QLineEdit(lot), f"{tag}_lot", f"Lot of vial row {number}")
        for field in (self.lot,):
            field.setMinimumWidth(60)
        self.expiry = named(QLineEdit(expiry.strftime("%m/%d/%Y") if expiry else ""), f"{tag}_expiry",
                            f"Expiry of vial row {number}")
        self.expiry.setPlaceholderText("MM/YYYY")
        self.expiry.setMinimumWidth(90)
        self.count_label = QLabel("")
        self.count_label.setObjectName(f"{tag}_count")
        self.count_label.setAccessibleName(f"Number of vials in row {number}")
        self.fewer = button("\u2212", f"{tag}_fewer", f"One vial fewer in row {number}")
        self.more = button("+", f"{tag}_more", f"One vial more in row {number}")
        self.is_340b = _choice("Yes", f"{tag}_340b", f"Row {number} vials are 340B stock")
        self.not_340b = _choice("No", f"{tag}_not_340b", f"Row {number} vials are not 340B stock")
        self.source = QButtonGroup(self)
        self.source.addButton(self.is_340b)
        self.source.addButton(self.not_340b)
        if acquired_340b is not None:
            (self.is_340b if acquired_340b else self.not_340b).setChecked(True)
        self.source_words = hint(f"340B: {source_words}" if source_words else "")  # until someone answers
        self.source_words.setObjectName(f"{tag}_340b_source")
        self.remove = button("\u2715", f"{tag}_remove", f"Remove vial row {number}")
        self.remove.setToolTip("Remove this row of vials")
        self.message = message_label(f"{tag}_message")
        self.expiry_messages = FieldMessages(self.expiry, self.message)
        self.count = count

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.remove)
        notes = QHBoxLayout()
        notes.addWidget(self.serial_words, 1)
        notes.addWidget(self.source_words)
        counting = QHBoxLayout()
        for widget in (self.fewer, self.count_label, self.more):
            counting.addWidget(widget)
        counting.addStretch(1)
        counting.addWidget(caption("340B:", self.is_340b))
        counting.addWidget(self.is_340b)
        counting.addWidget(self.not_340b)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 2, 6, 2)
        grid.setVerticalSpacing(2)
        grid.addLayout(head, 0, 0, 1, 4)
        grid.addLayout(notes, 1, 0, 1, 4)
        grid.addWidget(caption("Lot", self.lot), 2, 0)
        grid.addWidget(self.lot, 2, 1)
        grid.addWidget(caption("Expiry", self.expiry), 2, 2)
        grid.addWidget(self.expiry, 2, 3)
        grid.addLayout(counting, 3, 0, 1, 4)
        grid.addWidget(self.message, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._show_count()
        self._mark_source()

        for field in (self.lot, self.expiry):
            field.textChanged.connect(self.changed)
        self.fewer.clicked.connect(lambda: self.set_count(self.count - 1))
        self.more.clicked.connect(lambda: self.set_count(self.count + 1))
        self.source.buttonToggled.connect(self._answered)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    # the count: scanned vials cannot be counted away (remove the row instead), nor more than a chair uses
    def set_count(self, count: int) -> None:
        count = max(len(self.serials), 1, min(MAX_VIALS, count))
        if count != self.count:
            self.count = count
            self._show_count()
            self.changed.emit()

    def _show_count(self) -> None:
        self.count_label.setText(f"{self.count} vial{'s' if self.count != 1 else ''}")
        self.fewer.setEnabled(self.count > max(len(self.serials), 1))
        self.more.setEnabled(self.count < MAX_VIALS)
        scanned = len(self.serials)
        self.serial_words.setText("" if not scanned else f"{scanned} scanned, serials kept")
        self.serial_words.setToolTip("Serials (GS1 AI 21): " + ", ".join(self.serials) if scanned else "")
        self.serial_words.setAccessibleDescription(self.serial_words.toolTip())
        self.serial_words.setVisible(bool(scanned))
        self.serial_words.setWordWrap(True)

    def add_scanned(self, serial: str, at: dt.datetime) -> None:
        """One more vial of this row read by the scanner (its serial kept, when the barcode carries one)."""
        if serial:
            self.serials.append(serial)
            self.scanned_at[serial] = at
        self.count += 1
        self._show_count()
        self.changed.emit()

    # the 340B source: an answer for every row, never a silent "not 340B"
    @property
    def acquired_340b(self) -> bool | None:
        if self.is_340b.isChecked():
            return True
        return False if self.not_340b.isChecked() else None

    def take_default(self, answer: bool, words: str) -> None:
        """The site's default 340B answer for a row nobody has answered (the facility settings arrived after the
        vial was scanned); an answer given stays."""
        if self.acquired_340b is not None:
            return
        with QSignalBlocker(self.source):
            (self.is_340b if answer else self.not_340b).setChecked(True)
        self.source_words.setText(f"340B: {words}")
        self.source_words.setVisible(True)
        self._mark_source()
        self.changed.emit()

    def _answered(self, _button: object, checked: bool) -> None:
        if checked:
            self.source_words.setText("")
            self.source_words.setVisible(False)
            self._mark_source()
            self.changed.emit()

    def _mark_source(self) -> None:
        unanswered = "true" if self.acquired_340b is None else "false"
        for choice in (self.is_340b, self.not_340b):
            choice.setProperty("unanswered", unanswered)
            choice.style().unpolish(choice)
            choice.style().polish(choice)

    def expiry_problem(self) -> str:
        return EXPIRY_WORDS if self.expiry.text().strip() and parse_expiry(self.expiry.text()) is None else ""

    def entry(self) -> VialEntry:
        return VialEntry(self.package.ndc, self.count, self.acquired_340b, self.lot.text().strip(),
                         parse_expiry(self.expiry.text()), tuple(self.serials))

    def focus_chain(self) -> list[QWidget]:
        return [self.lot, self.expiry, self.fewer, self.more, self.is_340b, self.not_340b, self.remove]


class VialsTable(QWidget):
    changed = Signal()
    rows_changed = Signal()  # a row came or went: the Tab order is laid again

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("vials_table")
        self.rows: list[VialRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.empty = hint("No vials yet: scan a vial, or pick a size and count.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("vials_empty")
        self._layout.addWidget(self.empty)

    def row_for(self, package: Package, lot: str, expiry: dt.date | None) -> VialRow | None:
        """The row a scanned vial joins: same NDC, lot and expiry."""
        return next((row for row in self.rows if row.package.ndc == package.ndc and row.lot.text().strip() == lot
                     and row.entry().expiry == expiry), None)

    def add(self, package: Package, count: int, acquired_340b: bool | None, lot: str = "",
            expiry: dt.date | None = None, serials: tuple[str, ...] = (), source_words: str = "") -> VialRow:
        """A new row (vials picked by size are a row of their own, so their lot and expiry can be typed)."""
        row = VialRow(len(self.rows), package, count, acquired_340b, lot, expiry, serials, source_words)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self.rows.append(row)
        self._layout.addWidget(row)
        self.empty.setVisible(False)
        self.changed.emit()
        self.rows_changed.emit()
        return row

    def entries(self) -> tuple[VialEntry, ...]:
        return tuple(row.entry() for row in self.rows)

    def scanned_serials(self) -> dict[str, dt.datetime | None]:
        """Every serial on the form, with when it was scanned (None for a restored draft or a correction)."""
        return {serial: row.scanned_at.get(serial) for row in self.rows for serial in row.serials}

    def _remove(self, row: VialRow) -> None:
        self.rows.remove(row)
        row.hide()  # before leaving its parent: a queued show must not open it as a window (see preview_panel)
        row.setParent(None)
        row.deleteLater()
        self.empty.setVisible(not self.rows)
        self.changed.emit()
        self.rows_changed.emit()

    def clear(self) -> None:
        for row in list(self.rows):
            self._remove(row)
