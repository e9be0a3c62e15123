"""The Reports page once ASP payment limits are imported: the waste table and chart in dollars (hand-computed
totals from tests/services/test_reference_dollars.py), the 340B table with dollars; screenshots 1366x768 and
1920x1080."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QTableWidget

from desktop.services import Store, open_store
from desktop.ui.reports.reports_page import ReportsPage
from desktop.ui.theme import apply_theme
from tests.services.test_reference_dollars import PERIOD, priced_charges
from tests.ui.admin_pages import doorway

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def page(qtbot: Any, tmp_path: Path) -> Iterator[ReportsPage]:
    store: Store = open_store(f"sqlite:///{tmp_path / 'priced.sqlite3'}")
    priced_charges(store)
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    widget = ReportsPage(*doorway(store, "biller", tmp_path), today=dt.date(2026, 11, 30))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    QThreadPool.globalInstance().waitForDone(10000)
    store.close()


def show(qtbot: Any, page: ReportsPage, kind: str) -> None:
    page.set_report(kind, *PERIOD)
    page.document = None
    page.show_button.click()
    qtbot.waitUntil(lambda: page.document is not None, timeout=10000)


def cells(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def snap(page: ReportsPage, name: str, size: tuple[int, int]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.resize(*size)
    for _ in range(5):
        QApplication.processEvents()
    assert page.grab().save(str(ARTIFACTS / name))


def test_waste_and_340b_in_dollars_on_screen(qtbot: Any, page: ReportsPage) -> None:
    show(qtbot, page, "waste")
    assert cells(page.view.tables[0]) == [
        ["nivolumab (J9299)", "2026-11", "2", "21", "21", "21", "$599.36", "1", "$28.54"],
        ["ofatumumab (J9302)", "2026-11", "2", "50", "5", "4", "$253.82", "0", "$0.00"],
        ["ofatumumab (J9302)", "2027-01", "1", "25", "2.5", "2", "$130.00", "0", "$0.00"],
    ]
    chart = page.view.chart.chart
    assert chart is not None and chart.value_label == "dollars at the ASP payment limit"
    assert "nivolumab (J9299): 2026-11 627.9, 2027-01 0" in page.view.chart.accessibleDescription()
    snap(page, "reports-waste-dollars-1366x768.png", (1366, 768))
    snap(page, "reports-waste-dollars-1920x1080.png", (1920, 1080))
    show(qtbot, page, "340b")
    assert [row[-2:] for row in cells(page.view.tables[0])] == [["$1,903.68", "$126.91"], ["$10,703.52", "$856.27"]]
