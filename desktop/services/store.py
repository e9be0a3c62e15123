"""The open charge store: an engine built from a URL, migrated at open, and one session per call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import BEGIN_OPTION, create_store_engine, resolve_url, sqlite_file
from db.errors import DatabaseFileMovedError, StoreOpenError
from db.file_pin import check_sqlite_file, pin_sqlite_file
from db.migrate import MigrationReport, migrate
from desktop.billing.tables import RuleSet, load_rules
from desktop.services.errors import StoreUnavailableError


@dataclass(frozen=True)
class Store:
    """A database the services can use; build it with `open_store`, never at import time."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    rules: RuleSet
    migration: MigrationReport | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception.

        The SQLite file is checked before the work starts, before the commit and after it, so a file deleted,
        moved or replaced under the program is never reported as saved. A database that fails (server gone,
        disk full, lock held, read-only file) raises StoreUnavailableError saying what was not saved.
        """
        self.check_file()
        session = (self.sessions if write else self.read_sessions)()
        try:
            yield session
            if write:
                self.check_file()
            session.commit()
        except BaseException as exc:
            session.rollback()
            if isinstance(exc, OperationalError | InterfaceError):
                raise StoreUnavailableError(describe_failure(exc, write=write)) from exc
            raise
        finally:
            session.close()
        if write:
            self.check_file()  # moved during the commit: it went into the old file, not the one at the path

    def check_file(self) -> None:
        """StoreUnavailableError when the SQLite file at the path is no longer the one this store opened."""
        try:
            check_sqlite_file(self.engine)
        except DatabaseFileMovedError as exc:
            raise StoreUnavailableError(str(exc)) from exc

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, rules: RuleSet | None = None, migrate_schema: bool = True) -> Store:
    """Open (and create or upgrade) the database at `url`.

    `url` None means $INFUSION_CHARGE_DATABASE_URL, else the SQLite file in the
    user's data folder. Raises StoreUnavailableError with a plain message for a
    file on a network share, a schema newer than this app, or a failed check.
    """
    resolved = resolve_url(url)
    try:
        engine = create_store_engine(resolved)
    except StoreOpenError as exc:
        raise StoreUnavailableError(str(exc)) from exc
    except (ValueError, ImportError, ArgumentError) as exc:  # a malformed URL, an unknown dialect or driver
        raise StoreUnavailableError(f"cannot use the database URL {_safe(resolved)}: {exc}") from exc
    try:
        report = migrate(engine) if migrate_schema else None
    except StoreOpenError as exc:
        engine.dispose()
        raise StoreUnavailableError(str(exc)) from exc
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise StoreUnavailableError(
            f"cannot open the database {_safe(resolved)}: {str(exc.orig).strip().splitlines()[0]}"
        ) from exc
    path = sqlite_file(engine.url)
    if path is not None:
        try:
            pin_sqlite_file(engine, path)
        except DatabaseFileMovedError as exc:
            engine.dispose()
            raise StoreUnavailableError(str(exc)) from exc
    readonly = engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
    return Store(
        url=resolved,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        read_sessions=sessionmaker(readonly, expire_on_commit=False),
        rules=rules or load_rules(),
        migration=report,
    )


def describe_failure(exc: DBAPIError, *, write: bool) -> str:
    """What a failed database call means for the person at the screen, and what to do."""
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = detail.lower()
    outcome = "Nothing was saved" if write else "The list could not be read"
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        cause = "another program or workstation is holding the database"
        advice = "try again in a moment"
    elif "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        cause = "the database file or its folder cannot be written (read-only)"
        advice = "ask your administrator to check the file's permissions"
    elif "disk is full" in lowered or "no space" in lowered or "disk i/o" in lowered:
        cause = "the disk holding the database is full or failing"
        advice = "free some space or ask your administrator, then try again"
    elif "timeout" in lowered or "canceling statement" in lowered:
        cause = "the database did not answer in time"
        advice = "try again; if it keeps happening, ask your administrator to check the server"
    else:
        cause = "the database cannot be reached"
        advice = "check the network or the server, then try again"
    return f"{outcome}: {cause} ({detail}). What you entered is kept; {advice}."


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown as given
        return url
