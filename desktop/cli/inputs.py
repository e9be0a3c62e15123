"""Reading a command's JSON input from a file or standard input, with a plain error."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.cli.errors import CliError


def read_input(path: Path | None) -> str:
    if path is None:
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc
