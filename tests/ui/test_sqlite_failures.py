"""Issue 20 on a real SQLite file: a write lock held by another process, a full disk (a small tmpfs), a read-only
filesystem under the database and under the drafts. Every failure says in words what was not saved; the retry
saves once; a draft is never offered back after its record was saved."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from db.workstation import StoreTimeouts
from desktop.services.errors import StoreUnavailableError
from desktop.services.storage.store import Store, open_store
from desktop.services.visits.drafts import DraftStore
from desktop.services.visits.visit_queries import list_administrations
from desktop.ui.main_window import MainWindow
from desktop.ui.session import offer_draft
from desktop.ui.theme import apply_theme
from tests.ui.conftest import NURSE, facade_of
from tests.ui.flows import fill_j9302, snap

SHORT = StoreTimeouts(connect=2, statement=3, lock=1, busy=1)


def _mount(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'}); the disk-full and "
                    "read-only scenarios need one")


def _remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True, capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small"
    _mount(folder, "2m")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _window(qtbot, store: Store, drafts: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    window = MainWindow(facade_of(store, NURSE, DraftStore(drafts, NURSE), store.url))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _accept(window: MainWindow, qtbot, signal: str) -> str:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(getattr(window.entry, signal), timeout=30_000, raising=False) as blocker:
        window.entry.accept()
    status = window.entry_page.status.text()
    assert blocker.signal_triggered, f"no {signal}: {status}"
    assert "sqlalche" not in status and "OperationalError" not in status
    return status


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'charges.sqlite3'}", timeouts=SHORT)
    yield store
    store.close()


def test_a_write_lock_held_by_another_process_says_so_and_the_retry_saves_once(
    qtbot, sqlite_store: Store, tmp_path: Path, artifacts_dir: Path
) -> None:
    window = _window(qtbot, sqlite_store, tmp_path / "drafts")
    fill_j9302(window)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('BEGIN IMMEDIATE');"
         " print('held', flush=True); sys.stdin.read()", str(tmp_path / "charges.sqlite3")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        status = _accept(window, qtbot, "save_failed")
        assert "Not saved" in status and "Another program on this computer is holding" in status, status
        assert "within 1 s" in status and "try again" in status
        snap(window, artifacts_dir / "entry_sqlite_lock_held_1366.png")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    status = _accept(window, qtbot, "saved")
    assert status.startswith("\u2714 Saved record #")
    assert len(list_administrations(sqlite_store)) == 1


def test_a_full_disk_says_so_and_nothing_half_saved_stays(qtbot, small_disk: Path, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{small_disk / 'charges.sqlite3'}", timeouts=SHORT)
    try:
        window = _window(qtbot, store, tmp_path / "drafts")
        fill_j9302(window)
        filler = small_disk / "filler"
        with filler.open("wb", buffering=0) as out, pytest.raises(OSError):
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        status = _accept(window, qtbot, "save_failed")
        assert "Not saved" in status and "disk holding the database is full" in status, status
        assert window.entry_page.patient.mrn.text() == "100234"
        filler.unlink()
        status = _accept(window, qtbot, "saved")
        assert status.startswith("\u2714 Saved record #")
        assert len(list_administrations(store)) == 1
    finally:
        store.close()


def test_a_database_on_a_read_only_filesystem_is_refused_in_words(small_disk: Path) -> None:
    open_store(f"sqlite:///{small_disk / 'charges.sqlite3'}", timeouts=SHORT).close()
    _remount(small_disk, "ro")
    try:
        with pytest.raises(StoreUnavailableError, match=r"cannot open the database .*read-only.*Nothing was changed"):
            open_store(f"sqlite:///{small_disk / 'charges.sqlite3'}", timeouts=SHORT)
    finally:
        _remount(small_disk, "rw")


def test_a_saved_record_is_never_offered_back_as_a_draft_from_a_read_only_folder(
    qtbot, sqlite_store: Store, small_disk: Path, artifacts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.services.visits.drafts as drafts_module

    window = _window(qtbot, sqlite_store, small_disk)  # the drafts live on the small filesystem
    fill_j9302(window)
    window.entry.save_draft()
    assert window.facade.drafts.load() is not None
    _remount(small_disk, "ro")
    try:
        status = _accept(window, qtbot, "saved")
        assert status.startswith("\u2714 Saved record #"), status
        assert "draft file could not be deleted" in status and "will not be offered again" in status
        snap(window, artifacts_dir / "entry_saved_draft_folder_read_only_1366.png")
        assert window.facade.drafts.load() is None  # the next sign-in in this program: not offered
        # The next start of the program (nothing remembered): the file is still there, the database says it was saved.
        monkeypatch.setattr(drafts_module, "_SETTLED", {})
        window.facade.drafts = DraftStore(small_disk, NURSE)
        offer_draft(window)  # a dialog here would block the test: it must not be asked
        qtbot.waitUntil(lambda: "already saved" in window.entry_page.status.text(), timeout=20000)  # asked off the GUI
        assert "already saved as record #" in window.entry_page.status.text()
        assert window.entry_page.drug.vials.rows == []  # nothing restored (the saved visit stays on screen)
    finally:
        _remount(small_disk, "rw")
    assert len(list_administrations(sqlite_store)) == 1
