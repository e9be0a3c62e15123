"""`infusion-charge workstation [show | share | own]`: which database every account of this computer uses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.errors import CliError
from desktop.services.errors import ServiceError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "workstation", help="this computer's database for every account (needs the computer's administrator)",
        description="show: the settings in force; share: one database for every account in a group (a shared "
                    "chair workstation); own: each account its own database (the default).")
    parser.add_argument("action", choices=["show", "share", "own"], nargs="?", default="show")
    parser.add_argument("--group", default="infusion-charge", help="the accounts that share it (default: %(default)s)")
    parser.add_argument("--folder", type=Path, help="where the shared database lives (default: the site folder)")
    parser.set_defaults(func=run_workstation)


def run_workstation(args: argparse.Namespace) -> int:
    from db.workstation import config_path, shared_data_folder
    from desktop.services.storage import workstation_setup

    try:
        if args.action == "share":
            print(workstation_setup.share(args.group, args.folder).describe(), file=sys.stderr)
        elif args.action == "own":
            print(workstation_setup.own().describe(), file=sys.stderr)
        else:
            settings = workstation_setup.current()
            where = f"shared, group {settings.group}, in {shared_data_folder(settings)}" if settings.shared \
                else "each account its own"
            t = settings.timeouts
            print(f"settings file: {config_path()}{'' if settings.source else ' (none: the defaults)'}\n"
                  f"database: {settings.url or where}\n"
                  f"timeouts: connect {t.connect:g} s, statement {t.statement:g} s, lock {t.lock:g} s, "
                  f"SQLite busy {t.busy:g} s")
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    return 0
