"""Entry point of `infusion-charge`: no arguments opens the app, subcommands are the CLI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

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
    "desktop.cli.cmd_data",
)

EXIT_OK = 0
EXIT_STORE = 6
PROG = "infusion-charge"
DATABASE_URL_HELP = (
    "the database: any SQLAlchemy URL, e.g. sqlite:///charges.sqlite3 or "
    "postgresql+psycopg://user:password@host/dbname (default: $INFUSION_CHARGE_DATABASE_URL, "
    "else charges.sqlite3 in the user data folder)"
)
DESCRIPTION = (
    "Infusion Charge Capture: chairside drug charge capture for outpatient infusion centers.\n\n"
    "With no arguments it opens the application (a window: it needs a desktop session). "
    "With a command it works from the command line; `infusion-charge COMMAND --help` explains each command."
)
TOP_EXAMPLES = (
    "examples:\n"
    "  infusion-charge                                        open the application\n"
    "  infusion-charge --database-url sqlite:///demo.sqlite3  open it on another database\n"
    "  infusion-charge demo --database-url sqlite:///demo.sqlite3\n"
    "  infusion-charge list --date 2026-11-29"
)
# One example per command, shown under its --help (tests/e2e/test_cli_help.py parses each of them), so a
# command's own module needs no help text beyond its options.
EXAMPLES: dict[str, str] = {
    "calc": "infusion-charge calc --input administration.json",
    "record": "infusion-charge record --input visit.json --acknowledge-all --user rn.kim",
    "list": "infusion-charge list --date 2026-11-29 --state held",
    "show": "infusion-charge show 42",
    "visit": "infusion-charge visit 42",
    "void": 'infusion-charge void 42 --reason "recorded on the wrong patient"',
    "backup": "infusion-charge backup ~/backups/charges-2026-11-29.sqlite3",
    "restore": "infusion-charge restore ~/backups/charges-2026-11-29.sqlite3",
    "audit": "infusion-charge audit verify",
    "audit verify": "infusion-charge audit verify --database-url postgresql+psycopg://infusion:PASSWORD@db-host/charges",
    "ticket": "infusion-charge ticket 42 --output ticket-42.pdf",
    "tickets": "infusion-charge tickets --date 2026-11-29 --output tickets-2026-11-29.pdf",
    "export": "infusion-charge export --format csv --from 2026-11-01 --to 2026-11-30 --output november.csv",
    "report": "infusion-charge report waste --from 2026-11-01 --to 2026-11-30 --format pdf --output waste.pdf",
    "demo": "infusion-charge demo --database-url sqlite:///demo.sqlite3",
    "workstation": "infusion-charge workstation share --group infusion-charge",
    "audit rotate-key": "infusion-charge audit rotate-key --user admin",
    "account": "infusion-charge account create-admin --user admin",
    "account create-admin": "infusion-charge account create-admin --user admin --display-name \"Ada Admin\"",
    "login": "infusion-charge login --user biller --minutes 30",
    "data": "infusion-charge data import \"January 2026 ASP NDC-HCPCS Crosswalk.csv\" --apply",
    "data import": "infusion-charge data import MCR_MUE_PractitionerServices_Eff_01-01-2026.csv --kind mue --apply",
    "data versions": "infusion-charge data versions",
}


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps prose as usual, but keeps paragraphs apart and indented lines (examples) as they are written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.splitlines()
            if any(line.startswith("  ") for line in lines):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(super()._fill_text(paragraph, width, indent))
        return "\n\n".join(paragraphs)


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(**kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


class _CommandParser(_Parser):
    """A command's parser: the global --database-url among its options, and the command's example below them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        example = EXAMPLES.get(self.prog.removeprefix(PROG).strip())
        if example:
            self.epilog = "\n\n".join(part for part in (self.epilog, f"example:\n  {example}") if part)
        group = self.add_argument_group("global options (before or after the command)")
        # SUPPRESS: absent stays absent, so a value given before the command (or to `audit` before `verify`)
        # is not overwritten by this parser's default.
        group.add_argument("--database-url", dest="sub_database_url", default=argparse.SUPPRESS,
                           metavar="URL", help=DATABASE_URL_HELP)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        # Command modules that add --database-url themselves get the global option made above.
        if "--database-url" in args and "--database-url" in self._option_string_actions:
            return self._option_string_actions["--database-url"]
        return super().add_argument(*args, **kwargs)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", metavar="URL", help=DATABASE_URL_HELP + "; also accepted after a command")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (database, billing, ticket, PDF, window) and exit")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=DESCRIPTION, epilog=TOP_EXAMPLES)
    _add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", parser_class=_CommandParser, title="commands",
                                       metavar="COMMAND")
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
    front = _Parser(prog=PROG, add_help=False)
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
        from desktop.cli.display import display_problem

        problem = display_problem()  # Qt would abort the process (and say little that helps) without a screen
        if problem is not None:
            print(problem, file=sys.stderr)
            return EXIT_USAGE
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
