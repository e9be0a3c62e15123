"""`infusion-charge export`: billing runs (--since-last, or --from/--to), previews (--state all), re-sends of a
past run (--resend RUN), the record of older exports (--mark-sent-through D) and the list of runs (--runs)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli.arguments import add_period, check_period, iso_date
from desktop.cli.errors import CliError
from desktop.cli.files import write_output
from desktop.cli.identity import sign_in_for
from desktop.cli.store_access import acting_user, add_store_options, store_from
from desktop.services.billing_exports.exports import (
    ExportFormat,
    ExportResult,
    ExportScope,
    export_dates,
    export_runs,
    export_since_last,
    mark_sent_through,
    resend_run,
)
from desktop.services.errors import ServiceError
from desktop.services.people.roles import Permission


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export", help="export billing transactions (CSV with loop 2410 NDC data, HL7 v2.5.1 DFT^P03, FHIR R5)",
        description="Billing runs send posted charges and reversals of charges sent before, each once; every file "
                    "is recorded as a run (who, when, count, SHA-256). Field by field: resources/docs/interfaces.md.",
    )
    parser.add_argument("--format", dest="export_format", choices=[f.value for f in ExportFormat])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--since-last", action="store_true",
                      help="everything this format has not sent yet (posted, or reversed, since the last run)")
    what.add_argument("--resend", type=int, metavar="RUN", help="send the transactions of run RUN again, on purpose")
    what.add_argument("--mark-sent-through", type=iso_date, metavar="DATE",
                      help="record the billing transactions of dates up to DATE as sent (by older exports), no file")
    what.add_argument("--runs", action="store_true", help="list the export runs (newest first) as JSON")
    add_period(parser, required=False)
    parser.add_argument("--output", help="file to write ('-' for standard output)")
    parser.add_argument("--state", choices=[s.value for s in ExportScope], default=ExportScope.POSTED.value,
                        help="with --from/--to: posted (default) sends the billing transactions of those dates not "
                             "sent yet; all writes a PREVIEW of every line (never billing transactions)")
    parser.add_argument("--user", help="who is exporting (default: the OS user)")
    add_store_options(parser)
    parser.set_defaults(func=run_export)


def _check(args: argparse.Namespace) -> None:
    dated = args.date_from is not None or args.date_to is not None
    if args.runs:
        return
    if args.resend is None and not args.export_format:
        raise CliError("--format is required (csv, hl7 or fhir)")
    if args.mark_sent_through is not None:
        return
    if args.since_last or args.resend is not None:
        if dated:
            raise CliError("--from/--to go with a dated export, not with --since-last or --resend")
    elif args.date_from is None or args.date_to is None:
        raise CliError("say what to export: --since-last, --from D --to D, or --resend RUN")
    else:
        check_period(args)
    if not args.output:
        raise CliError("--output FILE is required ('-' for standard output)")


def run_export(args: argparse.Namespace) -> int:
    _check(args)
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.EXPORT)
        user = acting_user(args)
        if args.runs:
            fmt = ExportFormat(args.export_format) if args.export_format else None
            runs = export_runs(store, fmt, user=user)
            print(json.dumps([_run_json(r) for r in runs], indent=2))
            return 0
        if args.mark_sent_through is not None:
            run = mark_sent_through(store, ExportFormat(args.export_format), args.mark_sent_through, user=user)
            print(f"run {run.id}: {run.transaction_count} transaction(s) of dates up to "
                  f"{args.mark_sent_through.isoformat()} recorded as sent in {run.format} (no file)", file=sys.stderr)
            return 0
        written: list[str] = []

        def deliver(text: str) -> None:  # before the run is committed: an unwritable file records nothing
            try:
                write_output(text, args.output)
            except CliError as exc:
                raise CliError(f"{exc}; nothing was recorded as sent") from exc
            written.append(args.output)

        try:
            result = _export(store, args, user, deliver)
        except BaseException:
            if written and written[0] != "-":
                Path(written[0]).unlink(missing_ok=True)  # written, but the run was not recorded: never send it
            raise
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"{args.output}: {exc.strerror or exc}; nothing was recorded as sent") from exc
    finally:
        store.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    run = result.run
    where = "" if args.output == "-" else f" to {args.output}"
    label = {"preview": "PREVIEW (not billing transactions)", "resend": f"re-send of run {run.resend_of}"}
    print(f"run {run.id} ({run.control_id}, {label.get(run.purpose, 'billing')}): {run.transaction_count} "
          f"transaction(s) in {run.visit_count} visit(s) as {run.format}{where}; SHA-256 {run.sha256}",
          file=sys.stderr)
    return 0


def _export(store: Any, args: argparse.Namespace, user: str, deliver: Any) -> ExportResult:
    if args.resend is not None:
        return resend_run(store, args.resend, user=user, deliver=deliver)
    fmt = ExportFormat(args.export_format)
    if args.since_last:
        return export_since_last(store, fmt, user=user, deliver=deliver)
    return export_dates(store, fmt, args.date_from, args.date_to, ExportScope(args.state), user=user,
                        deliver=deliver)


def _run_json(run: Any) -> dict[str, Any]:
    return {"id": run.id, "control_id": run.control_id, "format": run.format, "purpose": run.purpose,
            "created_by": run.created_by, "created_at": run.created_at.isoformat(),
            "date_from": run.date_from.isoformat() if run.date_from else None,
            "date_to": run.date_to.isoformat() if run.date_to else None, "visits": run.visit_count,
            "transactions": run.transaction_count, "sha256": run.sha256, "resend_of": run.resend_of}
