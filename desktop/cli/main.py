"""Entry point of `infusion-charge`: no arguments opens the app, subcommands are the CLI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from db.errors import StoredValueError
from desktop.cli.arguments import text_problem
from desktop.cli.errors import EXIT_USAGE, CliError

__all__ = ["CliError", "main"]

# Each module registers one or more subcommands with `register(subparsers)` and
# sets `func` on its parser; the function returns the process exit code.
COMMAND_MODULES = (
    "desktop.cli.cmd_calc",
    "desktop.cli.cmd_store",
    "desktop.cli.cmd_audit",
    "desktop.cli.cmd_tickets",
    "desktop.cli.cmd_export",
    "desktop.cli.cmd_report",
    "desktop.cli.cmd_demo",
    "desktop.cli.cmd_workstation",
    "desktop.cli.cmd_account",
)

EXIT_OK = 0
EXIT_STORE = 6


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: SQLite in the data folder)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (database, billing, ticket, PDF, window) and exit")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="infusion-charge", description="Infusion Charge Capture")
    _add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a command not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Global options alone (the GUI, --version, --self-test) need none of the command modules, whose
    # imports (SQLAlchemy, FHIR models, ...) would only slow the application's start.
    problem = text_problem(list(sys.argv[1:] if argv is None else argv))
    if problem:
        print(f"infusion-charge: {problem}", file=sys.stderr)
        return EXIT_USAGE
    front = _Parser(prog="infusion-charge", add_help=False)
    _add_global_options(front)
    args, rest = front.parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    else:
        args.command = None
    if args.version:
        from importlib.metadata import version

        print(f"infusion-charge {version('infusion-charge-capture')}")
        return EXIT_OK
    if args.self_test:  # packaging (issue 8): smoke test of a frozen bundle or an install
        from desktop.cli.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from desktop.ui.app import run_app  # the GUI is only imported when asked for

        return run_app(database_url=args.database_url)
    try:
        code: int = args.func(args)
    except CliError as exc:
        print(f"infusion-charge {args.command}: {exc}", file=sys.stderr)
        return _exit_code(exc)
    except StoredValueError as exc:  # a value the database could not hold, refused before it saw it
        print(f"infusion-charge {args.command}: not saved: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


def _exit_code(error: CliError) -> int:
    """A database that could not be used (away, locked by another workstation, timed out) is exit 6 whichever
    command met it, also where the command only knew "a refusal"."""
    from desktop.services.errors import StoreUnavailableError

    if error.exit_code == EXIT_USAGE and isinstance(error.__cause__, StoreUnavailableError):
        return EXIT_STORE
    return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
