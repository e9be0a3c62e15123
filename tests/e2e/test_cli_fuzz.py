"""Hypothesis fuzz of every CLI command's ARGUMENTS (not the calc JSON body) on SQLite and PostgreSQL.

The commands and their options are read from the real parser, so a new command or option is fuzzed without
editing this file. Every run must end with a documented exit code and no traceback; stdout is a strict UTF-8
stream and stderr a backslash-replacing one, as a terminal gives them. Examples per backend:
$INFUSION_CHARGE_FUZZ_EXAMPLES (default 2000).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli.main import build_parser, main
from desktop.services import open_store, record_administration, verify_administration
from tests.services import conftest as store_fixtures
from tests.services.cli_accounts import BILLERS, NURSES, cli_accounts
from tests.services.conftest import make_request
from tests.services.test_cli import RECORD

pg_schema, store_url = store_fixtures.pg_schema, store_fixtures.store_url

EXAMPLES = int(os.environ.get("INFUSION_CHARGE_FUZZ_EXAMPLES", "2000"))
DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 6, 7}
LEFT_OUT = {"--self-test", "--version", "--database-url"}  # the window; the version; the database is fixed below
# Commands that change this computer rather than the database (groupadd, /var/lib, the workstation settings file):
# run as root they would reconfigure the machine the tests run on.
LEFT_OUT_COMMANDS = {"workstation"}
PATH_DESTS = {"input", "output", "path"}


def _commands() -> dict[tuple[str, ...], list[argparse.Action]]:
    """Every leaf command of the real parser with its arguments."""
    found: dict[tuple[str, ...], list[argparse.Action]] = {}

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        for action in subparsers:
            for name, sub in action.choices.items():
                walk(sub, (*prefix, name))
        if prefix and prefix[0] in LEFT_OUT_COMMANDS:
            return
        if prefix and not subparsers:
            found[prefix] = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)
                             and not set(a.option_strings) & LEFT_OUT]
    walk(build_parser(), ())
    return found


COMMANDS = _commands()

junk_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["", " ", "-", "--", "-1", "0", "1", "2", "99", "18446744073709551616", "1e400", "nan",
                     "\u0661\u0662", "\uff11\uff12", "2026-11-29", "2026-02-30", "9999-12-31", "0001-01-01",
                     "29/11/2026",
                     "\udcff", "\x00", "x" * 5000, "../../etc/passwd", "admin", "--user", "--help"]),
)


def _values(action: argparse.Action, folder: Path) -> st.SearchStrategy[str]:
    if action.dest in PATH_DESTS:
        names = st.text(alphabet=st.characters(exclude_characters="/\x00", codec="utf-8"), min_size=1, max_size=20)
        return st.one_of(names.map(lambda n: str(folder / n)), st.sampled_from(
            ["-", "", str(folder), str(folder / "missing" / "x.pdf"), str(folder / "backup.sqlite3")]))
    if action.dest in {"user", "token"}:
        return st.one_of(st.sampled_from([*NURSES, *BILLERS, "nobody", ""]), junk_text)
    choices = [str(c) for c in action.choices] if action.choices else []
    return st.one_of(st.sampled_from(choices), junk_text) if choices else junk_text


@st.composite
def command_lines(draw: st.DrawFn, folder: Path) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    argv = list(command)
    for action in COMMANDS[command]:
        if not action.option_strings:  # positional: usually given, sometimes not
            if draw(st.integers(0, 9)):
                argv.append(draw(_values(action, folder)))
            continue
        if not draw(st.booleans()):
            continue
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(option)
        else:
            argv += [option, draw(_values(action, folder))]
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(junk_text))
    return argv


def _run(argv: list[str], url: str) -> tuple[int, str]:
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    streams = (sys.stdin, sys.stdout, sys.stderr)
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace")
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(RECORD).encode("utf-8")), encoding="utf-8")
    sys.stdin, sys.stdout, sys.stderr = stdin, out, err
    try:
        try:
            code = main(["--database-url", url, *argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        out.flush()
        err.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
    said = err_bytes.getvalue().decode("utf-8", "replace")
    out.detach()
    err.detach()
    return code, said


def test_every_command_is_fuzzed() -> None:
    assert {c[0] for c in COMMANDS} >= {"record", "list", "show", "void", "backup", "restore", "ticket", "tickets",
                                        "export", "report", "audit", "demo", "account", "login", "calc"}


@pytest.mark.slow
def test_cli_arguments_never_give_a_traceback(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_accounts(store_url, monkeypatch)
    store = open_store(store_url)
    first = record_administration(store, make_request(), "rn.a")
    verify_administration(store, first.id, "biller", first.version)
    record_administration(store, make_request(mrn="M2", name="John Roe"), "rn.patel")
    store.close()
    folder = tmp_path / "files"
    folder.mkdir()
    monkeypatch.chdir(folder)
    seen: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(argv=command_lines(folder))
    def one(argv: list[str]) -> None:
        code, err = _run(argv, store_url)
        seen[code] = seen.get(code, 0) + 1
        assert code in DOCUMENTED_EXITS, (argv, code, err)
        assert "Traceback" not in err, (argv, err)
        if code not in (0, 1):
            assert err.strip(), (argv, code)

    one()
    assert sum(seen.values()) >= EXAMPLES and len(seen) >= 3, seen
