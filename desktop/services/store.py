"""The open charge store: an engine built from a URL, migrated at open, and one session per call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import BEGIN_OPTION, create_store_engine, resolve_url
from db.errors import StoreOpenError
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
        """One transaction: committed when the block ends, rolled back on any exception."""
        session = (self.sessions if write else self.read_sessions)()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

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
    except (ValueError, ImportError) as exc:  # a malformed URL or an unknown driver
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
    readonly = engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
    return Store(
        url=resolved,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        read_sessions=sessionmaker(readonly, expire_on_commit=False),
        rules=rules or load_rules(),
        migration=report,
    )


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown as given
        return url
