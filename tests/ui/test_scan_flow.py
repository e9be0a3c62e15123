"""Scanning a vial: raw key events with a GS separator reach the parser through the event filter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.interop.gs1 import GS, gtin_for_ndc10
from desktop.ui.main_window import MainWindow

GTIN = gtin_for_ndc10("0078066913")


def _send_gs(widget: object) -> None:
    """A scanner sends the group separator as a key press whose text is ASCII 29."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier, GS)
        QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


def test_scan_with_gs_separator_adds_a_vial_and_picks_the_drug(window: MainWindow) -> None:
    page = window.entry_page
    scan = page.drug.scan
    scan.setFocus()
    QTest.keyClicks(scan, f"]d201{GTIN}1727033110ABC123")
    _send_gs(scan)
    QTest.keyClicks(scan, "21SER99")
    QTest.keyClick(scan, Qt.Key.Key_Return)

    assert page.drug.drug is not None and page.drug.drug.hcpcs == "J9302"
    [row] = page.drug.vials.rows
    assert row.package.ndc == "0078-0669-13"
    assert (row.lot.text(), row.expiry.text(), row.serials) == ("ABC123", "03/31/2027", ["SER99"])
    assert not page.drug.scan_message.isVisible()
    assert scan.text() == ""  # ready for the next vial


def scan_keys(widget: object, raw: str) -> None:
    """Type a whole scan as a scanner does; QTest.keyClicks cannot send ASCII 29 itself (Qt aborts)."""
    parts = raw.split(GS)
    for index, part in enumerate(parts):
        QTest.keyClicks(widget, part)  # type: ignore[call-overload]
        if index < len(parts) - 1:
            _send_gs(widget)
    QTest.keyClick(widget, Qt.Key.Key_Return)  # type: ignore[call-overload]


def test_three_scans_of_one_lot_make_one_row_of_three(window: MainWindow) -> None:
    page = window.entry_page
    for serial in ("S1", "S2", "S3"):
        scan_keys(page.drug.scan, f"01{GTIN}17270300" f"10LOT9{GS}21{serial}")
    [row] = page.drug.vials.rows  # same lot three times: one row, three vials, each serial kept
    assert row.count == 3 and row.lot.text() == "LOT9" and row.serials == ["S1", "S2", "S3"]


def test_scan_without_separator_is_refused_with_a_rescan_request(window: MainWindow) -> None:
    page = window.entry_page
    QTest.keyClicks(page.drug.scan, f"]d201{GTIN}1727033110ABC12321XYZ9")
    QTest.keyClick(page.drug.scan, Qt.Key.Key_Return)
    assert page.drug.vials.rows == []
    assert page.drug.scan_message.isVisible()
    assert "scan the vial again" in page.drug.scan_message.text()


def test_scan_of_a_vial_not_in_the_catalog_says_so(window: MainWindow) -> None:
    page = window.entry_page
    QTest.keyClicks(page.drug.scan, f"01{gtin_for_ndc10('1234567890')}10L1")
    QTest.keyClick(page.drug.scan, Qt.Key.Key_Return)
    assert page.drug.vials.rows == []
    assert "not in the drug catalog" in page.drug.scan_message.text()
