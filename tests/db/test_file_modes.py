"""Issue 21: every file the program writes is private. A fresh installation (the default data folder under a
temporary home, the usual umask 022) gets a 0700 folder and 0600 files: database, WAL, SHM, sessions lock, drafts,
queued audit events, pre-upgrade copies, backups, exports, tickets, log. An existing wide-open installation is
tightened at start-up and says so once. The log of a whole scenario holds no patient data."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.engine import user_data_folder
from db.migrate import backup_sqlite
from desktop.cli.main import main
from desktop.facade.workstation import Workstation
from desktop.services import open_store, record_administration
from desktop.services.people.pending_sign_outs import PendingAudit
from desktop.services.storage.backup import backup_database
from desktop.services.storage.private_output import save_private
from desktop.services.visits.drafts import DraftStore
from desktop.ui.app import tightened_notice
from tests.services.cli_accounts import cli_accounts
from tests.services.conftest import make_request
from tests.services.test_cli import RECORD


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A new account's home: the default data folder does not exist yet; the usual umask."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-home"))
    monkeypatch.delenv("INFUSION_CHARGE_DATABASE_URL", raising=False)
    monkeypatch.delenv("INFUSION_CHARGE_LOG_FOLDER", raising=False)
    old = os.umask(0o022)
    try:
        yield tmp_path
    finally:
        os.umask(old)


def test_a_fresh_installation_writes_every_file_private(
    fresh_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_data_folder()
    assert folder == fresh_home / "data-home" / "infusion-charge-capture" and not folder.exists()
    store = open_store()
    database = folder / "charges.sqlite3"
    record_administration(store, make_request(), "rn")  # WAL and SHM exist while the store is open
    while_open = {suffix: mode(Path(f"{database}{suffix}")) for suffix in ("-wal", "-shm")}
    assert while_open == {"-wal": 0o600, "-shm": 0o600}
    written = {"database": database, "sessions lock": folder / "charges.sqlite3.sessions"}
    drafts = DraftStore(user="nurse.kim")
    drafts.save({"mrn": "100234", "name": "Rivera, Ana"}, "nurse.kim", request_id="r-1")
    written["draft"] = drafts.path
    queue = PendingAudit()
    queue.add("nurse.kim", "auto_lock", "chair-6", "the database could not be reached")
    written["queued audit events"] = queue.path
    written["pre-upgrade copy"] = backup_sqlite(database, "before-0009")
    written["backup"] = backup_database(store, fresh_home / "backups-of-my-own.sqlite3")
    written["ticket saved from the preview"] = save_private(fresh_home / "ticket.pdf", b"%PDF-1.4 test")
    store.close()

    url = f"sqlite:///{database}"
    cli_accounts(url, monkeypatch)  # the commands sign in (issue 15)
    chain = next(folder.glob("audit/*.key.json")).name.removesuffix(".key.json")
    written |= {"audit key": folder / "audit" / f"{chain}.key.json",
                "audit anchor": folder / "audit" / f"{chain}.anchor.json"}
    assert main(["--database-url", url, "export", "--format", "csv", "--from", "2026-11-29", "--to", "2026-11-29",
                 "--state", "all", "--output", str(fresh_home / "export.csv")]) == 0
    written["export"] = fresh_home / "export.csv"
    assert main(["--database-url", url, "ticket", "1", "--output", str(fresh_home / "cli-ticket.pdf")]) == 0
    written["ticket"] = fresh_home / "cli-ticket.pdf"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(json.dumps(RECORD)))
    assert main(["--database-url", url, "backup", str(fresh_home / "cli-backup.sqlite3")]) == 0
    written["CLI backup"] = fresh_home / "cli-backup.sqlite3"
    capsys.readouterr()

    assert mode(folder) == 0o700 and mode(folder / "audit") == 0o700
    written["audit key beside the backup"] = fresh_home / "cli-backup.sqlite3.audit.json"
    wrong = {name: oct(mode(path)) for name, path in written.items() if mode(path) != 0o600}
    assert wrong == {}
    leftovers = [p.name for p in [*folder.iterdir(), *fresh_home.iterdir()] if ".partial" in p.name or
                 p.name.startswith(".")]
    assert leftovers == []  # no temporary file left behind


def test_an_existing_wide_open_installation_is_tightened_at_start_and_says_so_once(fresh_home: Path) -> None:
    folder = user_data_folder()
    open_store().close()
    DraftStore(user="nurse.kim").save({"mrn": "1"}, "nurse.kim")
    os.chmod(folder, 0o755)  # as the issue found it
    for path in folder.iterdir():
        os.chmod(path, 0o644)

    store = open_store()
    try:
        notice = tightened_notice(Workstation(store))
        assert notice is not None and "could be read by other accounts" in notice and "charges.sqlite3" in notice
        assert mode(folder) == 0o700
        assert {p.name: mode(p) for p in folder.iterdir() if mode(p) != 0o600} == {}
    finally:
        store.close()
    again = open_store()
    assert tightened_notice(Workstation(again)) is None  # once: nothing was wide open any more
    again.close()


def test_a_file_chosen_elsewhere_is_private_but_its_folder_is_left_alone(fresh_home: Path) -> None:
    mine = fresh_home / "my-folder"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)
    store = open_store(f"sqlite:///{mine / 'demo.sqlite3'}")
    store.close()
    assert mode(mine / "demo.sqlite3") == 0o600 and mode(mine) == 0o755 and store.tightened == ()


def test_the_log_of_a_whole_scenario_holds_no_patient_data(
    fresh_home: Path, qtbot, artifacts_dir: Path  # type: ignore[no-untyped-def]
) -> None:
    """Record, fail (a write lock held by another program), retry, lock the screen: then grep the log."""
    import sqlite3

    from PySide6.QtWidgets import QApplication

    from desktop.services.storage.event_log import LOG_FILE, configure_log
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import attach_session
    from tests.ui.conftest import facade_of
    from tests.ui.flows import fill_j9302

    log = configure_log(fresh_home / "logs")
    assert log is not None and log.name == LOG_FILE
    from db.workstation import StoreTimeouts

    store = open_store(timeouts=StoreTimeouts(busy=1))
    window = MainWindow(facade_of(store, "nurse.kim", DraftStore(user="nurse.kim"), "x"))
    qtbot.addWidget(window)
    window.show()
    fill_j9302(window)  # MRN 100234, Rivera, Ana, born 1956-03-14, C91.10
    holder = sqlite3.connect(user_data_folder() / "charges.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with qtbot.waitSignal(window.entry.save_failed, timeout=20_000):
        window.entry.accept()
    holder.execute("ROLLBACK")
    holder.close()
    with qtbot.waitSignal(window.entry.saved, timeout=20_000):
        window.entry.accept()

    class Signed:  # what sign_in returns, for a database without accounts
        class account:
            username, display_name, role_label = "nurse.kim", "Kim, RN", "Nurse"
        auto_lock_minutes = 5

    guard = attach_session(window, Signed(), idle_ms=60_000)
    guard.switch_user()
    QApplication.processEvents()
    qtbot.wait(300)
    store.close()

    text = log.read_text(encoding="utf-8")
    assert "Saving the charge failed: StoreUnavailableError" in text and "screen locked" in text
    for patient_data in ("100234", "Rivera", "Ana", "1956", "03/14", "C91.10", "Lee, RN"):
        assert patient_data not in text, patient_data
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
