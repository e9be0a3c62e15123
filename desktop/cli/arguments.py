"""Argument types shared by the CLI commands, refusing in words what the database could not hold."""

from __future__ import annotations

import argparse
import datetime as dt

from desktop.cli.errors import CliError

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) can store


def record_id(text: str) -> int:
    """A record id: a positive whole number the database can hold (argparse type)."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a record id (a whole number like 12)") from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text} is not a record id: ids run from 1 to {MAX_ID}")
    return value



def text_problem(argv: list[str]) -> str | None:
    """Words for the first argument that is not text (bytes the OS could not decode, or a NUL), else None."""
    for position, argument in enumerate(argv, start=1):
        if "\x00" in argument:
            return f"argument {position} contains a NUL character"
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = argument.encode("utf-8", "backslashreplace").decode("ascii", "replace")
            return f"argument {position} ({shown}) is not valid text in this system's encoding"
    return None


def iso_date(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, with a plain message when it is not."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write it as YYYY-MM-DD)") from exc


def add_period(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, required=required, help="first date of service")
    parser.add_argument("--to", dest="date_to", type=iso_date, required=required, help="last date of service")


def check_period(args: argparse.Namespace) -> None:
    if args.date_to < args.date_from:
        raise CliError(f"--to {args.date_to.isoformat()} is before --from {args.date_from.isoformat()}")
