"""Backup and restore of the SQLite store (PostgreSQL: use pg_dump/pg_restore)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from db.audit_setup import adopt_restored_file
from db.engine import resolve_url, sqlite_file
from db.migrate import backup_sqlite, known_revisions
from db.private_files import PRIVATE, create_private_file
from db.sessions_lock import SessionsLock
from desktop.services.audit_trail.audit_chain import save_audit_companion
from desktop.services.errors import ServiceError
from desktop.services.storage.store import Store

PG_ADVICE = (
    "This store is on a PostgreSQL server: back it up with `pg_dump -Fc` and restore with "
    "`pg_restore` (or the server's own backup), not with this command."
)


def _check_file(path: Path) -> str:
    """Integrity-check a SQLite file and return its schema revision."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise ServiceError(f"{path} is not a usable Infusion Charge database ({exc})") from exc
    if result != ["ok"]:
        raise ServiceError(f"{path} failed its integrity check: {'; '.join(map(str, result[:3]))}")
    if revision is None:
        raise ServiceError(f"{path} has no schema revision: it is not an Infusion Charge database")
    return str(revision[0])


def backup_database(store: Store, target: Path) -> Path:
    """A consistent snapshot: VACUUM INTO a temporary name, integrity check, rename into place."""
    source = sqlite_file(store.url)
    if source is None:
        raise ServiceError(PG_ADVICE if not store.is_sqlite else "an in-memory database cannot be backed up")
    target = Path(target).expanduser().resolve()
    if target.exists():
        raise ServiceError(f"{target} already exists: choose a new name (a backup never overwrites a file)")
    if not target.parent.is_dir():
        raise ServiceError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex}")
    try:
        create_private_file(partial, PRIVATE)  # a backup holds every patient: 0600 from its first byte
        connection = sqlite3.connect(source, timeout=30)
        try:
            connection.execute("VACUUM INTO ?", (str(partial),))
        finally:
            connection.close()
        _check_file(partial)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        save_audit_companion(store, target)  # the audit key and anchor go with the backup (issue 15)
    except (sqlite3.Error, OSError) as exc:
        raise ServiceError(f"the backup to {target} failed: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


IN_USE = ("The database {path} is open in another program (the application, or a command, on this or another "
          "account of this computer). Close it there first, then restore again. Nothing was changed.")


def restore_database(url: str | None, source: Path) -> Path:
    """Replace the SQLite database's content with a checked backup; returns the copy kept of the old one.

    The database is taken exclusively: a restore is refused while any other program has it open (each open store
    holds a shared lock on its sessions file), and no program can open it until the restore is done. Record ids
    of AUTOINCREMENT tables go on above the highest ever given out, so an id printed on a ticket before the
    restore never names another record after it.
    """
    destination = sqlite_file(resolve_url(url))
    if destination is None:
        raise ServiceError(PG_ADVICE)
    source = Path(source).expanduser().resolve()
    if not source.is_file():
        raise ServiceError(f"{source} is not a file")
    if destination.exists() and source == destination.resolve():
        raise ServiceError("the backup and the database are the same file")
    revision = _check_file(source)
    if revision not in known_revisions():
        raise ServiceError(f"{source} was made by a newer version of the app (schema {revision}); not restored")
    try:
        exclusive = SessionsLock(destination)
    except OSError as exc:
        raise ServiceError(f"cannot restore into {destination}: {exc.strerror}") from exc
    try:
        if not exclusive.try_exclusive():
            raise ServiceError(IN_USE.format(path=destination))
        return _restore_into(destination, source)
    finally:
        exclusive.release()


def _restore_into(destination: Path, source: Path) -> Path:
    before = _sequences(destination) if destination.exists() else {}
    kept = backup_sqlite(destination, "before-restore") if destination.exists() else destination
    if not destination.exists():
        create_private_file(destination, PRIVATE)
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(destination, timeout=30)
        try:
            backup.backup(live)  # page-by-page copy into the live file, under its own locks and WAL
            _keep_high_water(live, before)
        finally:
            live.close()
            backup.close()
    except sqlite3.Error as exc:
        raise ServiceError(f"the restore failed, the database is unchanged or in {kept}: {exc}") from exc
    adopt_restored_file(destination, source)  # its audit key, anchor and chain come back with it (issue 15)
    return kept


def _sequences(path: Path) -> dict[str, int]:
    """The highest id each AUTOINCREMENT table ever gave out (SQLite's sqlite_sequence)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() is None:
            return {}
        return {str(name): int(seq) for name, seq in connection.execute("SELECT name, seq FROM sqlite_sequence")}
    except sqlite3.DatabaseError:
        return {}  # a damaged database (the reason for the restore) tells nothing
    finally:
        connection.close()


def _keep_high_water(live: sqlite3.Connection, before: dict[str, int]) -> None:
    if not before:
        return
    with live:
        for name, highest in before.items():
            live.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?", (highest, name, highest))
