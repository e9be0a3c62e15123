"""Files the program writes for a person (ticket PDFs, reports, audit exports): whole or not at all, and 0600."""

from __future__ import annotations

from pathlib import Path

from db.private_files import PRIVATE, write_private


def save_private(path: Path | str, data: bytes | str) -> Path:
    """Write `data` to `path` through a private temporary file and a rename (no half file, no window in which
    another account could read it). Raises OSError with the system's reason."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return write_private(Path(path), payload, PRIVATE)
