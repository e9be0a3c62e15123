"""The Administration area's CMS data page with real widgets offscreen: a file in the published format is read off
the GUI thread with progress, previewed, applied; the same file again, a wrong kind and a bad line are said in
words; screenshots at 1366x768 and 1920x1080."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from desktop.ui.admin.reference_page import ReferencePage
from desktop.ui.theme import apply_theme
from tests.interop.cms_samples import CATALOG_ROWS, crosswalk_bytes, made_up_rows, price_bytes
from tests.ui.admin_pages import doorway

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
Q4 = dt.date(2026, 10, 1)


@pytest.fixture
def page(qtbot: Any, store: object, tmp_path: Path) -> ReferencePage:
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    shown = ReferencePage(*doorway(store, "admin", tmp_path))
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    QThreadPool.globalInstance().waitForDone(10000)


def preview(qtbot: Any, page: ReferencePage, path: Path) -> None:
    page.path.setText(str(path))
    page.preview_button.click()
    assert page.operation is not None and page.operation.running and not page.preview_button.isEnabled()
    qtbot.waitUntil(lambda: not page.operation.running, timeout=20000)  # type: ignore[union-attr]


def snap(page: ReferencePage, name: str, size: tuple[int, int]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.resize(*size)
    for _ in range(5):
        QApplication.processEvents()
    assert page.grab().save(str(ARTIFACTS / name))


def test_preview_with_progress_then_apply_then_the_same_file_again(qtbot: Any, page: ReferencePage,
                                                                   tmp_path: Path) -> None:
    source = tmp_path / "October 2026 ASP NDC-HCPCS Crosswalk.csv"
    source.write_bytes(crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(3000)], Q4))
    moves: list[tuple[int, int]] = []
    page.relay.moved.connect(lambda done, total: moves.append((done, total)))
    preview(qtbot, page, source)
    assert page.preview is not None and page.apply_button.isEnabled()
    assert moves and moves[-1][0] == moves[-1][1] and len(moves) >= 3  # progress reached the end on the GUI thread
    assert "3,007 rows read; 3,007 added, 0 changed, 0 no longer listed" in page.summary.text()
    assert page.changes.rowCount() == 3007 and page.tabs.tabText(0) == "Changes (3,007)"
    needs = [page.needs.rows[i] for i in range(page.needs.rowCount())]
    assert ("J9299", "69999-0101-01", "needs: single- or multiple-dose") in needs
    snap(page, "reference-preview-1366x768.png", (1366, 768))
    snap(page, "reference-preview-1920x1080.png", (1920, 1080))

    page.apply_button.click()
    qtbot.waitUntil(lambda: not page.operation.running, timeout=20000)  # type: ignore[union-attr]
    assert page.status.text().startswith("\u2714 Imported the ASP NDC-HCPCS crosswalk effective 2026 Q4")
    qtbot.waitUntil(lambda: page.versions.rowCount() == 1, timeout=10000)
    assert page.versions.rows[0][:4] == ("NDC-HCPCS crosswalk", "2026-10-01", "2026 Q4", "3,007")
    assert not page.apply_button.isEnabled() and page.tabs.currentIndex() == 2
    snap(page, "reference-versions-1366x768.png", (1366, 768))

    preview(qtbot, page, source)
    assert "This file holds the data already in force from 2026-10-01" in page.summary.text()
    assert not page.apply_button.isEnabled()


def test_a_wrong_kind_and_a_bad_line_are_said_in_words(qtbot: Any, page: ReferencePage, tmp_path: Path) -> None:
    prices = tmp_path / "October 2026 ASP Pricing File.csv"
    prices.write_bytes(price_bytes([("J9299", "1 MG", "28.541"), ("J9302", "10 MG", "-1")], Q4))
    page.kind.setCurrentIndex(page.kind.findData("crosswalk"))
    preview(qtbot, page, prices)
    assert page.preview is None and page.status.text() == (
        "\u26a0 This looks like the ASP pricing file (payment limits); expected the ASP NDC-HCPCS crosswalk.")
    page.kind.setCurrentIndex(0)
    preview(qtbot, page, prices)
    assert page.notes.isVisible() and "Problem: line 12: the payment limit for J9302 is -1" in page.notes.text()
    assert not page.apply_button.isEnabled() and "nothing can be applied" in page.summary.text()
    snap(page, "reference-problem-1366x768.png", (1366, 768))


def test_a_file_without_its_quarter_takes_the_date_given(qtbot: Any, page: ReferencePage, tmp_path: Path) -> None:
    from tests.interop.cms_samples import mue_bytes

    table = tmp_path / "mue.csv"
    table.write_bytes(mue_bytes([("J9299", 200, 3)]))
    preview(qtbot, page, table)
    assert "does not say which quarter" in page.notes.text() and not page.apply_button.isEnabled()
    page.as_file_says.setChecked(False)
    assert page.effective.isEnabled()
    page.effective.setDate(page.effective.date().fromString("2026-10-01", "yyyy-MM-dd"))
    preview(qtbot, page, table)
    assert page.apply_button.isEnabled() and "effective 2026 Q4 (2026-10-01)" in page.summary.text()


def test_a_missing_file_is_said(qtbot: Any, page: ReferencePage, tmp_path: Path) -> None:
    preview(qtbot, page, tmp_path / "nowhere.csv")
    assert page.status.text().startswith("\u26a0 Cannot read ") and page.preview_button.isEnabled()
