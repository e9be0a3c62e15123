"""Reports page on a real store: the same tables as the PDFs, the waste chart, saving the PDF, a screenshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QDateEdit, QTableWidget

from desktop.services import Store, open_store
from desktop.ui.reports.reports_page import ReportsPage
from desktop.ui.theme import apply_theme
from tests.services.conftest import DOS, pg_schema, store_url  # noqa: F401 - fixtures: SQLite and PostgreSQL
from tests.services.test_reports import known  # noqa: F401 - the hand-computed data set
from tests.ui.admin_pages import doorway


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def page(qtbot: Any, store: Store, known: dict[str, int], tmp_path: Path) -> Iterator[ReportsPage]:  # noqa: F811
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    widget = ReportsPage(*doorway(store, "biller", tmp_path), today=DOS)
    qtbot.addWidget(widget)
    widget.resize(1500, 1100)
    widget.show()
    yield widget
    QThreadPool.globalInstance().waitForDone(10000)


def show(qtbot: Any, page: ReportsPage, kind: str, start: dt.date, end: dt.date) -> None:
    page.set_report(kind, start, end)
    page.document = None
    page.show_button.click()
    qtbot.waitUntil(lambda: page.document is not None, timeout=10000)


def cells(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_waste_table_and_chart(page: ReportsPage, qtbot: Any) -> None:
    show(qtbot, page, "waste", dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    rows = cells(page.view.tables[0])
    assert rows == [
        ["nivolumab (J9299)", "2026-11", "2", "1", "1", "0"],
        ["ofatumumab (J9302)", "2026-10", "1", "25", "2.5", "2"],
        ["ofatumumab (J9302)", "2026-11", "4", "100", "10", "8"],
    ]
    assert page.view.chart.isVisible() and page.view.chart.chart is not None
    assert "ofatumumab (J9302): 2026-10 25, 2026-11 100" in page.view.chart.accessibleDescription()


def test_reconciliation_and_340b_tables(page: ReportsPage, qtbot: Any, known: dict[str, int]) -> None:  # noqa: F811
    show(qtbot, page, "reconciliation", DOS, DOS)
    titles = [t.accessibleName() for t in page.view.tables]
    assert "Administrations without an accepted charge (2)" in titles and "Voided (1)" in titles
    held = next(t for t in page.view.tables if t.accessibleName().startswith("Held charges"))
    assert [r[0] for r in cells(held)] == ["payer query", "vial count query"]
    assert not page.view.chart.isVisible()
    show(qtbot, page, "340b", DOS, DOS)
    assert cells(page.view.tables[0]) == [
        ["Commercial", "no 340B modifier", "yes", "2", "30", "2"],
        ["Medicare", "TB", "yes", "2", "30", "2"],
        ["Medicare", "no 340B modifier", "no", "4", "60", "4"],
    ]


def test_save_pdf_and_names(page: ReportsPage, qtbot: Any, tmp_path: Path) -> None:
    show(qtbot, page, "waste", dt.date(2026, 10, 1), DOS)
    page.save_pdf(tmp_path / "waste.pdf")
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"), timeout=10000)
    text = PdfReader(str(tmp_path / "waste.pdf")).pages[0].extract_text()
    assert "Drug waste" in text and "JW units billed" in text
    for kind in (QAbstractButton, QComboBox, QDateEdit, QTableWidget):
        for widget in page.findChildren(kind):
            if widget.objectName().startswith("qt_") or (widget.parent() and widget.parent().inherits("QComboBox")):
                continue
            assert widget.objectName() and widget.accessibleName(), widget


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # one set of screenshots is enough
def test_screenshots_for_billers(page: ReportsPage, qtbot: Any, store: Store, artifacts_dir: Path) -> None:
    show(qtbot, page, "waste", dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    page.grab().save(str(artifacts_dir / "reports_waste.png"))
    show(qtbot, page, "reconciliation", DOS, DOS)
    page.grab().save(str(artifacts_dir / "reports_reconciliation.png"))
