"""`infusion-charge demo`: fill a new database with demo users, facility settings, patients and charges."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.errors import CliError
from desktop.cli.store_access import add_store_options, store_from
from desktop.services.errors import ServiceError


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo", help="fill a new, empty database with demo data (users admin/nurse/biller, see the output)",
        description="Fill a new database with demo accounts, facility settings, patients and administrations in "
                    "every state (recorded, verified, ticket printed, posted, held, voided, corrected), with "
                    "findings. Passwords: admin demo-admin-pass, nurse demo-nurse-pass, biller demo-biller-pass.",
    )
    add_store_options(demo)
    demo.add_argument("--days", type=int, default=3, help="days of charges, ending today (default 3)")
    demo.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from desktop.services.demo import fill_demo

    if not 1 <= args.days <= 60:
        raise CliError("--days must be between 1 and 60", 2)
    store = store_from(args)
    try:
        summary = fill_demo(store, days=args.days)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc  # a database that is not empty: bad input, exit 2
    finally:
        store.close()
    print(summary.describe())
    return 0
