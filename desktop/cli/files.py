"""A command's files: reading its JSON input, and writing its output whole or not at all."""

from __future__ import annotations

import sys
from pathlib import Path

from db.private_files import PRIVATE, ensure_folder, write_private
from desktop.cli.errors import CliError
from desktop.interop.calc_json import InputError
from desktop.interop.json_values import decode


def read_input(path: Path | None) -> str:
    """A command's JSON input as text: bytes decoded as UTF-8 whatever the locale, bad bytes refused in words."""
    if path is None and not hasattr(sys.stdin, "buffer"):  # a text stream handed in (tests, embedding)
        return sys.stdin.read()
    try:
        raw = sys.stdin.buffer.read() if path is None else path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return decode(raw)
    except InputError as exc:
        raise CliError(str(exc)) from exc


def write_atomically(path: Path, data: bytes, *, create_folder: bool = False) -> Path:
    """Write through a private temporary file in the same folder and a rename: a failed write leaves no half file,
    and the result is 0600 (exports and tickets carry patient data; share one on purpose, see the admin guide)."""
    target = path.expanduser()
    try:
        if create_folder:
            ensure_folder(target.parent, PRIVATE)
        elif not target.parent.exists():
            raise CliError(f"the folder {target.parent} does not exist")
        write_private(target, data, PRIVATE)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return target


def write_output(payload: str | bytes, output: str | None) -> None:
    """Write to FILE through a temporary file and a rename (no half-written export), or to stdout for '-'."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomically(Path(output), data)
