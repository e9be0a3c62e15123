"""Start-up migration: refuse a newer schema, back up, upgrade one workstation at a time, check, open the chain."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from db.audit_setup import open_chain
from db.engine import sqlite_file
from db.errors import IntegrityCheckError, NotOurDatabaseError, SchemaTooNewError
from db.private_files import create_private_file, privacy_of

# Advisory lock class of the schema upgrade (any constant the app uses for nothing else); the object is the schema.
MIGRATION_LOCK_CLASS = 731_015
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True, slots=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    created: bool
    backup_path: Path | None


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - only a broken install gets here
        raise RuntimeError("the app's migration scripts are missing")
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a live SQLite file with its WAL through the backup API (a consistent snapshot)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    create_private_file(target, privacy_of(path))  # the copy is as private as the database, from its first byte
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def check_integrity(engine: Engine, *, quick: bool = False) -> None:
    """SQLite: integrity_check (or quick_check) and foreign_key_check; PostgreSQL: a round trip."""
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            connection.execute(text("SELECT 1"))
            return
        pragma = "quick_check" if quick else "integrity_check"
        problems = [row[0] for row in connection.exec_driver_sql(f"PRAGMA {pragma}")]
        if problems != ["ok"]:
            raise IntegrityCheckError(
                "The database file is damaged (SQLite integrity check: "
                + "; ".join(str(p) for p in problems[:5])
                + "). Restore the latest backup with `infusion-charge restore PATH`."
            )
        orphans = [] if quick else connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if orphans:
            raise IntegrityCheckError(
                f"The database has {len(orphans)} rows pointing to missing rows (first in table "
                f"{orphans[0][0]}). Restore the latest backup."
            )


@contextmanager
def _upgrade_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole upgrade. On SQLite, foreign keys are off while it runs (a migration that
    copies a table to drop columns would otherwise be refused), and checked before it commits."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # only outside a transaction does SQLite take this pragma
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                yield connection
                orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
                if orphans:
                    raise IntegrityCheckError(
                        f"The upgrade would leave {len(orphans)} rows pointing to missing rows (first in table "
                        f"{orphans[0][0]}); nothing was changed."
                    )
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _wait_for_other_upgrader(connection: Connection, on_wait: Callable[[str], None]) -> None:
    """PostgreSQL: one workstation migrates at a time (a transaction-level advisory lock for this schema);
    the others say so, wait, and then find the schema already upgraded."""
    if connection.dialect.name != "postgresql":
        return  # SQLite: the upgrade transaction begins IMMEDIATE, which already serializes it
    key = "SELECT {}({}, hashtext(current_schema()))"
    if not connection.execute(text(key.format("pg_try_advisory_xact_lock", MIGRATION_LOCK_CLASS))).scalar():
        on_wait("Another workstation is creating or upgrading the database; waiting for it to finish...")
        connection.execute(text(key.format("pg_advisory_xact_lock", MIGRATION_LOCK_CLASS)))


def _say_on_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def migrate(engine: Engine, *, full_check: bool = False,
            on_wait: Callable[[str], None] = _say_on_stderr) -> MigrationReport:
    """Bring the database to the app's schema and open its audit chain; see the module docstring for the steps.

    Everything from reading the schema version to the end of the upgrade runs in one transaction that
    other workstations wait for (advisory lock on PostgreSQL, the write lock on SQLite), so sixteen
    workstations starting at once create or upgrade the schema exactly once. After an upgrade (or with
    `full_check`) SQLite gets the full integrity and foreign-key check; an up-to-date database gets
    quick_check, which stays fast on a store of a million administrations.
    """
    head = head_revision()
    with engine.connect() as connection:
        current = current_revision(connection)
    _refuse_unknown(current, head)
    backup_path, upgraded = None, False
    if current != head:  # an up-to-date database is opened without the lock: no DDL, nobody waits
        path = sqlite_file(engine.url)
        if current is not None and path is not None and path.exists():
            backup_path = backup_sqlite(path, f"before-{head}")
        with _upgrade_connection(engine) as connection:
            _wait_for_other_upgrader(connection, on_wait)
            current = current_revision(connection)  # again, under the lock: another workstation may have done it
            has_tables = bool(inspect(connection).get_table_names())
            _refuse_unknown(current, head)
            if current is None and has_tables:
                raise NotOurDatabaseError(
                    "This database already has tables but no Infusion Charge Capture schema version: "
                    "it was not made by this app. Choose another file or an empty database."
                )
            if current != head:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                upgraded = True
    check_integrity(engine, quick=not full_check and not upgraded)
    from_existing = upgraded and current is not None
    open_chain(engine, upgraded_from=current if from_existing else None, upgraded_to=head if from_existing else None)
    return MigrationReport(
        from_revision=current, to_revision=head, created=upgraded and current is None, backup_path=backup_path
    )


def _refuse_unknown(current: str | None, head: str) -> None:
    if current is not None and current not in known_revisions():
        raise SchemaTooNewError(
            f"This database was upgraded by a newer version of Infusion Charge Capture (schema "
            f"{current}; this app knows up to {head}). Install the newer version; nothing was changed."
        )
