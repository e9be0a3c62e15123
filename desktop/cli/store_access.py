"""What the store commands share: the store named by --database-url, who acts, and values as JSON on stdout."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import decimal
import enum
import getpass
import json
import sys
from typing import Any

from desktop.cli.errors import EXIT_STORE, CliError
from desktop.cli.identity import add_identity_options
from desktop.services.errors import StoreUnavailableError
from desktop.services.storage.store import Store, open_store


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """--database-url after the subcommand too (the top-level one is defined in main.py)."""
    parser.add_argument("--database-url", dest="sub_database_url", default=None, help=argparse.SUPPRESS)
    add_identity_options(parser)


def store_from(args: argparse.Namespace) -> Store:
    url = getattr(args, "sub_database_url", None) or getattr(args, "database_url", None)
    try:
        return open_store(url)
    except StoreUnavailableError as exc:
        raise CliError(str(exc), EXIT_STORE) from exc


def acting_user(args: argparse.Namespace) -> str:
    if getattr(args, "user", None):
        return str(args.user)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a container without /etc/passwd entry)
        return "unknown"


def to_json(value: Any) -> Any:
    """Frozen views as plain JSON: Decimal and dates as text, enums as their value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [to_json(v) for v in value]
    return value


def emit(value: Any) -> None:
    json.dump(to_json(value), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
