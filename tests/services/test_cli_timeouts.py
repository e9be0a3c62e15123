"""Issue 15 §3 / 20.4: a lock held by another workstation never blocks a writer for ever. On PostgreSQL the
`lock_timeout` from the workstation settings ends the wait; on SQLite the busy timeout; the CLI exits 6 with one
line saying another workstation (or program) is holding the records and to try again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from desktop.services import open_store
from tests.services.cli_accounts import cli_accounts
from tests.services.test_cli import RECORD, run


@pytest.fixture
def one_second_locks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "workstation.toml"
    config.write_text("[timeouts]\nlock = 1\nbusy = 1\nstatement = 5\n", encoding="utf-8")
    monkeypatch.setenv("INFUSION_CHARGE_WORKSTATION_CONFIG", str(config))


def test_a_held_lock_on_postgresql_exits_6_with_words(
    pg_schema: str, one_second_locks: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(pg_schema).close()  # the schema exists before the other workstation takes its lock
    cli_accounts(pg_schema, monkeypatch)  # signed in, not in bootstrap mode (whose notice is a line of its own)
    other = sa.create_engine(pg_schema)
    with other.connect() as holder:
        holder.exec_driver_sql("SELECT * FROM audit_head FOR UPDATE")  # another workstation mid-save
        code, out, err = run(monkeypatch, capsys, ["--database-url", pg_schema, "record", "--user", "rn.a"],
                             stdin=json.dumps(RECORD))
        holder.rollback()
    other.dispose()
    assert code == 6 and out == ""
    assert err.count("\n") == 1 and "another workstation is holding" in err and "within 1 s" in err
    assert "try again" in err and "Traceback" not in err and "sqlalche" not in err
    code, out, _ = run(monkeypatch, capsys, ["--database-url", pg_schema, "record", "--user", "rn.a"],
                       stdin=json.dumps(RECORD))
    assert code == 0 and json.loads(out)["id"] == 1  # nothing half-saved by the refused attempt


def test_a_held_sqlite_lock_exits_6_with_words(
    tmp_path: Path, one_second_locks: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    open_store(url).close()
    holder = sqlite3.connect(tmp_path / "charges.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = run(monkeypatch, capsys, ["--database-url", url, "record", "--user", "rn.a"],
                           stdin=json.dumps(RECORD))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 6 and "another program on this computer is holding" in err and "within 1 s" in err
