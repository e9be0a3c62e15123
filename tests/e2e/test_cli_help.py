"""`--help`: no arguments opens the application; every command shows the global options and an example that parses."""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path

import pytest

from desktop.cli.main import EXAMPLES, build_parser, main


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, argparse.ArgumentParser]:
    """Every command and sub-command, by its words: {"list": ..., "audit": ..., "audit verify": ...}."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[" ".join((*path, name))] = sub
                found.update(commands(sub, (*path, name)))
    return found


ALL = commands(build_parser())


def help_of(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    with pytest.raises(SystemExit) as ended:
        main([*words, "--help"])
    assert ended.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_says_no_arguments_opens_the_application(capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(help_of(capsys).split())
    assert "With no arguments it opens the application" in text
    assert "infusion-charge COMMAND --help" in text
    assert "--database-url URL" in text and "also accepted after a command" in text
    for name in ("calc", "record", "list", "demo", "export"):
        assert f" {name} " in text


def test_every_command_has_an_example() -> None:
    assert len(ALL) >= 14
    assert set(ALL) == set(EXAMPLES), "commands without an example (or examples without a command)"


@pytest.mark.parametrize("command", sorted(ALL))
def test_every_command_help_shows_the_global_options_and_its_example(command: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, *command.split())
    assert "global options (before or after the command):\n  --database-url URL" in text
    assert f"example:\n  {EXAMPLES[command]}\n" in text
    assert text.startswith(f"usage: infusion-charge {command} ")


@pytest.mark.parametrize("command", sorted(ALL))
def test_every_example_is_a_valid_command_line(command: str) -> None:
    words = shlex.split(EXAMPLES[command])
    assert words[0] == "infusion-charge"
    args = build_parser().parse_args(words[1:])
    assert args.command == command.split()[0]
    assert callable(args.func)


@pytest.mark.parametrize("place", ["before", "after"])
def test_database_url_works_before_or_after_the_command(place: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "charges.sqlite3"
    url = ["--database-url", f"sqlite:///{database}"]
    argv = [*url, "list"] if place == "before" else ["list", *url]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert database.exists()


def test_database_url_given_to_audit_before_verify_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "audited.sqlite3"
    assert main(["audit", "--database-url", f"sqlite:///{database}", "verify"]) == 0
    assert database.exists()
    capsys.readouterr()
