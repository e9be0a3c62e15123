"""The audit trail as the services see it: logging a login and checking the hash chain."""

from __future__ import annotations

from desktop.services.store import Store
from desktop.services.views import AuditCheck


def record_login(store: Store, user: str) -> None:
    """Store a login audit event (and the user, the first time they are seen)."""
    raise NotImplementedError


def verify_audit_chain(store: Store) -> AuditCheck:
    """Walk every audit event in order; the first whose hash or link does not match is named."""
    raise NotImplementedError
