"""Review and Reports through the facade (issue 17): a multi-visit action and an export show progress and can be
cancelled while the database is slow (a write lock held by another connection), and both pages read again when a
change is broadcast on the window's hub. Real SQLite files, real widgets offscreen."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QApplication

from desktop.billing.model import PlaceOfService
from desktop.facade import AppFacade
from desktop.facade.errors import OperationCancelled
from desktop.facade.review_types import ChargeState, VisitAction, VisitTarget
from desktop.services import Store, open_store
from desktop.services.billing_exports.exports import export_runs
from desktop.services.facility.settings import FacilityIdentifier, FacilitySettings, save_facility_settings
from desktop.services.visits.visit_queries import get_visit
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub
from desktop.ui.reports.reports_page import ReportsPage
from desktop.ui.review.review_page import ReviewQueuePage
from desktop.ui.theme import apply_theme
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.ui.admin_pages import doorway
from tests.ui.review_samples import DOS, seed_queue, two_drug_request
from tests.ui.test_review_queue import select

S = ChargeState


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "charges.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{db_path}")
    yield opened
    QThreadPool.globalInstance().waitForDone(20_000)  # no call outlives the store
    opened.close()


@pytest.fixture
def facade(store: Store, tmp_path: Path) -> AppFacade:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    return doorway(store, "biller.lee", tmp_path)[0]()


def review_page(qtbot: Any, facade: AppFacade, hub: OperationHub) -> ReviewQueuePage:
    page = ReviewQueuePage(lambda: facade, hub, load=False)
    page.filters.today = DOS
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.filters.clear(emit=False)
        page.presenter.start()
    return page


class WriteLock:
    """Another connection holding SQLite's write lock: the database is slow to every writer until released."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def states(store: Store, visit_id: int) -> list[ChargeState]:
    return [a.state for a in get_visit(store, visit_id).administrations]


def test_a_verify_of_several_visits_shows_progress_and_stops_after_the_visit_in_hand(
        qtbot: Any, store: Store, facade: AppFacade, db_path: Path, artifacts_dir: Path) -> None:
    visits = [record(store, two_drug_request(f"R9{n}", f"Extra {name}")).visit_id
              for n, name in enumerate(("Ames", "Bell", "Cole", "Diaz"))]
    hub = OperationHub()
    heard: list[OpChanges] = []
    hub.changed.connect(heard.append)
    page = review_page(qtbot, facade, hub)
    select(page, visits)
    order = [r.id for r in page.presenter.selected_rows()]  # the order the action goes through them
    assert sorted(order) == sorted(visits)
    QThreadPool.globalInstance().waitForDone(10_000)  # a visit asked for while it alone was chosen arrives late,
    QApplication.processEvents()  # and is not shown
    assert page.presenter.detail is None and "4 visits selected." in page.detail.browser.toPlainText()
    lock = WriteLock(db_path)
    try:
        page.verify_button.click()
        # The save waits for the lock on a worker thread: the screen keeps turning, with a bar and Cancel.
        qtbot.waitUntil(lambda: page.cancel_button.isVisible() and page.progress.isVisible(), timeout=5_000)
        assert page.presenter.busy and not page.verify_button.isEnabled()
        page.grab().save(str(artifacts_dir / "review_action_progress_1366.png"))
        page.resize(1920, 1080)
        qtbot.wait(50)
        page.grab().save(str(artifacts_dir / "review_action_progress_1920.png"))
        page.cancel_button.click()
    finally:
        lock.release()
    qtbot.waitUntil(lambda: not page.presenter.busy, timeout=15_000)
    assert page.status.text().startswith("\u26a0 Stopped at your request. Visits already done stay done")
    assert states(store, order[0]) == [S.VERIFIED] * 2  # the visit in hand was finished, whole
    assert all(states(store, v) == [S.RECORDED] * 2 for v in order[1:])  # the rest were not touched
    assert not page.cancel_button.isVisible() and not page.progress.isVisible()
    assert heard and heard[-1].touches("visit") and set(order) <= heard[-1].ids  # other pages read them again
    qtbot.waitUntil(lambda: not page.model.loading, timeout=10_000)
    shown = {r.id: r.state for r in page.model.rows}
    assert shown[order[0]] is S.VERIFIED and shown[order[1]] is S.RECORDED


def test_the_queue_and_the_report_read_again_when_a_change_is_broadcast(
        qtbot: Any, store: Store, facade: AppFacade) -> None:
    seeded = seed_queue(store)
    hub = OperationHub()
    queue = review_page(qtbot, facade, hub)
    reports = ReportsPage(lambda: facade, hub, today=DOS)
    qtbot.addWidget(reports)
    reports.resize(1366, 768)
    reports.show()
    reports.set_report("reconciliation", DOS, DOS)
    reports.show_button.click()
    qtbot.waitUntil(lambda: reports.document is not None, timeout=10_000)
    before = reports.document
    assert before is not None
    voided_before = next(t.title for t in before.tables if t.title.startswith("Voided"))
    target = next(r for r in queue.model.rows if r.id == seeded["recorded"])
    # Another page voids the visit through the same hub (as the Today page would).
    done: list[object] = []
    CollectionOp(QObject(), lambda: facade.review.act_on_visits(
        VisitAction.VOID, [VisitTarget(target.id, target.version, "Zoe Adams")], "wrong patient"),
        label="Void", hub=hub, changes=OpChanges.of("visit", target.id)).success(done.append).run_in_background()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    qtbot.waitUntil(lambda: any(r.id == target.id and r.state is S.VOIDED for r in queue.model.rows)
                    or all(r.id != target.id for r in queue.model.rows), timeout=10_000)
    qtbot.waitUntil(lambda: reports.document is not before, timeout=10_000)
    after = reports.document
    assert after is not None
    assert next(t.title for t in after.tables if t.title.startswith("Voided")) != voided_before
    # A page hidden when the change is broadcast reads it when shown again.
    reports.hide()
    hidden = reports.document
    hub.changed.emit(OpChanges.of("visit", target.id))
    qtbot.wait(50)
    assert reports.document is hidden and reports.stale
    reports.show()
    qtbot.waitUntil(lambda: reports.document is not hidden, timeout=10_000)


@pytest.fixture
def posted(store: Store) -> None:
    save_facility_settings(store, FacilitySettings(
        facility_name="Riverside Infusion Center", identifiers=(FacilityIdentifier("NPI", "1234567893"),),
        place_of_service=PlaceOfService.OFFICE), "admin")
    outcome = record(store, j9302_request())
    to_posted(store, outcome.id, outcome.version)


def test_an_export_cancelled_while_the_database_is_slow_sends_nothing(
        qtbot: Any, store: Store, facade: AppFacade, db_path: Path, posted: None, tmp_path: Path,
        artifacts_dir: Path) -> None:
    hub = OperationHub()
    heard: list[OpChanges] = []
    hub.changed.connect(heard.append)
    page = ReportsPage(lambda: facade, hub, today=DOS)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    panel = page.exports
    lock = WriteLock(db_path)
    try:
        panel.export(tmp_path / "billing.hl7")
        qtbot.waitUntil(lambda: panel.cancel_button.isVisible() and panel.progress.isVisible(), timeout=5_000)
        assert not panel.send_button.isEnabled()
        for width, height in ((1366, 768), (1920, 1080)):
            page.resize(width, height)
            qtbot.wait(50)
            page.grab().save(str(artifacts_dir / f"reports_export_progress_{width}x{height}.png"))
        panel.cancel_button.click()
    finally:
        lock.release()
    qtbot.waitUntil(lambda: panel.send_button.isEnabled(), timeout=15_000)
    assert panel.status.text() == "Export cancelled. Nothing was recorded as sent, and no file was written."
    assert not (tmp_path / "billing.hl7").exists()
    assert export_runs(store, user="biller") == [] and not heard
    panel.export(tmp_path / "billing.hl7")  # nothing was sent: the next run sends it all
    qtbot.waitUntil(lambda: panel.send_button.isEnabled(), timeout=15_000)
    assert "3 transactions in 1 visit" in panel.status.text(), panel.status.text()
    assert heard and heard[-1].touches("export")


def test_a_report_pdf_cancelled_before_it_is_written_leaves_no_file(
        store: Store, facade: AppFacade, posted: None, tmp_path: Path) -> None:
    document = facade.reports.document("reconciliation", DOS, DOS)
    steps: list[tuple[int, int]] = []

    def stop_at_the_write(done: int, total: int) -> None:
        steps.append((done, total))
        if done == 1:
            raise OperationCancelled()

    with pytest.raises(OperationCancelled):
        facade.reports.save_pdf(document, tmp_path / "report.pdf", progress=stop_at_the_write)
    assert steps == [(0, 2), (1, 2)] and not (tmp_path / "report.pdf").exists()
    saved = facade.reports.save_pdf(document, tmp_path / "report.pdf")
    assert saved.read_bytes().startswith(b"%PDF") and saved.stat().st_mode & 0o777 == 0o600
