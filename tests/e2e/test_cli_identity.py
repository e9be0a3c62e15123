"""Identity the command line cannot fake: sign-in, roles per command, nothing written before authorization,
bootstrap only on a brand-new database, tokens, and concurrent voids that lose with exit 5."""

from __future__ import annotations

import io
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.identity import ENV_PASSWORD, ENV_TOKEN
from desktop.cli.main import main
from desktop.services import open_store, record_administration, verify_administration
from desktop.services.people.accounts import set_user_disabled
from tests.services import conftest as store_fixtures
from tests.services.cli_accounts import cli_accounts, use_fast_hasher
from tests.services.conftest import make_request
from tests.services.test_cli import RECORD

pg_schema, store_url = store_fixtures.pg_schema, store_fixtures.store_url


@pytest.fixture
def run(store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    def invoke(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        try:
            code = main(["--database-url", store_url, *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


@pytest.fixture
def accounts(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Accounts and one recorded, verified administration (id 1); returns the administrator's name."""
    admin = cli_accounts(store_url, monkeypatch)
    store = open_store(store_url)
    outcome = record_administration(store, make_request(), "rn.a")
    verify_administration(store, outcome.id, "biller", outcome.version)
    store.close()
    return admin


def test_no_password_no_terminal_is_refused(run: Any, accounts: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_PASSWORD)
    code, out, err = run("list")
    assert code == 7 and out == "" and "sign-in needed" in err and ENV_PASSWORD in err


@pytest.mark.parametrize("argv", [
    ("--user", "admin", "export", "--format", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "--output", "-"),
    ("--user", "biller", "void", "1", "--reason", "x"),
    ("--user", "rn.a", "show", "1"),
])
def test_a_name_without_its_password_is_refused(run: Any, accounts: str, monkeypatch: pytest.MonkeyPatch,
                                                argv: tuple[str, ...]) -> None:
    monkeypatch.setenv(ENV_PASSWORD, "not the password")
    command, *rest = argv[2:]
    code, out, err = run(command, *rest, *argv[:2])
    assert code == 7 and out == "" and "not signed in" in err and "Traceback" not in err


@pytest.mark.parametrize(("user", "argv", "writes"), [
    ("rn.a", ("ticket", "1", "--output", "{tmp}/t.pdf"), "t.pdf"),
    ("rn.a", ("tickets", "--date", "2026-11-29", "--output", "{tmp}/day.pdf"), "day.pdf"),
    ("rn.a", ("export", "--format", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "--output",
              "{tmp}/x.csv"), "x.csv"),
    ("rn.a", ("report", "waste", "--from", "2026-11-01", "--to", "2026-11-30", "--output", "{tmp}/r.json"),
     "r.json"),
    ("biller", ("backup", "{tmp}/b.sqlite3"), "b.sqlite3"),
    ("rn.a", ("audit", "verify"), None),
    ("biller", ("record",), None),
])
def test_a_role_that_may_not_is_refused_before_anything_is_written(
    run: Any, accounts: str, tmp_path: Path, user: str, argv: tuple[str, ...], writes: str | None
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    argv = tuple(a.replace("{tmp}", str(out_dir)) for a in argv)
    code, out, err = run(*argv, "--user", user, stdin=json.dumps(RECORD))
    assert code == 7 and out == "" and "not allowed" in err, err
    assert list(out_dir.iterdir()) == [], f"{writes} was written"
    code, out, _ = run("list")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [1]  # nothing recorded either


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # a server database is backed up with pg_dump
def test_restore_needs_an_administrator_and_leaves_the_database(run: Any, accounts: str, tmp_path: Path) -> None:
    backup = tmp_path / "b.sqlite3"
    code, _, err = run("backup", str(backup))
    assert code == 0, err
    code, _, err = run("restore", str(backup), "--user", "biller")
    assert code == 7 and "not allowed" in err
    code, out, _ = run("list")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [1]


def test_allowed_roles_work_and_what_is_recorded_is_who_signed_in(run: Any, accounts: str) -> None:
    code, out, err = run("record", "--user", "rn.patel", stdin=json.dumps(RECORD | {"patient": {
        "mrn": "N2", "name": "Ann Lee", "date_of_birth": "1970-01-01"}}))
    assert code == 0, err
    code, out, _ = run("list", "--user", "rn.patel")
    assert code == 0 and {r["recorded_by"] for r in json.loads(out)} == {"rn.a", "rn.patel"}


def test_bootstrap_only_on_a_brand_new_database(run: Any, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_hasher(monkeypatch)
    code, out, err = run("list")
    assert code == 0 and json.loads(out) == [] and "bootstrap mode" in err
    store = open_store(store_url)
    record_administration(store, make_request(), "someone")  # records, still no account
    store.close()
    code, out, err = run("list")
    assert code == 7 and out == "" and "has records but no accounts" in err and "create-admin" in err
    code, _, err = run("demo")
    assert code == 2 and "not empty" in err
    monkeypatch.setenv(ENV_PASSWORD, "a long enough password 1")
    code, _, err = run("account", "create-admin", "--user", "boss")
    assert code == 0, err
    code, out, err = run("list", "--user", "boss")
    assert code == 0 and len(json.loads(out)) == 1 and "bootstrap" not in err
    code, _, err = run("account", "create-admin", "--user", "second")
    assert code == 2 and "already exists" in err


def test_a_token_stands_for_its_person_until_it_is_altered_or_the_account_disabled(
    run: Any, accounts: str, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run("login", "--user", "biller", "--minutes", "5")
    assert code == 0, err
    token = out.strip()
    monkeypatch.delenv(ENV_PASSWORD)
    monkeypatch.setenv(ENV_TOKEN, token)
    code, out, err = run("list")
    assert code == 0 and len(json.loads(out)) == 1, err
    code, _, err = run("audit", "verify")  # the token carries the biller's role, not more
    assert code == 7 and "not allowed" in err
    monkeypatch.setenv(ENV_TOKEN, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    code, _, err = run("list")
    assert code == 7 and "not valid" in err
    monkeypatch.setenv(ENV_TOKEN, token)
    store = open_store(store_url)
    set_user_disabled(store, "biller", True, accounts)
    store.close()
    code, _, err = run("list")
    assert code == 7 and "can no longer sign in" in err


def _void(url: str, barrier: Any, results: Any) -> None:
    import contextlib

    barrier.wait(30)
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        code = main(["--database-url", url, "void", "1", "--reason", "entered twice", "--user", "biller"])
    results.put((code, said.getvalue()))


def test_losers_of_a_concurrent_void_exit_5(accounts: str, store_url: str) -> None:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(6), context.Queue()
    children = [context.Process(target=_void, args=(store_url, barrier, results)) for _ in range(6)]
    for child in children:
        child.start()
    outcomes = sorted(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(30)
    assert [code for code, _ in outcomes] == [0, 5, 5, 5, 5, 5], outcomes


def test_the_password_is_asked_at_the_terminal(accounts: str, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real pseudo-terminal: the prompt appears, the typed password signs in, the JSON comes out."""
    import os
    import pty
    import select
    import sys

    from tests.services.people_fixtures import PASSWORD

    env = {k: v for k, v in os.environ.items() if k != ENV_PASSWORD}
    root = Path(__file__).resolve().parents[2]
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the CLI with the pty as its controlling terminal
        os.chdir(root)
        os.execve(sys.executable, [sys.executable, "-m", "desktop.cli.main", "--database-url", store_url, "list",
                                   "--user", "rn.a"], env)
    said = b""

    def read_until(marker: bytes) -> None:
        nonlocal said
        while marker not in said:
            ready, _, _ = select.select([terminal], [], [], 60)
            assert ready, said
            try:
                chunk = os.read(terminal, 4096)
            except OSError:
                break
            if not chunk:
                break
            said += chunk

    read_until(b"Password for rn.a: ")
    os.write(terminal, PASSWORD.encode() + b"\n")
    read_until(b"]")
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 0, said
    assert PASSWORD.encode() not in said  # not echoed
    assert b'"recorded_by": "rn.a"' in said
