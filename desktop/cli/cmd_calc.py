"""`infusion-charge calc`: compute one administration's claim lines from JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.billing.engine import compute
from desktop.billing.tables import RuleDataError, load_rules
from desktop.cli.errors import CliError
from desktop.cli.files import read_input
from desktop.interop.calc_json import InputError, loads, parse_administration, result_to_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("calc", help="compute claim lines for one administration (JSON in, JSON out)")
    parser.add_argument("--input", type=Path, help="JSON file (default: standard input)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        rules = load_rules()
        administration = parse_administration(loads(read_input(args.input)), rules)
    except (InputError, RuleDataError) as exc:
        raise CliError(str(exc)) from exc
    json.dump(result_to_json(compute(administration, rules)), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
