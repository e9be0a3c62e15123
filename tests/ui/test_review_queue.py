"""Review queue page on a real store (SQLite and PostgreSQL), one row per visit: filters, sorting, lazy pages,
the whole visit in the pane, every action on a visit of two drugs, one drug voided or corrected from the pane."""

from __future__ import annotations

import re
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

from desktop.services import ChargeState, Store, get_administration, open_store, verify_administration
from desktop.services.visits.visit_queries import get_visit
from desktop.ui.review.review_model import COL_PATIENT, ID_ROLE
from desktop.ui.review.review_page import ReviewQueuePage
from desktop.ui.theme import apply_theme
from tests.services.conftest import pg_schema, store_url  # noqa: F401 - fixtures: SQLite and PostgreSQL
from tests.ui.admin_pages import doorway
from tests.ui.review_samples import DOS, seed_queue

Qt_ = Qt.ItemDataRole
S = ChargeState


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811 - the parametrized URL fixture
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def seeded(store: Store) -> dict[str, int]:
    return seed_queue(store)


@pytest.fixture
def page(qtbot: Any, store: Store, seeded: dict[str, int], tmp_path: Path) -> Iterator[ReviewQueuePage]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    widget = ReviewQueuePage(*doorway(store, "biller.lee", tmp_path), load=False)
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


def open_visit(qtbot: Any, page: ReviewQueuePage, visit_id: int) -> None:
    select(page, [visit_id])
    qtbot.waitUntil(lambda: page.presenter.detail is not None and page.presenter.detail.id == visit_id,
                    timeout=10000)


def act(qtbot: Any, page: ReviewQueuePage, button: QAbstractButton) -> Any:
    with qtbot.waitSignal(page.presenter.action_finished, timeout=10000) as finished:
        button.click()
    qtbot.waitUntil(lambda: not page.model.loading, timeout=10000)
    return finished.args[0]


def states(store: Store, visit_id: int) -> list[ChargeState]:
    return [a.state for a in get_visit(store, visit_id).administrations]


def summary_parts(page: ReviewQueuePage) -> tuple[int, int]:
    """(the total, the sum of the parts) of the summary line."""
    text = page.summary.text().replace(",", "")
    total = int(re.match(r"(\d+) visits? matching", text).group(1))  # type: ignore[union-attr]
    return total, sum(int(n) for n in re.findall(r"(\d+) (?:recorded|verified|ticket printed|posted|held|voided|"
                                                 r"mixed)", text))


def test_first_view_is_the_work_to_do_one_row_per_visit(page: ReviewQueuePage, seeded: dict[str, int],
                                                        qtbot: Any) -> None:
    assert sorted(ids(page)) == sorted(set(seeded.values()) - {seeded["posted"]})  # "to work" leaves posted out
    qtbot.waitUntil(lambda: "matching" in page.summary.text(), timeout=10000)
    assert page.summary.text() == ("7 visits matching  \u2014  3 recorded, 1 verified, 1 ticket printed, 1 held, "
                                   "1 mixed")
    row = {r.id: r for r in page.model.rows}
    texts = [page.model.data(page.model.index(ids(page).index(seeded["mixed"]), c)) for c in range(9)]
    assert texts[3] == "J9299, J9228" and texts[7] == "Mixed: 1 recorded, 1 posted" and texts[4] == "270"
    assert row[seeded["recorded"]].state is S.RECORDED and len(row[seeded["recorded"]].drugs) == 2


@pytest.mark.parametrize(("combo", "choice", "expected"), [
    ("state", "Held", ["held"]), ("payer", "Commercial", ["posted"]), ("nurse", "RN Brooks", ["warned"]),
    ("findings", "With errors or warnings", ["warned", "held"]), ("drug", "j9302", ["yesterday", "posted", "printed"]),
    ("drug", "J9228", ["recorded", "mixed"]), ("state", "Posted", ["posted", "mixed"]),
])
def test_each_filter_and_the_summary_adds_up(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any, combo: str,
                                            choice: str, expected: list[str]) -> None:
    if combo != "state":
        page.filters.state.setCurrentText("Any")
    widget: QComboBox = getattr(page.filters, combo)
    widget.setCurrentText(choice)
    assert set(apply(qtbot, page)) == {seeded[k] for k in expected}
    qtbot.waitUntil(lambda: "matching" in page.summary.text(), timeout=10000)
    total, parts = summary_parts(page)
    assert total == parts == len(expected), page.summary.text()  # issue 12.8: the words add up


def test_date_range_filter(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any) -> None:
    page.filters.date_to.setDate(page.filters.date_to.date().addDays(-1))
    assert apply(qtbot, page) == [seeded["yesterday"]]
    page.filters.all_dates.setChecked(True)
    assert len(apply(qtbot, page)) == 7


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
    assert page.model.rowCount() == 8 and len(set(ids(page))) == 8


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
    assert page.model.rowCount() == 8 and len(set(ids(page))) == 8  # every visit once: no page fetched twice
    for row in range(page.model.rowCount()):
        for column in range(page.model.columnCount()):
            for role in (Qt_.DisplayRole, Qt_.ToolTipRole, Qt_.BackgroundRole, Qt_.TextAlignmentRole,
                         Qt_.AccessibleTextRole):
                page.model.data(page.model.index(row, column), role)
    del tester


def test_the_pane_shows_the_whole_visit(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any,
                                        store: Store) -> None:
    open_visit(qtbot, page, seeded["recorded"])
    text = page.detail.browser.toPlainText()
    visit = get_visit(store, seeded["recorded"])
    for words in (f"Visit #{visit.id}", "RECORDED", "Zoe Adams", "Administering nurse", "Diagnoses", "C34.90",
                  "Drugs (2)", "1. J9299", "2. J9228", "Drug lines", "History", "Administration codes",
                  "Code revisions", "J9228 added", "Why they changed"):
        assert words in text, words
    for line in visit.code_lines:  # each administration code with its reason in words
        assert line.hcpcs in text and line.reason and line.reason in text
    assert [page.detail.drug.itemText(i) for i in range(page.detail.drug.count())] == [
        f"1. J9299 #{visit.administrations[0].id} (recorded)", f"2. J9228 #{visit.administrations[1].id} (recorded)"]
    open_visit(qtbot, page, seeded["warned"])
    text = page.detail.browser.toPlainText()
    assert "Warning" in text and "acknowledged by" in text and "RN Brooks" in text


def test_every_action_on_a_visit_of_two_drugs(page: ReviewQueuePage, seeded: dict[str, int], qtbot: Any,
                                              store: Store) -> None:
    two = seeded["recorded"]
    select(page, [two])
    result = act(qtbot, page, page.verify_button)
    assert result.summary() == "1 of 1 visit verified (2 drugs)." and states(store, two) == [S.VERIFIED] * 2
    assert page.status.text() == "1 of 1 visit verified (2 drugs)."
    assert page.results.item(0).text().startswith(f"\u2714 Visit #{two} (Zoe Adams, {DOS.isoformat()}): verified")
    page.presenter.ask_reason = lambda *_args: "payer query"
    qtbot.waitUntil(lambda: page.presenter.selected_rows() and page.hold_button.isEnabled(), timeout=10000)
    assert len(act(qtbot, page, page.hold_button).succeeded) == 1 and states(store, two) == [S.HELD] * 2
    assert all(a.hold_reason == "payer query" for a in get_visit(store, two).administrations)
    qtbot.waitUntil(lambda: page.release_button.isEnabled(), timeout=10000)
    act(qtbot, page, page.release_button)
    assert states(store, two) == [S.RECORDED] * 2
    select(page, [seeded["printed"]])
    assert act(qtbot, page, page.post_button).succeeded and states(store, seeded["printed"]) == [S.POSTED]
    page.presenter.ask_reason = lambda *_args: "wrong patient"
    select(page, [two])
    act(qtbot, page, page.void_button)
    visit = get_visit(store, two)
    assert visit.state is S.VOIDED and visit.code_lines == ()
    assert all(a.void_reason == "wrong patient" and a.history[-1].changed_by == "biller.lee"
               for a in visit.administrations)


def test_a_mixed_visit_verifies_what_it_can_and_says_what_was_left(page: ReviewQueuePage, seeded: dict[str, int],
                                                                   qtbot: Any, store: Store) -> None:
    select(page, [seeded["mixed"], seeded["held"]])
    result = act(qtbot, page, page.verify_button)
    assert page.status.text() == "1 of 2 visits verified (1 drug); 1 not changed (see why below)."
    lines = [page.results.item(i).text() for i in range(page.results.count())]
    mixed = next(line for line in lines if f"Visit #{seeded['mixed']}" in line)
    assert mixed.startswith("\u2714") and "verified J9228" in mixed and "Left as they were: J9299" in mixed
    held = next(line for line in lines if f"Visit #{seeded['held']}" in line)
    assert held.startswith("\u2716") and "no drug that can be verified" in held and "Nothing in this visit" in held
    assert states(store, seeded["mixed"]) == [S.POSTED, S.VERIFIED] and len(result.results) == 2


def test_a_visit_changed_since_it_was_shown_is_a_conflict(page: ReviewQueuePage, seeded: dict[str, int],
                                                          qtbot: Any, store: Store) -> None:
    two = seeded["recorded"]
    select(page, [two])
    drug = get_visit(store, two).administrations[1]
    verify_administration(store, drug.id, "other.biller", drug.version)  # another workstation, meanwhile
    page.presenter.ask_reason = lambda *_args: "payer query"
    result = act(qtbot, page, page.hold_button)
    assert not result.results[0].ok and "changed by someone else since you saw it" in result.results[0].message
    assert page.results.item(0).text().startswith("\u2716")
    assert states(store, two) == [S.RECORDED, S.VERIFIED]  # nothing held


def test_one_drug_is_voided_replaced_or_corrected_from_the_pane(page: ReviewQueuePage, seeded: dict[str, int],
                                                                qtbot: Any, store: Store) -> None:
    two = seeded["recorded"]
    open_visit(qtbot, page, two)
    niv, ipi = get_visit(store, two).administrations
    page.detail.drug.setCurrentIndex(1)
    with qtbot.waitSignal(page.correction_requested, timeout=5000) as asked:
        page.correct_button.click()
    assert asked.args[0].id == ipi.id
    page.presenter.ask_reason = lambda *_args: "not given"
    result = act(qtbot, page, page.void_drug_button)
    assert result.succeeded[0].id == ipi.id and states(store, two) == [S.RECORDED, S.VOIDED]
    visit = get_visit(store, two)
    assert [line.hcpcs for line in visit.code_lines] == ["96413"] and len(visit.code_sets) == 2
    qtbot.waitUntil(lambda: page.presenter.detail is not None and page.presenter.detail.version == visit.version,
                    timeout=10000)  # the visit stays chosen and is shown as it is now
    assert f"2. J9228 \u2014 record #{ipi.id}, VOIDED" in page.detail.browser.toPlainText()
    page.detail.drug.setCurrentIndex(0)
    page.presenter.ask_reason = lambda *_args: "re-rate with new tables"
    replaced = act(qtbot, page, page.replace_button).succeeded[0]
    assert get_administration(store, replaced.new_id).replaces_id == niv.id
    assert get_administration(store, replaced.new_id).visit_id == two  # the correction stays in the visit


def test_cancelling_the_reason_changes_nothing(page: ReviewQueuePage, seeded: dict[str, int], store: Store) -> None:
    page.presenter.ask_reason = lambda *_args: None
    select(page, [seeded["recorded"]])
    page.hold_button.click()
    assert not page.presenter.busy and states(store, seeded["recorded"]) == [S.RECORDED] * 2


def test_a_narrow_page_takes_turns_between_queue_and_visit(page: ReviewQueuePage, seeded: dict[str, int],
                                                           qtbot: Any) -> None:
    page.resize(1150, 700)
    qtbot.waitUntil(lambda: not page.detail.isVisible(), timeout=5000)
    assert page.table.isVisible() and page.open_button.isVisible()
    open_visit(qtbot, page, seeded["recorded"])
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.detail.isVisible() and not page.table.isVisible() and page.detail.back_button.isVisible()
    qtbot.keyClick(page.detail.browser, Qt.Key.Key_Escape)
    assert page.table.isVisible() and not page.detail.isVisible()
    page.resize(1900, 1000)
    qtbot.waitUntil(lambda: page.detail.isVisible() and page.table.isVisible(), timeout=5000)
    assert not page.open_button.isVisible()


def test_every_control_is_named_for_tests_and_screen_readers(page: ReviewQueuePage) -> None:
    kinds = (QAbstractButton, QComboBox, QDateEdit, QCheckBox, QTableView, QListWidget, QTextBrowser)
    widgets = [w for kind in kinds for w in page.findChildren(kind)]
    assert len(widgets) > 15
    for widget in widgets:
        if widget.parent() is not None and widget.parent().inherits("QComboBox"):
            continue  # the combo's own popup parts
        assert widget.objectName() and widget.accessibleName(), widget
