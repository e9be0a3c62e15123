"""Today lists visits with their drugs under them (SQLite and PostgreSQL): the tree model passes Qt's model tester;
view shows the visit; void a drug or a whole visit; correct a drug; print asks the ticket service for the visit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QThreadPool
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from desktop.services import ChargeState, Store, open_store
from desktop.services.visits.drafts import DraftStore
from desktop.services.visits.visit_queries import get_visit, list_visits
from desktop.ui.main_window import TODAY_ROW, MainWindow
from desktop.ui.theme import apply_theme
from desktop.ui.today.today_model import COL_DRUG, COL_STATUS, SUMMARY_ROLE, VISIT_ROLE, TodayModel
from tests.services.conftest import pg_schema, store_url  # noqa: F401 - fixtures: SQLite and PostgreSQL
from tests.ui.conftest import facade_of
from tests.ui.review_samples import DOS, seed_queue

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
def window(qtbot: Any, store: Store, seeded: dict[str, int], tmp_path: Path) -> Iterator[MainWindow]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    main = MainWindow(facade_of(store, "nurse.kim", DraftStore(tmp_path / "drafts"), "test"))
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.today_page.day.setDate(DOS)
    with qtbot.waitSignal(main.today.loaded, timeout=10000):
        main.nav.setCurrentRow(TODAY_ROW)
    yield main
    QThreadPool.globalInstance().waitForDone(10000)


def row_of(window: MainWindow, visit_id: int) -> QModelIndex:
    model = window.today_page.model
    return next(model.index(n, 0) for n, v in enumerate(model.rows) if v.id == visit_id)


def choose(window: MainWindow, index: QModelIndex) -> None:
    window.today_page.table.setCurrentIndex(index)


def test_the_tree_model_passes_qts_model_tester(qtbot: Any, store: Store, seeded: dict[str, int]) -> None:
    model = TodayModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(list_visits(store, DOS))
    assert model.rowCount() == 7
    two = next(n for n, v in enumerate(model.rows) if v.id == seeded["recorded"])
    parent = model.index(two, 0)
    assert model.rowCount(parent) == 2 and model.parent(model.index(1, 0, parent)) == parent
    assert model.index(1, COL_DRUG, parent).data().startswith("J9228 (#")
    single = next(n for n, v in enumerate(model.rows) if v.id == seeded["held"])
    assert model.rowCount(model.index(single, 0)) == 0  # a visit of one drug is that drug's row
    assert model.index(single, COL_STATUS).data() == "\u26a0 HELD: count the vials again"
    mixed = next(n for n, v in enumerate(model.rows) if v.id == seeded["mixed"])
    assert model.index(mixed, COL_STATUS).data() == "Mixed: 1 recorded, 1 posted"
    drug = model.index(0, 0, model.index(mixed, 0)).data(SUMMARY_ROLE)
    assert model.update_drug(drug.id, S.VOIDED, drug.version + 1)
    assert model.index(mixed, COL_STATUS).data() == "Recorded (+1 voided)"
    model.set_rows(list_visits(store, DOS))  # a reset with the tester watching
    del tester


def test_a_visit_row_views_the_whole_visit(qtbot: Any, window: MainWindow, seeded: dict[str, int]) -> None:
    shown: list[Any] = []
    window.today.show_record = shown.append
    choose(window, row_of(window, seeded["recorded"]))
    assert window.today_page.view_button.isEnabled() and not window.today_page.correct_button.isEnabled()
    window.today_page.view_button.click()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)  # read off the GUI thread
    assert shown[0].id == seeded["recorded"] and len(shown[0].administrations) == 2
    choose(window, window.today_page.model.index(1, 0, row_of(window, seeded["recorded"])))
    window.today_page.view_button.click()  # from one of its drugs: the same visit
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert shown[1].id == seeded["recorded"]


def test_void_one_drug_then_the_whole_visit(qtbot: Any, window: MainWindow, seeded: dict[str, int],
                                            store: Store) -> None:
    page, today = window.today_page, window.today
    two = seeded["recorded"]
    asked: list[str] = []
    today.ask_reason = lambda _parent, title, _question, _confirm: asked.append(title) or "not given"
    choose(window, page.model.index(1, 0, row_of(window, two)))  # the visit's second drug
    assert page.correct_button.isEnabled()
    with qtbot.waitSignal(today.loaded, timeout=10000):
        page.void_button.click()
    assert asked == ["Void drug"]
    assert [a.state for a in get_visit(store, two).administrations] == [S.RECORDED, S.VOIDED]
    assert today.selected() is not None and today.selected().state is S.VOIDED  # the same drug stays chosen
    choose(window, row_of(window, two))
    with qtbot.waitSignal(today.loaded, timeout=10000):
        page.void_button.click()
    assert asked == ["Void drug", "Void visit"]
    visit = get_visit(store, two)
    assert visit.state is S.VOIDED and visit.code_lines == ()
    assert page.model.index(row_of(window, two).row(), COL_STATUS).data() == "\u2716 VOIDED"


def test_correct_asks_for_the_chosen_drug(qtbot: Any, window: MainWindow, seeded: dict[str, int]) -> None:
    page, today = window.today_page, window.today
    visit = page.model.rows[row_of(window, seeded["recorded"]).row()]
    choose(window, page.model.index(0, 0, row_of(window, seeded["recorded"])))
    with qtbot.waitSignal(today.correction_requested, timeout=5000) as asked:
        page.correct_button.click()
    assert asked.args[0].id == visit.drugs[0].id
    choose(window, row_of(window, seeded["warned"]))  # a visit of one drug: its row is the drug's
    with qtbot.waitSignal(today.correction_requested, timeout=5000) as asked:
        page.correct_button.click()
    assert asked.args[0].visit_id == seeded["warned"]


def test_print_asks_for_the_visits_ticket(qtbot: Any, window: MainWindow, seeded: dict[str, int]) -> None:
    page, today = window.today_page, window.today
    asked: list[int] = []
    door = window.facade.day
    real = door.ticket
    door.ticket = lambda administration_id: asked.append(administration_id) or real(administration_id)  # type: ignore[method-assign]
    choose(window, row_of(window, seeded["recorded"]))
    visit = row_of(window, seeded["recorded"]).data(VISIT_ROLE)
    with qtbot.waitSignal(today.preview_opened, timeout=10000) as opened:
        page.print_button.click()
    assert asked == [visit.drugs[0].id]  # the ticket service makes the visit's ticket from any of its drugs
    opened.args[0].close()
    assert page.state.text().startswith("Ticket ") and "is open" in page.state.text()
    assert window.today_page.table.horizontalScrollBar().maximum() == 0  # the tree fits at 1366x768


def test_printing_a_visit_ticket_marks_its_drugs_in_place(qtbot: Any, window: MainWindow, seeded: dict[str, int],
                                                          store: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QDialog

    from desktop.services.charge_review.visit_actions import verify_visit

    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QDialog.DialogCode.Accepted.value)
    page, today = window.today_page, window.today
    two = seeded["recorded"]
    verify_visit(store, two, "biller")
    with qtbot.waitSignal(today.loaded, timeout=10000):
        today.reload()
    choose(window, row_of(window, two))
    with qtbot.waitSignal(today.preview_opened, timeout=10000) as opened:
        page.print_button.click()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "visit.pdf"))
    printer.setResolution(100)
    # recorded off the GUI thread; the list reloads from the broadcast, keeping what it said
    with qtbot.waitSignal(today.loaded, timeout=10000), \
            qtbot.waitSignal(today.ticket_message, timeout=10000) as said:
        assert opened.args[0].print_pdf(printer)
    opened.args[0].close()
    visit = get_visit(store, two)
    assert [a.state for a in visit.administrations] == [S.TICKET_PRINTED] * 2
    ids = ", ".join(f"#{a.id}" for a in visit.administrations)
    assert said.args[0] == f"\u2714 Printed and recorded: visit #{two}: records {ids} now marked ticket printed."
    shown = page.model.rows[row_of(window, two).row()]
    assert [d.state for d in shown.drugs] == [S.TICKET_PRINTED] * 2 and shown.version == visit.version
    today.ask_reason = lambda *_args: "printed for the wrong patient"
    with qtbot.waitSignal(today.loaded, timeout=10000):
        page.void_button.click()  # the visit's version shown is the one printing left: no conflict
    assert get_visit(store, two).state is S.VOIDED


def test_the_days_tickets_show_progress_and_cancel_stops_them(qtbot: Any, window: MainWindow) -> None:
    import threading

    page, today = window.today_page, window.today
    door = window.facade.day
    real = door.day_tickets
    asked = threading.Event()  # the batch has started
    go_on = threading.Event()  # the test has pressed Cancel

    def slow(day: Any, nurse: Any, progress: Any) -> bytes:
        progress(0, 2)
        asked.set()
        go_on.wait(10)
        return real(day, nurse, progress)  # its first report stops it: Cancel was pressed

    door.day_tickets = slow  # type: ignore[method-assign]
    page.print_day_button.click()
    qtbot.waitUntil(asked.is_set, timeout=5000)
    assert page.progress.isVisible() and page.cancel_button.isVisible() and not page.print_day_button.isEnabled()
    artifacts = Path(__file__).resolve().parents[2] / "artifacts"
    artifacts.mkdir(exist_ok=True)
    window.grab().save(str(artifacts / "today_days_tickets_progress_1366x768.png"))
    page.cancel_button.click()
    go_on.set()
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=10000)
    assert page.state.text() == "\u26a0 Cancelled: nothing was changed."
    assert page.print_day_button.isEnabled() and not page.cancel_button.isVisible() and today.preview_dialog is None
    door.day_tickets = real  # type: ignore[method-assign]
    with qtbot.waitSignal(today.preview_opened, timeout=20000) as opened:
        page.print_day_button.click()  # and the next try makes the whole document
    opened.args[0].close()
