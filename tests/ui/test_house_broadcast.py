"""Issue 17: a save runs off the GUI thread (the event loop keeps turning while the database is slow), and the
pages refresh from the window's "what changed" broadcast, not from hand-wired signals (real SQLite file, real
widgets offscreen)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool, QTimer

import desktop.services.visits.recording as recording
from desktop.ui.main_window import REPORTS_ROW, REVIEW_ROW, TODAY_ROW, MainWindow
from desktop.ui.operations import OpChanges
from tests.ui.flows import fill_j9302

LOCK_MS = 1000  # another connection holds SQLite's write lock this long (the store waits up to its busy timeout)


def _database_file(window: MainWindow) -> Path:
    return Path(window.facade.store.url.removeprefix("sqlite:///"))


def _hold_the_write_lock(window: MainWindow) -> sqlite3.Connection:
    holder = sqlite3.connect(_database_file(window), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a writer elsewhere (a second workstation, a backup): the save must wait
    QTimer.singleShot(LOCK_MS, lambda: holder.execute("ROLLBACK"))
    return holder


def test_a_save_waits_for_a_slow_database_off_the_gui_thread_and_today_reloads_from_the_broadcast(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    with qtbot.waitSignal(window.today.loaded, timeout=10000):
        window.nav.setCurrentRow(TODAY_ROW)
    assert window.today_page.model.rows == []
    window.nav.setCurrentRow(0)
    saved_on: list[threading.Thread] = []
    real = recording.record_administration

    def record(*args: object, **kwargs: object) -> object:
        saved_on.append(threading.current_thread())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(recording, "record_administration", record)
    broadcast: list[OpChanges] = []
    window.hub.changed.connect(broadcast.append)
    ticks = [0]
    beat = QTimer(window)
    beat.setInterval(20)
    beat.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    fill_j9302(window)
    holder = _hold_the_write_lock(window)
    try:
        beat.start()
        with qtbot.waitSignal(window.entry.saved, timeout=15000) as saved:
            window.entry.accept()
            assert ticks[0] == 0 and window.hub.busy  # accept() returned at once: the save is still waiting
        beat.stop()
    finally:
        holder.close()
    assert saved_on and saved_on[0] is not threading.main_thread()
    # The GUI thread kept turning while the write lock was held: ~50 beats of 20 ms in a second; a save on the
    # GUI thread would have let none through until it returned.
    assert ticks[0] >= 20, f"the event loop turned {ticks[0]} times during a {LOCK_MS} ms wait"
    outcome = saved.args[0]
    assert [c for c in broadcast if c.touches("visit")], broadcast
    # Today was built and loaded before the save; nothing connects the chair to it but the broadcast.
    qtbot.waitUntil(lambda: [v.id for v in window.today_page.model.rows] == [outcome.visit_id], timeout=10000)
    QThreadPool.globalInstance().waitForDone(10000)


def test_the_review_queue_and_reports_reload_from_the_broadcast(qtbot: Any, window: MainWindow) -> None:
    window.nav.setCurrentRow(REVIEW_ROW)
    review = window.review_page
    qtbot.waitSignal(review.model.loaded, timeout=10000, raising=False).wait()
    window.nav.setCurrentRow(REPORTS_ROW)
    reports = window.reports_page
    reports.set_report("reconciliation", reports.date_from.date().toPython(), reports.date_to.date().toPython())
    reports.load()
    qtbot.waitUntil(lambda: reports.document is not None, timeout=10000)
    before = reports.document
    assert review.model.rows == []
    window.nav.setCurrentRow(0)
    fill_j9302(window)
    with qtbot.waitSignal(window.entry.saved, timeout=15000) as saved:
        window.entry.accept()
    visit_id = saved.args[0].visit_id
    # Hidden pages mark themselves stale from the broadcast and read again when shown (showing an area does not
    # reload the review queue or a report by itself: only the broadcast does).
    window.nav.setCurrentRow(REVIEW_ROW)
    qtbot.waitUntil(lambda: [r.id for r in review.model.rows] == [visit_id], timeout=10000)
    window.nav.setCurrentRow(REPORTS_ROW)
    qtbot.waitUntil(lambda: reports.document is not before, timeout=10000)
    assert "J9302" in repr(reports.document)
    QThreadPool.globalInstance().waitForDone(10000)
