"""Helpers that drive the entry screen the way a nurse does: typing, clicking, scanning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from desktop.ui.main_window import MainWindow


def type_into(widget: object, text: str) -> None:
    QTest.keyClicks(widget, text)  # type: ignore[call-overload]


def enter_new_patient(window: MainWindow, mrn: str = "100234", name: str = "Rivera, Ana",
                      born: str = "03/14/1956") -> None:
    section = window.entry_page.patient
    type_into(section.search, mrn)
    QTest.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    section.mrn.clear()
    type_into(section.mrn, mrn)
    type_into(section.name, name)
    type_into(section.birth_date, born)


def pick_drug(window: MainWindow, search: str = "arzerra") -> None:
    section = window.entry_page.drug
    type_into(section.search, search)
    assert section.results.isVisible()
    QTest.keyClick(section.search, Qt.Key.Key_Return)


def add_vials(window: MainWindow, count: int, ndc: str = "0078-0669-13", is_340b: bool = True) -> None:
    """Vials by size and count, and the row's 340B answer (every vial needs one)."""
    section = window.entry_page.drug
    section.package.setCurrentIndex(section.package.findData(ndc))
    section.count.clear()
    type_into(section.count, str(count))
    QTest.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    row = next(r for r in reversed(section.vials.rows) if r.package.ndc == section.package.currentData())
    QTest.mouseClick(row.is_340b if is_340b else row.not_340b, Qt.MouseButton.LeftButton)


def fill_j9302(window: MainWindow, lot: str = "OF2201", expiry: str = "06/2027", consent: bool = True) -> None:
    """The issue's case: 3 x 100 mg ofatumumab, 275 mg given, 25 mg discarded, Medicare, 340B, fully documented
    (lot, expiry, times, witness, consent) unless told otherwise."""
    page = window.entry_page
    enter_new_patient(window)
    type_into(page.visit.diagnoses, "C91.10")
    type_into(page.amounts.ordered_dose, "275")
    type_into(page.amounts.start, "09:00")
    type_into(page.amounts.stop, "10:10")
    pick_drug(window)
    add_vials(window, 3)
    row = page.drug.vials.rows[-1]
    type_into(row.lot, lot)
    type_into(row.expiry, expiry)
    type_into(page.amounts.administered, "275")
    type_into(page.amounts.witness, "Lee, RN")
    page.amounts.consent.setChecked(consent)


def snap(window: MainWindow, path: object, show_amounts: bool = True, show: QWidget | None = None) -> None:
    """Screenshot for people: let queued layout run, and scroll the form to the amounts (or to `show`)."""
    if show_amounts or show is not None:
        area = window.entry_page.findChild(QScrollArea, "form_scroll")
        assert area is not None
        QApplication.processEvents()
        area.ensureWidgetVisible(show or window.entry_page.amounts, 0, 0)
    for _ in range(3):
        QApplication.processEvents()
    window.grab().save(str(path))
