"""`infusion-charge report reconciliation|waste|340b --from D --to D [--format json|pdf] [--output FILE]`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.arguments import add_period, check_period
from desktop.cli.errors import CliError
from desktop.cli.files import write_output
from desktop.cli.identity import sign_in_for
from desktop.cli.store_access import acting_user, add_store_options, store_from, to_json
from desktop.services.charge_reports.reports import REPORT_KINDS, report, report_document, report_pdf
from desktop.services.errors import ServiceError
from desktop.services.people.roles import Permission


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="reconciliation, waste or 340B report as JSON (default) or PDF",
        description="reconciliation: administrations without an accepted charge, charges not posted, tickets not "
                    "printed, held by reason, voids; waste: discarded mg/units and JW units by drug and month; "
                    "340b: drug units by payer class and 340B modifier.",
    )
    parser.add_argument("kind", choices=REPORT_KINDS)
    add_period(parser)
    parser.add_argument("--format", dest="report_format", choices=("json", "pdf"), default="json")
    parser.add_argument("--output", default=None, help="file to write (default: standard output for JSON)")
    parser.add_argument("--user", help="who is running the report (default: the OS user)")
    add_store_options(parser)
    parser.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    check_period(args)
    if args.report_format == "pdf" and args.output in (None, "-"):
        raise CliError("a PDF report needs --output FILE")
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.REPORTS)
        if args.report_format == "pdf":
            payload: str | bytes = report_pdf(
                report_document(store, args.kind, args.date_from, args.date_to, user=acting_user(args))
            )
        else:
            found = report(store, args.kind, args.date_from, args.date_to, user=acting_user(args))
            payload = json.dumps({"report": args.kind, **to_json(found)}, indent=2) + "\n"
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    write_output(payload, args.output)
    return 0
