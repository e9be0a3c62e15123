"""The open charge store: an engine built from a URL, migrated at open, and one session per call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.billing.tables import RuleSet


@dataclass(frozen=True)
class Store:
    """A database the services can use; build it with `open_store`, never at import time."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    rules: RuleSet

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        raise NotImplementedError

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, rules: RuleSet | None = None, migrate: bool = True) -> Store:
    """Open (and create or upgrade) the database at `url`.

    `url` None means $INFUSION_CHARGE_DATABASE_URL, else the SQLite file in the
    user's data folder. Raises StoreUnavailableError with a plain message for a
    file on a network share, a schema newer than this app, or a failed check.
    """
    raise NotImplementedError
