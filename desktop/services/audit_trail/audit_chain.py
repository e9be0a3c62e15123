"""The audit trail as the services see it: logging a login, proving the rows against the chain, rotating its key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from db.audit import append_event, context_of, lock_chain
from db.audit_files import AuditFileError
from db.audit_setup import rotate_key, save_with_backup
from db.audit_verify import verify
from db.repositories import ensure_user
from desktop.services.errors import ServiceError
from desktop.services.people.identity import SignedInPerson
from desktop.services.people.roles import Permission, require_person
from desktop.services.storage.store import Store
from desktop.services.validation import check_text


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """Result of `audit verify`: the chain, the anchor and every covered row; `differences` in words."""

    ok: bool
    events_checked: int
    rows_checked: int
    first_broken_id: int | None
    message: str
    differences: tuple[str, ...]
    notices: tuple[str, ...]


def record_login(store: Store, user: str, workstation: str | None = None) -> None:
    """Store a login audit event (and the user, the first time they are seen)."""
    user = check_text(user, "the user name")
    with store.session_scope() as session:
        lock_chain(session)
        _, created = ensure_user(session, user)
        now = dt.datetime.now(dt.UTC)
        if created:
            append_event(session, actor=user, action="create", entity="user", entity_id=user, before=None,
                         after={"username": user}, occurred_at=now)
        append_event(session, actor=user, action="login", entity="user", entity_id=user, before=None,
                     after={"workstation": workstation}, occurred_at=now)


def verify_audit_chain(store: Store, person: SignedInPerson | None = None) -> AuditVerification:
    """Every event's keyed hash and link, the head, this workstation's anchor, and the rows against the chain.

    With `person`, only an administrator (VIEW_AUDIT) may run it; the services' own checks pass None."""
    with store.session_scope(write=False) as session:
        if person is not None:
            require_person(session, person, Permission.VIEW_AUDIT)
        context = context_of(session)
        result = verify(session, context)
    if context is not None:
        result.notices.extend(f"the anchor file could not be written: {e}" for e in context.anchor_errors)
    return AuditVerification(
        ok=result.ok, events_checked=result.events_checked, rows_checked=result.rows_checked,
        first_broken_id=result.first_broken_id, message=result.summary(), differences=tuple(result.problems),
        notices=tuple(result.notices),
    )


def rotate_audit_key(store: Store, person: SignedInPerson) -> str:
    """A new signing key (administrators); returns its id. Copy the key file to the other workstations."""
    with store.session_scope(write=False) as session:
        require_person(session, person, Permission.MANAGE_SETTINGS)
        context = context_of(session)
    if context is None:
        raise ServiceError("the audit chain of this database is not open")
    try:
        return rotate_key(store.engine, context, person.username)
    except (OSError, AuditFileError) as exc:
        raise ServiceError(f"the audit key could not be rotated ({exc}); nothing was changed") from exc


def save_audit_companion(store: Store, backup: Path) -> Path:
    """Beside a backup: the chain's key and anchor (the backup's own copy of what lives outside the database)."""
    with store.session_scope(write=False) as session:
        context = context_of(session)
    if context is None:
        raise ServiceError("the audit chain of this database is not open")
    try:
        return save_with_backup(context, backup)
    except (OSError, AuditFileError) as exc:
        raise ServiceError(f"the audit key and anchor could not be saved beside the backup ({exc})") from exc
