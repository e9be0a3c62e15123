"""The chain's head follows every event of a transaction, also when the session let go of what it had read."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db.audit import SYSTEM, append_event, lock_chain
from db.models import AuditEvent, AuditHead
from desktop.services import open_store, verify_audit_chain


def test_the_head_follows_events_appended_after_the_session_expunged_everything(tmp_path: Path) -> None:
    """What an upgrade does: it walks the chain (which expunges each batch it read) and then appends its event.
    The head kept for the transaction had left the session, so its UPDATE was never flushed and the next writer
    recorded a "head_repaired" that `audit verify` reports as a broken chain (seen with sixteen workstations)."""
    store = open_store(f"sqlite:///{tmp_path / 'charges.sqlite3'}")
    try:
        with store.session_scope() as session:
            lock_chain(session)
            append_event(session, actor=SYSTEM, action="test_before", entity="test", entity_id=None,
                         before=None, after={"n": 1})
            session.flush()
            session.expunge_all()
            append_event(session, actor=SYSTEM, action="test_after", entity="test", entity_id=None,
                         before=None, after={"n": 2})
        with store.session_scope(write=False) as session:
            last = session.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
            head = session.get(AuditHead, 1)
            assert head is not None and head.last_id == last
        assert verify_audit_chain(store).ok
    finally:
        store.close()
