"""`infusion-charge record | list | show | void | backup | restore`: the charge store from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.billing.tables import RuleDataError
from desktop.cli.arguments import record_id
from desktop.cli.errors import EXIT_CONFLICT, CliError
from desktop.cli.files import read_input
from desktop.cli.identity import sign_in_for
from desktop.cli.record_json import parse_record_json
from desktop.cli.store_access import acting_user, add_store_options, emit, store_from
from desktop.interop.calc_json import InputError, loads, parse_date
from desktop.services import (
    ChargeState,
    ConflictError,
    InvalidStateError,
    NotFoundError,
    RecordRequest,
    RefusedError,
    ServiceError,
    Store,
    backup_database,
    get_administration,
    list_administrations,
    record_administration,
    restore_database,
    void_administration,
)
from desktop.services.people.roles import Permission
from desktop.services.visits.visit_queries import get_visit

EXIT_ERRORS, EXIT_WARNINGS = 3, 4  # findings: errors (not saved unless held), unacknowledged warnings
EPILOG = (
    "exit codes: 0 done, 2 bad input, 3 error findings (use --hold-reason to save as held), "
    "4 unacknowledged warnings, 5 changed by someone else, 6 database unavailable, 7 not signed in or not allowed"
)


def register(subparsers: Any) -> None:
    record = subparsers.add_parser("record", help="record an administration (calc JSON plus the record fields)",
                                   epilog=EPILOG)
    record.add_argument("--input", type=Path, help="JSON file (default: standard input)")
    record.add_argument("--acknowledge", action="append", default=[], metavar="CODE",
                        help="acknowledge the warning with this code (repeatable)")
    record.add_argument("--acknowledge-all", action="store_true", help="acknowledge every warning")
    record.add_argument("--hold-reason", help="save a record with error findings as held, with this reason")
    record.add_argument("--user", help="who is recording (default: the OS user)")
    add_store_options(record)
    record.set_defaults(func=run_record)

    listing = subparsers.add_parser("list", help="list administrations as JSON", epilog=EPILOG)
    listing.add_argument("--date", help="date of service, YYYY-MM-DD")
    listing.add_argument("--state", choices=[s.value for s in ChargeState])
    add_store_options(listing)
    listing.set_defaults(func=run_list)

    show = subparsers.add_parser("show", help="show one administration as JSON", epilog=EPILOG)
    show.add_argument("id", type=record_id)
    add_store_options(show)
    show.set_defaults(func=run_show)

    visit = subparsers.add_parser("visit", help="show one visit (its facts, every drug, its administration codes)",
                                  epilog=EPILOG)
    visit.add_argument("id", type=record_id)
    add_store_options(visit)
    visit.set_defaults(func=run_visit)

    void = subparsers.add_parser("void", help="void an administration (its lines stay, marked void)",
                                 epilog=EPILOG)
    void.add_argument("id", type=record_id)
    void.add_argument("--reason", required=True)
    void.add_argument("--expected-version", type=int, help="refuse if the record changed since this version")
    void.add_argument("--user", help="who is voiding (default: the OS user)")
    add_store_options(void)
    void.set_defaults(func=run_void)

    backup = subparsers.add_parser("backup", help="consistent snapshot of the SQLite database to PATH")
    backup.add_argument("path", type=Path)
    add_store_options(backup)
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser("restore", help="replace the SQLite database with the backup at PATH")
    restore.add_argument("path", type=Path)
    add_store_options(restore)
    restore.set_defaults(func=run_restore)


def parse_record(obj: Any, store: Store, args: argparse.Namespace) -> RecordRequest:
    """A RecordRequest from the record JSON (a visit, or one drug); InputError names the first problem."""
    return parse_record_json(obj, store.rules, acknowledged=frozenset(c.strip().upper() for c in args.acknowledge),
                             acknowledge_all=args.acknowledge_all, hold_reason=args.hold_reason)


def run_record(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.RECORD)
        try:
            request = parse_record(loads(read_input(args.input)), store, args)
        except (InputError, RuleDataError) as exc:
            raise CliError(str(exc)) from exc
        try:
            outcome = record_administration(store, request, acting_user(args))
        except RefusedError as exc:
            code = EXIT_ERRORS if exc.reason == "errors" else EXIT_WARNINGS
            raise CliError(f"not recorded. {exc}", code) from exc
        except ServiceError as exc:
            raise CliError(str(exc)) from exc
    finally:
        store.close()
    if outcome.state is ChargeState.HELD:
        print(f"saved as held (administration {outcome.id}): {args.hold_reason or 'error findings'}",
              file=sys.stderr)
    for finding in outcome.findings:
        print(f"{finding.severity.value}: {finding.code}: {finding.message}", file=sys.stderr)
    emit({"id": outcome.id, "visit_id": outcome.visit_id, "administration_ids": list(outcome.administration_ids)})
    return 0


def run_list(args: argparse.Namespace) -> int:
    try:
        day = None if args.date is None else parse_date(args.date, "--date")
    except InputError as exc:
        raise CliError(str(exc)) from exc
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.VIEW_DAY)
        rows = list_administrations(store, day, ChargeState(args.state) if args.state else None)
    finally:
        store.close()
    emit(rows)
    return 0


def run_show(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.VIEW_DAY)
        emit(get_administration(store, args.id))
    except NotFoundError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    return 0


def run_visit(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.VIEW_DAY)
        emit(get_visit(store, args.id))
    except NotFoundError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    return 0


def run_void(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        sign_in_for(args, store, None)  # the service checks VOID, or a nurse's own unverified record
        outcome = void_administration(store, args.id, args.reason, acting_user(args), args.expected_version)
    except (ConflictError, InvalidStateError) as exc:  # only a voided record cannot be voided: someone else did
        raise CliError(str(exc), EXIT_CONFLICT) from exc
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    emit(outcome)
    return 0


def run_backup(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        sign_in_for(args, store, Permission.BACKUP_RESTORE)
        target = backup_database(store, args.path)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    print(f"backup written to {target}", file=sys.stderr)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    url = getattr(args, "sub_database_url", None) or getattr(args, "database_url", None)
    sign_in_for(args, None, Permission.BACKUP_RESTORE)
    try:
        kept = restore_database(url, args.path)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    store_from(args).close()  # migrates a restored older schema and checks it now, not at next start
    print(f"restored from {args.path}; the previous database was kept as {kept}", file=sys.stderr)
    return 0
