"""Issue 15 §3: a restore takes the SQLite database exclusively. While another process has it open (here one that
records in a loop) the restore is refused and changes nothing; once it is closed the restore runs; AUTOINCREMENT
ids never go back below the highest given out before the restore."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services import open_store, record_administration
from desktop.services.errors import ServiceError
from desktop.services.storage.backup import backup_database, restore_database
from desktop.services.visits.visit_queries import list_administrations
from tests.services.conftest import make_request

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys, time
from desktop.services import open_store, record_administration
from tests.services.conftest import make_request
store = open_store(sys.argv[1])
print("open", flush=True)
n = 0
while sys.stdin.readline().strip() == "more":
    n += 1
    outcome = record_administration(store, make_request(mrn=f"W{n}", name=f"Writer {n}"), "writer")
    print(outcome.id, flush=True)
store.close()
"""


def _writer(url: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", WRITER, url], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().strip() == "open"
    return process


def _record_one(writer: subprocess.Popen[str]) -> int:
    assert writer.stdin is not None and writer.stdout is not None
    writer.stdin.write("more\n")
    writer.stdin.flush()
    return int(writer.stdout.readline())


def test_restore_is_refused_while_a_writer_has_the_database_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    store = open_store(url)
    record_administration(store, make_request(mrn="B1", name="Before Backup"), "rn")
    backup = backup_database(store, tmp_path / "backup.sqlite3")
    store.close()

    writer = _writer(url)
    try:
        written = [_record_one(writer) for _ in range(3)]
        with pytest.raises(ServiceError, match=r"open in another program.*Nothing was changed"):
            restore_database(url, backup)
        written.append(_record_one(writer))  # the writer goes on, on the database as it was
    finally:
        assert writer.stdin is not None
        writer.stdin.write("stop\n")
        writer.stdin.close()
        writer.wait(30)
    check = open_store(url)
    assert sorted(a.id for a in list_administrations(check)) == [1, *written]
    check.close()

    kept = restore_database(url, backup)  # nobody has it open now
    assert kept.exists() and kept.stat().st_mode & 0o777 == 0o600
    after = open_store(url)
    assert [a.patient_mrn for a in list_administrations(after)] == ["B1"]
    after.close()


def test_a_restore_holds_the_database_until_it_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the restore copies, a program that starts waits for it instead of writing under it."""
    import desktop.services.storage.backup as maintenance
    from desktop.services.errors import StoreUnavailableError

    url = f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    store = open_store(url)
    backup = backup_database(store, tmp_path / "backup.sqlite3")
    store.close()
    seen: list[str] = []
    original = maintenance._restore_into

    def during(destination: Path, source: Path) -> Path:
        monkeypatch.setattr("desktop.services.storage.store.RESTORE_WAIT_SECONDS", 0.3)
        with pytest.raises(StoreUnavailableError, match="being restored from a backup") as refused:
            open_store(url)
        seen.append(str(refused.value))
        return original(destination, source)

    monkeypatch.setattr(maintenance, "_restore_into", during)
    restore_database(url, backup)
    assert len(seen) == 1
    open_store(url).close()  # and afterwards it opens as usual


def test_autoincrement_ids_stay_above_the_highest_given_out_before_the_restore(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    open_store(url).close()
    path = tmp_path / "charges.sqlite3"
    with sqlite3.connect(path) as connection:  # a table with AUTOINCREMENT (proposed for the record tables)
        connection.execute("CREATE TABLE ticket_number (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT)")
        connection.execute("INSERT INTO ticket_number (note) VALUES ('before the backup')")
    store = open_store(url)
    backup = backup_database(store, tmp_path / "backup.sqlite3")
    store.close()
    with sqlite3.connect(path) as connection:
        connection.executemany("INSERT INTO ticket_number (note) VALUES (?)", [("after",)] * 5)  # ids 2..6
    restore_database(url, backup)
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO ticket_number (note) VALUES ('after the restore')")
        ids = [row[0] for row in connection.execute("SELECT id FROM ticket_number ORDER BY id")]
    assert ids == [1, 7]  # not 2: that number named another row before the restore


def test_the_cli_restore_exits_2_with_the_words_while_the_app_is_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    store = open_store(url)
    backup = backup_database(store, tmp_path / "backup.sqlite3")
    writer = _writer(url)
    try:
        done = subprocess.run([sys.executable, "-m", "desktop.cli.main", "--database-url", url, "restore",
                               str(backup)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        assert writer.stdin is not None
        writer.stdin.close()
        writer.wait(30)
        store.close()
    assert done.returncode == 2 and "open in another program" in done.stderr and "Traceback" not in done.stderr


def test_records_made_after_a_restore_of_an_older_backup_never_reuse_an_id(tmp_path: Path) -> None:
    from desktop.services import backup_database, get_visit, open_store, record_administration, restore_database
    from tests.services.conftest import make_request

    url = f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    store = open_store(url)
    first = record_administration(store, make_request(mrn="R1"), "rn")
    backup_database(store, tmp_path / "older.sqlite3")
    later = [record_administration(store, make_request(mrn=f"R{n}"), "rn") for n in (2, 3)]
    store.close()
    restore_database(url, tmp_path / "older.sqlite3")
    store = open_store(url)
    try:
        again = record_administration(store, make_request(mrn="R9"), "rn")
        used = {first.id, *(o.id for o in later)}
        assert again.id not in used and again.id > max(used)
        assert again.visit_id > max(o.visit_id for o in later)
        assert get_visit(store, first.visit_id).patient.mrn == "R1"
    finally:
        store.close()
