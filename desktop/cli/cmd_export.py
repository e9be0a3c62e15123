"""`infusion-charge export --format csv|hl7|fhir --from D --to D --output FILE [--state posted|all]`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from desktop.cli.cmd_store import acting_user, add_store_options, store_from
from desktop.cli.errors import CliError
from desktop.cli.files import write_atomically
from desktop.cli.identity import sign_in_for
from desktop.services.errors import ServiceError
from desktop.services.exports import ExportFormat, ExportScope, export_charges
from desktop.services.roles import Permission


def iso_date(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, with a plain message when it is not."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write it as YYYY-MM-DD)") from exc


def add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, required=True, help="first date of service")
    parser.add_argument("--to", dest="date_to", type=iso_date, required=True, help="last date of service")


def check_period(args: argparse.Namespace) -> None:
    if args.date_to < args.date_from:
        raise CliError(f"--to {args.date_to.isoformat()} is before --from {args.date_from.isoformat()}")


def write_output(payload: str | bytes, output: str | None) -> None:
    """Write to FILE through a temporary file and a rename (no half-written export), or to stdout for '-'."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomically(Path(output), data)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export", help="export charges for billing (CSV with loop 2410 NDC data, HL7 v2.5.1 DFT^P03, FHIR R5)",
        description="Voided charges are exported as reversals "
                    "(HL7 type CD, negative CSV units, FHIR entered-in-error).",
    )
    parser.add_argument("--format", dest="export_format", choices=[f.value for f in ExportFormat], required=True)
    add_period(parser)
    parser.add_argument("--output", required=True, help="file to write ('-' for standard output)")
    parser.add_argument("--state", choices=[s.value for s in ExportScope], default=ExportScope.POSTED.value,
                        help="posted (default): posted charges and reversals of posted ones; all: every record")
    parser.add_argument("--user", help="who is exporting (default: the OS user)")
    add_store_options(parser)
    parser.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    check_period(args)
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.EXPORT)
        text, count = export_charges(store, ExportFormat(args.export_format), args.date_from, args.date_to,
                                     ExportScope(args.state), user=acting_user(args))
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    write_output(text, args.output)
    if args.output != "-":
        print(f"{count} administrations exported as {args.export_format} to {args.output}", file=sys.stderr)
    return 0
