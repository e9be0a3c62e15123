"""What a failed database call means for the person at the screen: what was (not) saved, why, and what to do."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from db.errors import UNANSWERED
from db.workstation import StoreTimeouts

# PostgreSQL SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html
LOCK_NOT_AVAILABLE, QUERY_CANCELED, DEADLOCK, SERIALIZATION = "55P03", "57014", "40P01", "40001"
DISK_FULL, OUT_OF_MEMORY, READ_ONLY_TRANSACTION = "53100", "53200", "25006"


@dataclass(frozen=True, slots=True)
class Cause:
    words: str
    advice: str
    kind: str = "unavailable"  # busy: another writer holds it, worth trying the next row; the rest: it is away


def _seconds(value: float) -> str:
    return f"{value:g} s"


def cause_of(exc: DBAPIError, *, sqlite: bool, timeouts: StoreTimeouts) -> Cause:
    """Sort a driver's error into the few things a nurse or biller can act on."""
    detail = technical_detail(exc).lower()
    state = getattr(exc.orig, "sqlstate", None) or ""
    if state in (LOCK_NOT_AVAILABLE, DEADLOCK, SERIALIZATION) or "lock timeout" in detail \
            or "database is locked" in detail or "database table is locked" in detail:
        holder = "another program on this computer" if sqlite else "another workstation"
        waited = timeouts.busy if sqlite else timeouts.lock
        return Cause(f"{holder} is holding the records this needs and did not let go within {_seconds(waited)}",
                     "try again in a moment", kind="busy")
    if UNANSWERED in detail:
        return Cause(f"the database server did not answer within {_seconds(timeouts.unanswered)} (it may be "
                     "overloaded, frozen or cut off)",
                     "try again; if it keeps happening, ask your administrator to check the server")
    if "connection timeout expired" in detail or "timeout expired" in detail:
        return Cause(f"the database server did not answer within {_seconds(timeouts.connect)} (it may be "
                     "overloaded, frozen or cut off)",
                     "try again; if it keeps happening, ask your administrator to check the server")
    if state == QUERY_CANCELED or "statement timeout" in detail:
        return Cause(f"the database took longer than {_seconds(timeouts.statement)} to answer",
                     "try again; if it keeps happening, ask your administrator to check the server")
    if state == READ_ONLY_TRANSACTION or "readonly" in detail or "read-only" in detail:
        return Cause("the database cannot be written (its file or folder is read-only)",
                     "ask your administrator to check the data folder's permissions")
    if state in (DISK_FULL, OUT_OF_MEMORY) or "disk is full" in detail or "no space" in detail \
            or "disk i/o" in detail:
        return Cause("the disk holding the database is full or failing",
                     "free some space (or ask your administrator), then try again")
    if "unable to open database file" in detail:
        return Cause("the database file cannot be opened (its folder was removed, or its permissions changed)",
                     "ask your administrator to check the data folder")
    if sqlite:
        return Cause("the database file cannot be used", "try again; if it keeps happening, ask your administrator")
    return Cause("the database server cannot be reached",
                 "check the network or ask your administrator to check the server, then try again")


def outcome_unknown(exc: DBAPIError, *, sqlite: bool) -> bool:
    """True when a commit's fate is unknown: the server went away while it was being committed. SQLite commits
    are atomic on this computer; a server that answered with an error did not commit."""
    if sqlite:
        return False
    return bool(exc.connection_invalidated) or not getattr(exc.orig, "sqlstate", None)


def describe_failure(exc: DBAPIError, *, write: bool, committing: bool = False, sqlite: bool = False,
                     timeouts: StoreTimeouts | None = None, opening: bool = False) -> str:
    """One paragraph: what happened to the change (or the list), why, what to do; the driver's words last."""
    cause = cause_of(exc, sqlite=sqlite, timeouts=timeouts or StoreTimeouts())
    detail = technical_detail(exc)
    if opening:
        return f"{cause.words}; {cause.advice}. (Technical detail: {detail})"
    if write and committing and outcome_unknown(exc, sqlite=sqlite):
        return (f"It is not known whether this was saved: {cause.words} while the change was being committed. "
                "Check the list (Today or the review queue) before doing it again. "
                f"(Technical detail: {detail})")
    if not write:  # the screen says what could not be shown; the words say why
        return f"{cause.words[0].upper()}{cause.words[1:]}; {cause.advice}. (Technical detail: {detail})"
    return f"Nothing was saved: {cause.words}; {cause.advice}. (Technical detail: {detail})"


def technical_detail(exc: DBAPIError) -> str:
    """The driver's first line, never SQLAlchemy's wrapper text (the statement, its parameters, a web link)."""
    original = exc.orig if exc.orig is not None else exc
    lines = str(original).strip().splitlines()
    first = lines[0].strip() if lines else type(original).__name__
    return first[:200] or type(original).__name__
