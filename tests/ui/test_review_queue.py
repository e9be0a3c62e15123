"""Review queue page on a real store (SQLite and PostgreSQL): filters, sorting, lazy pages, detail, every action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QThreadPool
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QListWidget,
    QTableView,
    QTextBrowser,
)

from desktop.services import ChargeState, Store, get_administration, open_store
from desktop.ui.review.review_model import COL_PATIENT, ID_ROLE
from desktop.ui.review.review_page import ReviewQueuePage
from desktop.ui.theme import apply_theme
from tests.services.conftest import pg_schema, store_url  # noqa: F401 - fixtures: SQLite and PostgreSQL
from tests.ui.review_samples import DOS, seed_queue

Qt_ = Qt.ItemDataRole


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811 - the parametrized URL fixture
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def seeded(store: Store) -> dict[str, int]:
    return seed_queue(store)


@pytest.fixture
def page(qtbot: Any, store: Store, seeded: dict[str, int]) -> Iterator[ReviewQueuePage]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    widget = ReviewQueuePage(store, lambda: "biller.lee", load=False)
    widget.filters.today = DOS
    qtbot.addWidget(widget)
    widget.resize(1900, 1000)
    widget.show()
    with qtbot.waitSignal(widget.model.loaded, timeout=10000):
        widget.filters.clear(emit=False)
        widget.presenter.start()
    yield widget
    qtbot.waitUntil(lambda: not widget.presenter.busy, timeout=10000)
    QThreadPool.globalInstance().waitForDone(10000)  # no query outlives the store
    qtbot.wait(20)


def apply(qtbot: Any, page: ReviewQueuePage) -> list[int]:
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.filters.apply_button.click()
    return ids(page)


def ids(page: ReviewQueuePage) -> list[int]:
    return [page.model.data(page.model.index(r, 0), ID_ROLE) for r in range(page.model.rowCount())]


def fetch_all(qtbot: Any, page: ReviewQueuePage) -> None:
    """Pull pages until there are no more; the view may fetch some itself in between."""
    while True:
        qtbot.waitUntil(lambda: not page.model.loading, timeout=10000)
        if not page.model.canFetchMore():
            return
        with qtbot.waitSignal(page.model.loaded, timeout=10000):
            page.model.fetchMore()


def select(page: ReviewQueuePage, wanted: list[int]) -> None:
    table, model = page.table, page.model
    table.clearSelection()
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0), ID_ROLE) in wanted:
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            table.selectionModel().select(model.index(row, 0), flags)


def act(qtbot: Any, page: ReviewQueuePage, button: QAbstractButton) -> Any:
    with qtbot.waitSignal(page.presenter.action_finished, timeout=10000) as finished:
        button.click()
    qtbot.waitUntil(lambda: not page.model.loading, timeout=10000)
    return finished.args[0]


def test_first_view_is_the_work_to_do(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any) -> None:
    assert set(ids(page)) == set(seeded.values()) - {seeded["posted"]}  # "to work" leaves posted out
    qtbot.waitUntil(lambda: "matching" in page.summary.text(), timeout=10000)
    assert page.summary.text().startswith("6 matching")


@pytest.mark.parametrize(("combo", "choice", "expected"), [
    ("state", "Held", ["held"]), ("payer", "Commercial", ["posted"]), ("nurse", "RN Brooks", ["warned"]),
    ("findings", "With errors or warnings", ["warned", "held"]), ("drug", "j9302", ["yesterday", "posted", "printed"]),
])
def test_each_filter(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any, combo: str, choice: str,
                     expected: list[str]) -> None:
    page.filters.state.setCurrentText("Any")
    widget: QComboBox = getattr(page.filters, combo)
    widget.setCurrentText(choice)
    assert set(apply(qtbot, page)) == {seeded[k] for k in expected}


def test_date_range_filter(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any) -> None:
    page.filters.date_to.setDate(page.filters.date_to.date().addDays(-1))
    assert apply(qtbot, page) == [seeded["yesterday"]]
    page.filters.all_dates.setChecked(True)
    assert len(apply(qtbot, page)) == 6


def test_sorting_by_clicking_the_header_runs_in_sql(page: ReviewQueuePage, qtbot: Any) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.table.horizontalHeader().sectionClicked.emit(COL_PATIENT)
        page.table.sortByColumn(COL_PATIENT, Qt.SortOrder.AscendingOrder)
    names = [page.model.rows[r].patient_name for r in range(page.model.rowCount())]
    assert names == sorted(names) and page.presenter.sort.key.value == "patient"
    assert page.table.horizontalHeader().sortIndicatorSection() == COL_PATIENT


def test_rows_are_fetched_lazily_page_by_page(page: ReviewQueuePage, qtbot: Any) -> None:
    page.presenter.page_size = 2
    page.filters.state.setCurrentText("Any")
    assert len(apply(qtbot, page)) == 2 and page.model.canFetchMore()
    fetch_all(qtbot, page)
    assert page.model.rowCount() == 7 and len(set(ids(page))) == 7


def test_qt_model_tester_through_loads_fetches_and_sorts(page: ReviewQueuePage, qtbot: Any) -> None:
    tester = QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    page.presenter.page_size = 3
    page.filters.state.setCurrentText("Any")
    apply(qtbot, page)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.model.fetchMore()
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.model.sort(COL_PATIENT, Qt.SortOrder.DescendingOrder)
    fetch_all(qtbot, page)
    assert page.model.rowCount() == 7 and len(set(ids(page))) == 7  # every row once: no page fetched twice
    for row in range(page.model.rowCount()):
        for column in range(page.model.columnCount()):
            for role in (Qt_.DisplayRole, Qt_.ToolTipRole, Qt_.BackgroundRole, Qt_.TextAlignmentRole):
                page.model.data(page.model.index(row, column), role)
    del tester


def test_detail_pane_shows_lines_findings_history(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any) -> None:
    select(page, [seeded["warned"]])
    qtbot.waitUntil(lambda: page.presenter.detail is not None, timeout=10000)
    text = page.detail.browser.toPlainText()
    for words in ("Claim lines", "Findings", "History", "Warning", "acknowledged by", "Yuri Baker", "RN Brooks"):
        assert words in text
    with qtbot.waitSignal(page.correction_requested, timeout=5000) as asked:
        page.correct_button.click()
    assert asked.args[0].id == seeded["warned"]


def test_verify_many_with_one_refusal_in_words(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any,
                                               store: Store) -> None:
    select(page, [seeded["recorded"], seeded["warned"], seeded["verified"]])
    assert page.verify_button.isEnabled()
    result = act(qtbot, page, page.verify_button)
    assert len(result.succeeded) == 2 and len(result.failed) == 1
    assert page.status.text() == "2 of 3 verified; 1 not changed (see why below)."
    messages = [page.results.item(i).text() for i in range(page.results.count())]
    assert any(m.startswith("\u2716") and "only from: recorded" in m for m in messages)
    assert get_administration(store, seeded["recorded"]).history[-1].changed_by == "biller.lee"


def test_hold_release_post_void_and_replace(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any,
                                           store: Store) -> None:
    page.presenter.ask_reason = lambda *_args: "payer query"
    select(page, [seeded["recorded"], seeded["verified"]])
    assert len(act(qtbot, page, page.hold_button).succeeded) == 2
    assert get_administration(store, seeded["recorded"]).hold_reason == "payer query"
    select(page, [seeded["recorded"], seeded["held"]])
    released = act(qtbot, page, page.release_button)
    assert {r.id: r.ok for r in released.results} == {seeded["recorded"]: True, seeded["held"]: False}
    assert "void and replace" in released.failed[0].message
    select(page, [seeded["printed"]])
    assert act(qtbot, page, page.post_button).succeeded[0].state is ChargeState.POSTED
    page.presenter.ask_reason = lambda *_args: "duplicate entry"
    select(page, [seeded["warned"]])
    replaced = act(qtbot, page, page.replace_button).succeeded[0]
    assert get_administration(store, replaced.new_id).replaces_id == seeded["warned"]
    select(page, [seeded["yesterday"]])
    assert act(qtbot, page, page.void_button).succeeded[0].state is ChargeState.VOIDED


def test_cancelling_the_reason_changes_nothing(page: ReviewQueuePage, seeded: dict[str, int], store: Store) -> None:
    page.presenter.ask_reason = lambda *_args: None
    select(page, [seeded["recorded"]])
    page.hold_button.click()
    assert not page.presenter.busy and get_administration(store, seeded["recorded"]).state is ChargeState.RECORDED


def test_every_control_is_named_for_tests_and_screen_readers(page: ReviewQueuePage) -> None:
    kinds = (QAbstractButton, QComboBox, QDateEdit, QCheckBox, QTableView, QListWidget, QTextBrowser)
    widgets = [w for kind in kinds for w in page.findChildren(kind)]
    assert len(widgets) > 15
    for widget in widgets:
        if widget.parent() is not None and widget.parent().inherits("QComboBox"):
            continue  # the combo's own popup parts
        assert widget.objectName() and widget.accessibleName(), widget


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # one screenshot is enough
def test_screenshot_for_billers(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any, store: Store,
                                artifacts_dir: Path) -> None:
    page.filters.state.setCurrentText("Any")
    apply(qtbot, page)
    select(page, [seeded["held"]])
    qtbot.waitUntil(lambda: page.presenter.detail is not None, timeout=10000)
    page.grab().save(str(artifacts_dir / "review_queue.png"))
