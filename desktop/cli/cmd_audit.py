"""`infusion-charge audit verify`: walk the hash-chained audit trail and name the first broken event."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli.cmd_store import add_store_options, store_from
from desktop.services import verify_audit_chain

EXIT_BROKEN = 1


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="audit trail commands")
    verbs = audit.add_subparsers(dest="audit_command", required=True, parser_class=type(audit))
    verify = verbs.add_parser("verify", help="check the audit hash chain; exit 1 naming the first broken event")
    add_store_options(verify)
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        check = verify_audit_chain(store)
    finally:
        store.close()
    if check.ok:
        print(check.message)
        return 0
    print(f"audit trail broken: {check.message}", file=sys.stderr)
    return EXIT_BROKEN
