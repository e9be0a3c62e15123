"""`infusion-charge calc`: compute a visit's claim lines (or one administration's) from JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.billing.engine import compute_visit
from desktop.billing.model import ClaimLine, PayerClass
from desktop.billing.tables import RuleDataError, RuleSet, load_rules
from desktop.cli.errors import CliError
from desktop.interop.calc_json import InputError, loads, parse_visit, result_to_json
from desktop.interop.json_values import date_value, decode


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "calc", help="compute claim lines for a visit or one administration (JSON in, JSON out)",
        description="Computes with the database's rules like every other command: its newest catalog, the "
                    "facility's payer policies and the CMS data (crosswalk, payment limits, MUE values) in force "
                    "on the date of service. Without --database-url or $INFUSION_CHARGE_DATABASE_URL, the default "
                    "database is read when it exists; otherwise the shipped tables are used and nothing is created.")
    parser.add_argument("--input", type=Path, help="JSON file (default: standard input)")
    parser.set_defaults(func=run)


def _read_bytes(path: Path | None) -> bytes:
    """The raw input: decoded here as UTF-8 whatever the locale, so bad bytes get words, not a traceback."""
    if path is None:
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _named_url(args: argparse.Namespace) -> str | None:
    return getattr(args, "sub_database_url", None) or getattr(args, "database_url", None) or (
        os.environ.get("INFUSION_CHARGE_DATABASE_URL", "").strip() or None)


def _day(obj: Any) -> dt.date:
    """The visit's date of service, for the data in force on it (a bad date is reported by parse_visit)."""
    try:
        return date_value(obj.get("date_of_service") if isinstance(obj, dict) else None, "date_of_service")
    except InputError:
        return dt.date.today()


def database_rules(args: argparse.Namespace, day: dt.date) -> RuleSet:
    """The rules of the database named (or of the default one, when its file exists): exit 6 when it cannot be
    used. No database named and none made yet: the shipped tables, and no file is created."""
    from db.engine import resolve_url, sqlite_file
    from db.errors import StoreOpenError

    url = _named_url(args)
    if url is None:
        try:
            default = resolve_url(None)
        except StoreOpenError:
            return load_rules()
        path = sqlite_file(default)
        if path is not None and not path.exists():
            return load_rules()
    from desktop.cli.store_access import store_from
    from desktop.services.errors import ServiceError
    from desktop.services.facility.settings import rules_in_effect

    store = store_from(args)
    try:
        return rules_in_effect(store, day)
    except ServiceError as exc:
        raise CliError(str(exc), 6) from exc
    finally:
        store.close()


def run(args: argparse.Namespace) -> int:
    try:
        obj = loads(decode(_read_bytes(args.input)))
        rules = database_rules(args, _day(obj))
        visit = parse_visit(obj, rules)
    except (InputError, RuleDataError) as exc:
        raise CliError(str(exc)) from exc
    result = compute_visit(visit, rules)
    output = result_to_json(result, visit.place_of_service)
    if visit.payer_class in MEDICARE and rules.reference.payment_limits:
        with_allowances(output, result.lines, rules)
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


MEDICARE = frozenset({PayerClass.MEDICARE, PayerClass.MEDICARE_ADVANTAGE})


def with_allowances(output: dict[str, Any], lines: tuple[ClaimLine, ...], rules: RuleSet) -> None:
    """The expected Medicare allowance of each drug line (payment limit in force x units, as text) and of the
    visit, when a pricing file is in force for the date (issue 14)."""
    total: Decimal | None = None
    for item, line in zip(output["lines"], lines, strict=True):
        amount = rules.reference.allowance(line)
        if amount is not None:
            item["expected_allowance"] = str(amount)
            total = amount + (total or Decimal(0))
    if total is not None:
        output["expected_allowance"] = {"total": str(total), "source": rules.reference.limits_source}
