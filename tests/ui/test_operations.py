"""CollectionOp: work off the GUI thread, what changed broadcast, progress and cancel for long work."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from desktop.facade.errors import OperationCancelled
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, Progress


def test_the_call_runs_off_the_gui_thread_and_its_changes_are_broadcast(qtbot: QtBot) -> None:
    owner, hub = QObject(), OperationHub()
    threads: list[threading.Thread] = []
    got: list[object] = []
    heard: list[OpChanges] = []
    hub.changed.connect(heard.append)

    def work() -> int:
        threads.append(threading.current_thread())
        return 7

    CollectionOp(owner, work, label="Work", hub=hub, changes=lambda n: OpChanges.of("visit", n)) \
        .success(got.append).run_in_background()
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [7] and threads[0] is not threading.main_thread()
    assert heard == [OpChanges.of("visit", 7)] and not hub.busy


def test_long_work_reports_progress_and_stops_when_cancelled(qtbot: QtBot) -> None:
    owner = QObject()
    steps: list[tuple[int, int]] = []
    failed: list[Exception] = []
    finished: list[int] = []

    def long_work(progress: Progress) -> int:
        for done in range(1, 1001):
            progress(done, 1000)
            time.sleep(0.002)
        return 1000

    op = CollectionOp(owner, long_work, label="Long work", takes_progress=True)
    op.progress(lambda done, total: steps.append((done, total))).success(finished.append) \
        .failure(failed.append).run_in_background()
    qtbot.waitUntil(lambda: bool(steps), timeout=5000)
    op.cancel()
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert isinstance(failed[0], OperationCancelled) and str(failed[0]) == "Cancelled: nothing was changed."
    assert not finished and steps[-1][0] < 1000 and steps[0][1] == 1000


def test_a_long_call_that_finishes_reports_its_last_step(qtbot: QtBot) -> None:
    owner = QObject()
    steps: list[tuple[int, int]] = []
    finished: list[str] = []

    def short(progress: Progress) -> str:
        for done in range(1, 4):
            progress(done, 3)
        return "done"

    CollectionOp(owner, short, label="Short", takes_progress=True).progress(
        lambda done, total: steps.append((done, total))).success(finished.append).run_in_background()
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert finished == ["done"] and steps[-1] == (3, 3)


def test_an_answer_after_its_window_closed_is_dropped_quietly(qtbot: QtBot) -> None:
    """Closing the window while a read or a change still runs: the worker finds its relay deleted and says
    nothing (it used to raise on the worker thread, and the excepthook tried to open a message box there)."""
    import shiboken6
    from PySide6.QtCore import QThreadPool

    from desktop.ui.worker import BackgroundQuery

    started, release = threading.Event(), threading.Event()

    def slow() -> int:
        started.set()
        release.wait(5)
        return 1

    query = BackgroundQuery()
    query.run(slow, lambda _v: None, lambda _e: None)
    op = CollectionOp(QObject(), slow, label="Slow change").run_in_background()
    assert started.wait(5)
    for relay in [*query._relays, op._relay]:  # what closing the window deletes
        shiboken6.delete(relay)
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)  # an exception in QRunnable.run would fail this test (pytest-qt reports it)
