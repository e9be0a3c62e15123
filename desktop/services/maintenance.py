"""Backup and restore of the SQLite store (PostgreSQL: use pg_dump/pg_restore)."""

from __future__ import annotations

from pathlib import Path

from desktop.services.store import Store


def backup_database(store: Store, target: Path) -> Path:
    """A consistent snapshot: VACUUM INTO a temporary name, integrity check, rename into place."""
    raise NotImplementedError


def restore_database(url: str | None, source: Path) -> Path:
    """Replace the SQLite database with a checked backup; the current file is kept beside it."""
    raise NotImplementedError
