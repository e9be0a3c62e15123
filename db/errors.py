"""Reasons the store refuses to open a database, each with a message a person can act on."""

from __future__ import annotations

# How a PostgreSQL round trip that hit the client-side limit is worded (db.pg_connection); matched by the services.
UNANSWERED = "timed out: the database server did not answer within"


class StoreOpenError(Exception):
    """The database cannot be used as it is; `str(error)` says why and what to do."""


class NetworkShareError(StoreOpenError):
    """A SQLite file on a network share (SQLite's locking is unreliable there)."""


class SchemaTooNewError(StoreOpenError):
    """The database was upgraded by a newer version of the app than this one."""


class IntegrityCheckError(StoreOpenError):
    """SQLite's integrity check (or the foreign-key check) found damage."""


class NotOurDatabaseError(StoreOpenError):
    """The database has tables but no schema revision: it was not made by this app."""


class DatabaseFileMovedError(StoreOpenError):
    """The SQLite file at the database path is no longer the file the program opened (deleted, moved or replaced)."""


class StoredValueError(ValueError):
    """A value the database cannot hold as given (too long for its column, or a NUL character); nothing was saved."""
