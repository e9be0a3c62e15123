"""The audit trail as the services see it: logging a login and checking the hash chain."""

from __future__ import annotations

import datetime as dt

from db.audit import append_event, lock_chain, verify_chain
from db.repositories import ensure_user
from desktop.services.store import Store
from desktop.services.validation import check_text
from desktop.services.views import AuditCheck


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


def verify_audit_chain(store: Store) -> AuditCheck:
    """Walk every audit event in order; the first whose hash or link does not match is named."""
    with store.session_scope(write=False) as session:
        check = verify_chain(session)
    return AuditCheck(ok=check.ok, events_checked=check.events_checked,
                      first_broken_id=check.first_broken_id, message=check.message)
