"""The open charge store: an engine built from a URL, migrated at open, and one session per call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import BEGIN_OPTION, create_store_engine, privacy_for, resolve_url, sqlite_file, user_data_folder
from db.errors import DatabaseFileMovedError, StoreOpenError
from db.file_pin import check_sqlite_file, pin_sqlite_file
from db.migrate import MigrationReport, migrate
from db.private_files import Tightened, tighten
from db.sessions_lock import SessionsLock
from db.workstation import StoreTimeouts, WorkstationSettings, load_settings, shared_data_folder
from desktop.billing.tables import RuleSet, load_rules
from desktop.services.errors import SaveOutcomeUnknownError, StoreUnavailableError
from desktop.services.storage.store_failures import cause_of, describe_failure, outcome_unknown

RESTORE_WAIT_SECONDS = 30.0  # a restore in progress holds the database this long at most before we say so


@dataclass(frozen=True)
class Store:
    """A database the services can use; build it with `open_store`, never at import time."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    rules: RuleSet
    migration: MigrationReport | None = None
    timeouts: StoreTimeouts = field(default_factory=StoreTimeouts)
    # Files of an existing installation that were readable by other accounts and were made private at this start.
    tightened: tuple[Tightened, ...] = ()
    in_use: SessionsLock | None = None  # SQLite: tells a restore that this program has the database open

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception.

        The SQLite file is checked before the work starts, before the commit and after it, so a file deleted,
        moved or replaced under the program is never reported as saved. A database that fails (server gone,
        disk full, lock held, read-only file, no answer in time) raises StoreUnavailableError saying what was
        not saved; SaveOutcomeUnknownError when the server went away during the commit itself.
        """
        self.check_file()
        session = (self.sessions if write else self.read_sessions)()
        committing = False
        try:
            yield session
            if write:
                self.check_file()
            committing = True
            session.commit()
        except BaseException as exc:
            _rollback_quietly(session)
            if isinstance(exc, OperationalError | InterfaceError) and not _statement_fault(exc):
                sqlite = self.is_sqlite
                kind = cause_of(exc, sqlite=sqlite, timeouts=self.timeouts).kind
                if write and committing and outcome_unknown(exc, sqlite=sqlite):
                    raise SaveOutcomeUnknownError(
                        describe_failure(exc, write=True, committing=True, sqlite=sqlite, timeouts=self.timeouts),
                        kind=kind,
                    ) from exc
                raise StoreUnavailableError(
                    describe_failure(exc, write=write, committing=committing, sqlite=sqlite, timeouts=self.timeouts),
                    kind=kind,
                ) from exc
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
        if self.in_use is not None:
            self.in_use.release()


def _rollback_quietly(session: Session) -> None:
    # A rollback on a connection that is already gone fails too; the first failure is the one to report.
    with suppress(OperationalError, InterfaceError):
        session.rollback()


def open_store(url: str | None = None, *, rules: RuleSet | None = None, migrate_schema: bool = True,
               timeouts: StoreTimeouts | None = None) -> Store:
    """Open (and create or upgrade) the database at `url`.

    `url` None means $INFUSION_CHARGE_DATABASE_URL, else the workstation's database (its settings file), else
    the SQLite file in the user's data folder. `timeouts` None means the workstation's settings. Raises
    StoreUnavailableError with a plain message for a file on a network share or that this account may not
    open, a schema newer than this app, a failed check, or a server that cannot be reached in time.
    """
    try:
        settings = load_settings()
    except StoreOpenError as exc:
        raise StoreUnavailableError(str(exc)) from exc
    resolved = resolve_url(url, settings)
    timeouts = timeouts if timeouts is not None else settings.timeouts
    try:
        engine = create_store_engine(resolved, timeouts=timeouts, settings=settings)
    except StoreOpenError as exc:
        raise StoreUnavailableError(str(exc)) from exc
    except (ValueError, ImportError, ArgumentError) as exc:  # a malformed URL, an unknown dialect or driver
        raise StoreUnavailableError(f"cannot use the database URL {_safe(resolved)}: {exc}") from exc
    path = sqlite_file(engine.url)
    in_use = _hold_in_use(engine, path, settings)
    tightened = _tighten_data_folder(path, settings)
    try:
        report = _migrate(engine, resolved, timeouts, settings) if migrate_schema else None
        if path is not None:
            pin_sqlite_file(engine, path)
    except StoreOpenError as exc:
        _give_up(engine, in_use)
        raise StoreUnavailableError(str(exc)) from exc
    except (OperationalError, DBAPIError) as exc:
        _give_up(engine, in_use)
        raise StoreUnavailableError(
            f"cannot open the database {_safe(resolved)}: "
            + describe_failure(exc, write=False, committing=False, sqlite=path is not None, timeouts=timeouts,
                               opening=True)
        ) from exc
    readonly = engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
    return Store(
        url=resolved,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        read_sessions=sessionmaker(readonly, expire_on_commit=False),
        rules=rules or load_rules(),
        migration=report,
        timeouts=timeouts,
        tightened=tuple(tightened),
        in_use=in_use,
    )


# SQLite reports a wrong statement as an OperationalError too: that is a program fault, not an unavailable database.
STATEMENT_FAULTS = ("no such table", "no such column", "ambiguous column", "syntax error", "has no column named")


def _statement_fault(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else ""
    return any(words in text for words in STATEMENT_FAULTS)


def _give_up(engine: Engine, in_use: SessionsLock | None) -> None:
    engine.dispose()
    if in_use is not None:
        in_use.release()


def _hold_in_use(engine: Engine, path: Path | None, settings: WorkstationSettings) -> SessionsLock | None:
    if path is None:
        return None
    try:
        lock = SessionsLock(path, privacy_for(path, settings))
    except OSError as exc:
        engine.dispose()
        raise StoreUnavailableError(f"Cannot open the database {path}: its folder cannot be written ({exc.strerror})."
                                    " Ask your administrator to check the folder's permissions.") from exc
    if not lock.wait_shared(RESTORE_WAIT_SECONDS):
        lock.release()
        engine.dispose()
        raise StoreUnavailableError(f"The database {path} is being restored from a backup. Wait a minute, then "
                                    "start the program again.")
    return lock


def _tighten_data_folder(path: Path | None, settings: WorkstationSettings) -> list[Tightened]:
    """An existing installation's data folder, made private (or group-only) if it was wider."""
    if path is None:
        return []
    folder = path.parent
    known = {user_data_folder().resolve(), shared_data_folder(settings).resolve()}
    if folder.resolve() not in known:
        return []  # a file the person chose elsewhere: its folder is theirs, only the file itself was made private
    try:
        return tighten(folder, privacy_for(path, settings))
    except PermissionError:
        return []  # files of another account in the shared folder: theirs to tighten


def _migrate(engine: Engine, url: str, timeouts: StoreTimeouts, settings: WorkstationSettings) -> MigrationReport:
    if engine.dialect.name == "sqlite":
        return migrate(engine)
    # An upgrade may rewrite large tables and wait for another workstation's upgrade: no statement or lock limit,
    # but still a bounded wait for a server that does not answer at all.
    patient = replace(timeouts, statement=max(timeouts.statement, 600.0), lock=0.0)
    migration_engine = create_store_engine(url, timeouts=patient, settings=settings)
    try:
        return migrate(migration_engine)
    finally:
        migration_engine.dispose()


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown as given
        return url
