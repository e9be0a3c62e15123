"""`infusion-charge data import FILE [--kind crosswalk|asp|mue] [--effective D] [--apply]` and `data versions`: CMS's
quarterly files (NDC-HCPCS crosswalk, ASP pricing file, MUE tables) previewed, then imported as a version."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli.errors import EXIT_CONFLICT, CliError
from desktop.cli.store_access import acting_user, add_store_options, store_from, to_json
from desktop.interop.cms_files import FAMILIES
from desktop.services.errors import ConflictError, ServiceError

SHOWN_PER_ACTION = 40  # changes and needs listed per kind of change on the terminal; --format json lists all


def register(subparsers: Any) -> None:
    data = subparsers.add_parser("data", help="CMS reference data: import a quarterly file, list the versions")
    verbs = data.add_subparsers(dest="data_command", required=True, parser_class=type(data))
    importing = verbs.add_parser(
        "import", help="preview a CMS file (crosswalk, ASP pricing, MUE table); --apply imports it",
        description="Reads the file as CMS publishes it and shows what it adds, changes and no longer lists "
                    "against the version in force on its effective date. Nothing changes without --apply. "
                    "Exit 2 names the first bad line; importing the data already in force changes nothing.")
    importing.add_argument("file", type=Path, help="the CSV as downloaded from CMS")
    importing.add_argument("--kind", choices=FAMILIES, help="refuse any other kind of file (default: from the header)")
    importing.add_argument("--effective", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                           help="the date the file applies from (default: the quarter the file states)")
    importing.add_argument("--apply", action="store_true", help="import it (one transaction, audited)")
    importing.add_argument("--format", dest="data_format", choices=("text", "json"), default="text")
    importing.add_argument("--user", help="who imports (default: the OS user)")
    add_store_options(importing)
    importing.set_defaults(func=run_import)
    versions = verbs.add_parser("versions", help="the imported versions as JSON, newest effective date first")
    add_store_options(versions)
    versions.set_defaults(func=run_versions)


def run_import(args: argparse.Namespace) -> int:
    from desktop.services.facility.reference import apply_import, preview_import

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    store = store_from(args)
    try:
        preview = preview_import(store, data, args.file.name, kind=args.kind, effective=args.effective)
        outcome = apply_import(store, preview, acting_user(args)) if args.apply and preview.can_apply else None
    except ConflictError as exc:
        raise CliError(str(exc), EXIT_CONFLICT) from exc
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    if args.data_format == "json":
        print(json.dumps(_as_json(preview, outcome), indent=2))
    else:
        _print_preview(preview)
    if preview.problem_count:
        more = f" ({preview.problem_count} problems, listed above)" if preview.problem_count > 1 else ""
        raise CliError(f"{preview.problems[0]}{more}; nothing was imported")
    if outcome is not None:
        print(outcome.message)
    elif not args.apply and preview.can_apply and args.data_format == "text":
        print("Preview only: nothing was changed. Add --apply to import it.")
    return 0


def _print_preview(preview: Any) -> None:
    out = sys.stdout
    print(preview.summary(), file=out)
    if preview.title:
        print(f"Title: {preview.title} (header on line {preview.header_line})", file=out)
    if preview.effective_from:
        said = preview.effective_said_by
        print(f"Effective from {preview.effective_from.isoformat()} ({preview.quarter}), as {said} said.", file=out)
    for caution in preview.cautions:
        print(f"Caution: {caution}", file=out)
    for problem in preview.problems:
        print(f"Problem: {problem}", file=out)
    for action in ("added", "changed", "no longer listed"):
        rows = [c for c in preview.changes if c.action == action]
        for change in rows[:SHOWN_PER_ACTION]:
            print(f"  {action:<16} {change.hcpcs:<6} {change.ndc:<13} {change.what}", file=out)
        if len(rows) > SHOWN_PER_ACTION:
            print(f"  ... and {len(rows) - SHOWN_PER_ACTION:,} more {action} (--format json lists all)", file=out)
    if preview.needs:
        print(f"Catalog ({len(preview.needs):,} lines; complete them on the Drug catalog page):", file=out)
        for need in preview.needs[:SHOWN_PER_ACTION]:
            print(f"  {need.hcpcs:<6} {need.ndc:<13} {need.needs}", file=out)
        if len(preview.needs) > SHOWN_PER_ACTION:
            print(f"  ... and {len(preview.needs) - SHOWN_PER_ACTION:,} more", file=out)


def _as_json(preview: Any, outcome: Any) -> dict[str, Any]:
    return {
        "kind": preview.kind.value, "file": preview.file_name, "effective_from": to_json(preview.effective_from),
        "quarter": preview.quarter, "effective_said_by": preview.effective_said_by, "rows": len(preview.rows),
        "added": preview.count("added"), "changed": preview.count("changed"),
        "no_longer_listed": preview.count("no longer listed"), "unchanged": preview.unchanged,
        "notes_skipped": preview.notes_skipped, "problems": list(preview.problems),
        "problem_count": preview.problem_count, "cautions": list(preview.cautions),
        "already_in_force": preview.already_in_force, "can_apply": preview.can_apply,
        "changes": [to_json(c) for c in preview.changes], "needs": [to_json(n) for n in preview.needs],
        "applied": None if outcome is None else to_json(outcome),
    }


def run_versions(args: argparse.Namespace) -> int:
    from desktop.services.facility.reference import reference_versions

    store = store_from(args)
    try:
        found = reference_versions(store)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    print(json.dumps([to_json(v) for v in found], indent=2))
    return 0
