"""`infusion-charge audit verify | rotate-key`: prove the rows against the keyed chain; rotate its key."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli.identity import sign_in_for
from desktop.cli.store_access import add_store_options, store_from
from desktop.services.audit_trail.audit_chain import rotate_audit_key, verify_audit_chain
from desktop.services.people.roles import Permission

EXIT_BROKEN = 1


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="audit trail commands")
    verbs = audit.add_subparsers(dest="audit_command", required=True, parser_class=type(audit))
    verify = verbs.add_parser(
        "verify", help="check the keyed audit chain, its anchor and every audited row; exit 1 naming each difference",
        epilog="exit codes: 0 intact, 1 differences found (one per line on stderr), 6 database unavailable, "
               "7 not signed in or not an administrator")
    add_store_options(verify)
    verify.set_defaults(func=run_verify)
    rotate = verbs.add_parser("rotate-key", help="sign new audit events with a new key (administrators); copy "
                                                 "the key file to the other workstations afterwards")
    add_store_options(rotate)
    rotate.set_defaults(func=run_rotate)


def run_verify(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        person = sign_in_for(args, store, Permission.VIEW_AUDIT)
        check = verify_audit_chain(store, person)
    finally:
        store.close()
    for notice in check.notices:
        print(f"note: {notice}", file=sys.stderr)
    if check.ok:
        print(check.message)
        return 0
    print(f"audit trail broken: {len(check.differences)} difference(s)", file=sys.stderr)
    for difference in check.differences:
        print(f"  {difference}", file=sys.stderr)
    return EXIT_BROKEN


def run_rotate(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        person = sign_in_for(args, store, Permission.MANAGE_SETTINGS)
        key_id = rotate_audit_key(store, person)
    finally:
        store.close()
    print(f"new audit events are signed with key {key_id}; copy the key file to every other workstation of "
          "this database (see README, Audit trail)", file=sys.stderr)
    return 0
