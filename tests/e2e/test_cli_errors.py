"""CLI errors of issue 15 §4 (not calc JSON parsing): one line on stderr, the documented exit code, and the
database left as it was. Real processes where the locale or the file's owner matters."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db.errors import StoredValueError
from desktop.cli.main import main
from desktop.services import Store, list_administrations, open_store, record_administration
from tests.services import conftest as store_fixtures
from tests.services.cli_accounts import cli_accounts
from tests.services.conftest import make_request
from tests.services.test_cli import RECORD

pg_schema, store_url, store = store_fixtures.pg_schema, store_fixtures.store_url, store_fixtures.store
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    cli_accounts(store_url, monkeypatch)

    def invoke(*argv: str, stdin: str = "", url: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = main(["--database-url", url or store_url, *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


def _count(url: str) -> int:
    opened = open_store(url)
    try:
        return len(list_administrations(opened))
    finally:
        opened.close()


@pytest.mark.parametrize("argv", [
    ("show", "18446744073709551616"), ("show", "-1"), ("show", "0"), ("void", "99999999999999999999", "--reason", "x"),
    ("ticket", "18446744073709551616", "--output", "t.pdf"),
])
def test_ids_the_database_cannot_hold_exit_2(run: Any, argv: tuple[str, ...]) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == "" and one_line(err) and "record id" in err, err


@pytest.mark.parametrize("url", ["foo://x", "postgresql+nosuchdriver://u@h/d", "sqlite+pysqlcipher:///x.db",
                                 "postgresql+psycopg://u@127.0.0.1:1/none", "not a url at all"])
def test_a_database_url_that_cannot_be_used_exits_6(run: Any, url: str) -> None:
    code, out, err = run("list", url=url)
    assert code == 6 and out == "" and one_line(err) and "database" in err, err


@pytest.mark.parametrize(("field", "value", "words"), [
    ("route", "I" * 41, "route"), ("route", "I\x00V", "route"), ("lot", "A\x001", "lot"),
    ("notes", "ok\x00", "control characters"), ("nurse", "R" * 500, "nurse"),
])
def test_text_the_database_cannot_hold_is_refused_before_it_sees_it(
    run: Any, store_url: str, field: str, value: str, words: str
) -> None:
    body = json.loads(json.dumps(RECORD))
    if field == "lot":
        body["packages"][0]["lot"] = value
    else:
        body[field] = value
    code, out, err = run("record", stdin=json.dumps(body))
    assert code == 2 and out == "" and one_line(err) and words in err, err
    assert _count(store_url) == 0


def test_the_store_refuses_overlong_text_and_nul_on_both_backends(store: Store) -> None:
    """Below the services: whatever writes a row, the flush check refuses before PostgreSQL's DataError (or
    SQLite's silent 10 MB value), naming the column."""
    from db import models

    with pytest.raises(StoredValueError, match="key is 81 characters long; at most 80"), \
            store.session_scope() as session:
        session.add(models.Setting(key="k" * 81, value="v"))
    with pytest.raises(StoredValueError, match="value contains a NUL"), store.session_scope() as session:
        session.add(models.Setting(key="k", value="a\x00b"))
    with store.session_scope(write=False) as session:
        assert session.query(models.Setting).filter(models.Setting.key.like("k%")).count() == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_lock_held_past_the_busy_timeout_after_open_exits_6(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import desktop.cli.store_access as store_access

    path = tmp_path / "charges.sqlite3"
    url = f"sqlite:///{path}"
    cli_accounts(url, monkeypatch)
    settings = tmp_path / "workstation.toml"
    settings.write_text("[timeouts]\nbusy = 0.3\n", encoding="utf-8")  # this workstation waits 0.3 s for a lock
    monkeypatch.setenv("INFUSION_CHARGE_WORKSTATION_CONFIG", str(settings))
    holder: list[sqlite3.Connection] = []
    real_open = store_access.open_store

    def open_then_lock(*args: Any, **kwargs: Any) -> Store:
        opened = real_open(*args, **kwargs)
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # another program holds the file from now on
        holder.append(locker)
        return opened

    monkeypatch.setattr(store_access, "open_store", open_then_lock)
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(RECORD)))
    code = main(["--database-url", url, "record"])
    err = capsys.readouterr().err
    holder[0].execute("ROLLBACK")
    holder[0].close()
    assert code == 6 and one_line(err) and "holding" in err and "Nothing was saved" in err, err
    assert _count(url) == 0


def _subprocess(argv: list[str], stdin: bytes, env: dict[str, str], user: int | None = None) -> tuple[int, str]:
    def become() -> None:
        if user is not None:
            os.setgid(user)
            os.setuid(user)
    result = subprocess.run([sys.executable, "-m", "desktop.cli.main", *argv], input=stdin, capture_output=True,
                            env=env, cwd=ROOT, timeout=120, preexec_fn=become if user is not None else None)
    return result.returncode, result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("raw", [b"\xff\xfe{}", b'{"lot": "\xed\xa0\x80"}', b"\xc3"])
def test_invalid_utf8_on_stdin_under_a_strict_locale_exits_2(
    run: Any, store_url: str, raw: bytes
) -> None:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "utf-8:strict", "PYTHONUTF8": "0"}
    code, err = _subprocess(["--database-url", store_url, "record"], raw, env)
    assert code == 2 and one_line(err) and "not UTF-8" in err, err
    assert _count(store_url) == 0


def _record_as(url: str, user: int | None, results: Any) -> None:
    """In a forked child: become an ordinary user (root may write any file), then run `record`."""
    import contextlib

    if user is not None:
        os.setgid(user)
        os.setuid(user)
    said = io.StringIO()
    sys.stdin = io.StringIO(json.dumps(RECORD))
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--database-url", url, "record", "--user", "rn.a"])
    results.put((code, said.getvalue()))


def test_record_on_a_read_only_database_file_exits_6(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from desktop.cli.main import build_parser

    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "charges.sqlite3"
    url = f"sqlite:///{path}"
    cli_accounts(url, monkeypatch)
    opened = open_store(url)
    record_administration(opened, make_request(), "rn.a")
    opened.close()
    before = _digest(path)
    nobody = 65534 if os.geteuid() == 0 else None
    audit = folder / "audit"
    if nobody is not None:  # the person may read the audit key; the database file is not theirs to write
        for entry in [audit, *audit.iterdir()]:
            os.chown(entry, nobody, nobody)
        for parent in [tmp_path, *tmp_path.parents]:
            os.chmod(parent, os.stat(parent).st_mode | 0o005)
    os.chmod(path, 0o444)
    for side in folder.glob("charges.sqlite3-*"):
        os.chmod(side, 0o444)
    os.chmod(folder, 0o555)
    build_parser()  # every command module imported before the fork, while the sources are readable
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_record_as, args=(url, nobody, results))
    try:
        child.start()
        code, err = results.get(timeout=120)
        child.join(30)
    finally:
        os.chmod(folder, 0o755)
    assert code == 6 and one_line(err) and ("read-only" in err or "readonly" in err), err
    assert _digest(path) == before
