"""`infusion-charge ticket | tickets`: one visit's charge ticket (recorded as printed) or a day's batch, as PDFs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.arguments import record_id
from desktop.cli.errors import EXIT_CONFLICT, CliError
from desktop.cli.files import write_atomically
from desktop.cli.identity import sign_in_for
from desktop.cli.store_access import acting_user, add_store_options, emit, store_from
from desktop.interop.calc_json import InputError, parse_date
from desktop.services.charge_tickets.tickets import (
    day_tickets,
    no_tickets_message,
    record_visit_ticket_printed,
    ticket_pdf,
    visit_ticket_pdf,
)
from desktop.services.errors import ConflictError, ServiceError
from desktop.services.people.roles import Permission
from desktop.tickets.ticket_data import PaperSize
from desktop.tickets.ticket_pdf import render_batch

EPILOG = (
    "exit codes: 0 done, 2 bad input (unknown id, held record, bad date, no tickets), "
    "5 changed by someone else while printing, 6 database unavailable"
)


def register(subparsers: Any) -> None:
    ticket = subparsers.add_parser(
        "ticket", epilog=EPILOG,
        help="write the charge ticket of one visit (every drug and its administration codes) as PDF and record it "
             "as printed (with the PDF's SHA-256) for every verified drug of the visit",
    )
    which = ticket.add_mutually_exclusive_group(required=True)
    which.add_argument("id", type=record_id, nargs="?", help="an administration id: the ticket of its visit")
    which.add_argument("--visit", type=record_id, metavar="VISIT", help="a visit number (the ticket number's digits)")
    ticket.add_argument("--output", type=Path, required=True, metavar="FILE", help="PDF file to write")
    ticket.add_argument("--paper", choices=[p.value for p in PaperSize],
                        help="paper size (default: the facility setting, letter unless changed)")
    ticket.add_argument("--user", help="who is printing (default: the OS user)")
    add_store_options(ticket)
    ticket.set_defaults(func=run_ticket)

    batch = subparsers.add_parser("tickets", epilog=EPILOG,
                                  help="write the ticket of every visit of a date of service into one PDF (nothing "
                                       "is recorded)")
    batch.add_argument("--date", required=True, help="date of service, YYYY-MM-DD")
    batch.add_argument("--output", type=Path, required=True, metavar="FILE", help="PDF file to write")
    batch.add_argument("--nurse", help="only this nurse's visits")
    batch.add_argument("--chair", help="only this chair's visits")
    batch.add_argument("--paper", choices=[p.value for p in PaperSize], help="paper size (default: facility setting)")
    add_store_options(batch)
    batch.set_defaults(func=run_tickets)


def run_ticket(args: argparse.Namespace) -> int:
    store = store_from(args)
    marked: list[int] = []
    try:
        sign_in_for(args, store, Permission.PRINT_TICKET)  # before the PDF is written
        try:
            render = (visit_ticket_pdf(store, args.visit, paper=args.paper) if args.visit is not None
                      else ticket_pdf(store, args.id, paper=args.paper))
        except ServiceError as exc:
            raise CliError(str(exc)) from exc
        target = write_atomically(args.output, render.pdf, create_folder=True)
        state = render.state
        if render.recordable:
            try:
                outcome = record_visit_ticket_printed(store, render.visit_id, render.sha256, acting_user(args),
                                                      render.version, administration_id=render.administration_id)
            except ConflictError as exc:
                raise CliError(f"{target} was written but not recorded as printed: {exc}", EXIT_CONFLICT) from exc
            except ServiceError as exc:
                raise CliError(f"{target} was written but not recorded as printed: {exc}") from exc
            state, marked = outcome.state, [m.id for m in outcome.marked]
        else:
            print(f"{render.ticket_number} written to {target}; not recorded as printed: no drug of visit "
                  f"{render.visit_id} is verified (administration {render.administration_id} is "
                  f"{render.state.value.replace('_', ' ')}), and printing is recorded only for verified records and "
                  "their reprints", file=sys.stderr)
    finally:
        store.close()
    emit({"id": render.administration_id, "visit": render.visit_id, "ticket_number": render.ticket_number,
          "output": str(target), "sha256": render.sha256, "reprint": render.reprint, "recorded": render.recordable,
          "state": state, "marked_printed": marked})
    return 0


def run_tickets(args: argparse.Namespace) -> int:
    try:
        day = parse_date(args.date, "--date")
    except InputError as exc:
        raise CliError(str(exc)) from exc
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.PRINT_TICKET)
        tickets = day_tickets(store, day, nurse=args.nurse, chair=args.chair, paper=args.paper)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    if not tickets:
        raise CliError(no_tickets_message(day, args.nurse, args.chair))
    target = write_atomically(args.output, render_batch(tickets), create_folder=True)
    emit({"date": day, "output": str(target), "tickets": [t.ticket_number for t in tickets]})
    return 0
