"""A command's files: reading its JSON input, and writing its output whole or not at all."""

from __future__ import annotations

import sys
from pathlib import Path

from db.private_files import PRIVATE, ensure_folder, write_private
from desktop.cli.errors import CliError


def read_input(path: Path | None) -> str:
    if path is None:
        stream = sys.stdin
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8", "surrogatepass")
        try:
            return raw.decode("utf-8")  # UTF-8 whatever the locale, and strictly: bad bytes are refused in words
        except UnicodeDecodeError as exc:
            raise CliError(f"standard input is not UTF-8 text (byte {exc.start + 1} is not valid): save the "
                           "JSON as UTF-8") from exc
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc


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
