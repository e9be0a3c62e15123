"""`infusion-charge calc`: compute a visit's claim lines (or one administration's) from JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.billing.engine import compute_visit
from desktop.billing.tables import RuleDataError, load_rules
from desktop.cli.errors import CliError
from desktop.interop.calc_json import InputError, loads, parse_visit, result_to_json
from desktop.interop.json_values import decode


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "calc", help="compute claim lines for a visit or one administration (JSON in, JSON out)")
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


def run(args: argparse.Namespace) -> int:
    try:
        rules = load_rules()
        visit = parse_visit(loads(decode(_read_bytes(args.input))), rules)
    except (InputError, RuleDataError) as exc:
        raise CliError(str(exc)) from exc
    result = compute_visit(visit, rules)
    json.dump(result_to_json(result, visit.place_of_service), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
