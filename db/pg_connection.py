"""PostgreSQL connections that never wait forever: server-side lock and statement timeouts, a connect timeout,
and a client-side limit for a server that stopped answering altogether (frozen, unplugged), which no server-side
timeout can catch."""

from __future__ import annotations

from typing import Any

import psycopg
import psycopg.errors

from db.errors import UNANSWERED
from db.workstation import StoreTimeouts

# psycopg raises this (an OperationalError) from Connection.wait(timeout=...); every statement, commit and
# rollback of a connection goes through that one wait.
_WAIT_TIMEOUT: type[BaseException] = getattr(psycopg.errors, "_WaitTimeout", psycopg.OperationalError)


class BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every round trip gives up after `unanswered_after` seconds (0: no limit).

    Giving up closes the connection: a statement half sent cannot be resumed, and SQLAlchemy then throws the
    connection away (it reports `closed`) instead of handing it out again.
    """

    unanswered_after: float = 0.0

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        limit = self.unanswered_after
        if limit <= 0 or timeout is not None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, limit)
        except _WAIT_TIMEOUT as exc:
            self.pgconn.finish()
            raise psycopg.OperationalError(f"{UNANSWERED} {limit:g} s") from exc


def server_options(timeouts: StoreTimeouts, given: str | None) -> str:
    """The libpq `options` with the session's timeouts added to any the URL already sets (e.g. search_path)."""
    settings = [
        f"-c lock_timeout={int(timeouts.lock * 1000)}",
        f"-c statement_timeout={int(timeouts.statement * 1000)}",
        # A workstation that froze inside a transaction must not hold its row locks for ever.
        f"-c idle_in_transaction_session_timeout={int(max(60.0, timeouts.statement * 4) * 1000)}",
    ]
    return " ".join(([given.strip()] if given and given.strip() else []) + settings)


def connect(timeouts: StoreTimeouts, *cargs: Any, **cparams: Any) -> BoundedConnection:
    """Open a connection with the workstation's timeouts (SQLAlchemy's do_connect hook calls this)."""
    cparams["options"] = server_options(timeouts, cparams.get("options"))
    if timeouts.connect > 0 and "connect_timeout" not in cparams:
        cparams["connect_timeout"] = max(1, round(timeouts.connect))
    connection = BoundedConnection.connect(*cargs, **cparams)
    connection.unanswered_after = timeouts.unanswered
    return connection
