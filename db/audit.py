"""The hash-chained audit trail: append an event under the chain lock, and verify the whole chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
HEAD_ID = 1


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(event: AuditEvent) -> str:
    content = {
        "id": event.id,
        "occurred_at": event.occurred_at,
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before_json,
        "after": event.after_json,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def lock_chain(session: Session) -> AuditHead:
    """Take the chain's lock for this transaction (row lock on PostgreSQL; SQLite writes are serial)."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        raise RuntimeError("the audit chain head row is missing: the database was not made by this app")
    return head


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    occurred_at: dt.datetime | None = None,
) -> AuditEvent:
    """Add the next event of the chain to this session's transaction."""
    head = lock_chain(session)
    when = (occurred_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    event = AuditEvent(
        id=head.last_id + 1,
        occurred_at=when.isoformat(timespec="microseconds"),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before_json=None if before is None else canonical_json(before),
        after_json=None if after is None else canonical_json(after),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    session.add(event)
    head.last_id = event.id
    head.last_hash = event.hash
    return event


@dataclass(frozen=True, slots=True)
class ChainCheck:
    ok: bool
    events_checked: int
    first_broken_id: int | None
    message: str


def verify_chain(session: Session, batch_size: int = 5000) -> ChainCheck:
    """Recompute every hash in id order; report the first event that was changed, removed or inserted."""
    expected_prev, expected_id, checked = GENESIS_HASH, 1, 0
    last_seen = 0
    while True:
        batch = session.execute(
            select(AuditEvent).where(AuditEvent.id > last_seen).order_by(AuditEvent.id).limit(batch_size)
        ).scalars().all()
        if not batch:
            break
        for event in batch:
            if event.id != expected_id:
                return ChainCheck(False, checked, expected_id,
                                  f"audit event {expected_id} is missing (the next event is {event.id})")
            if event.prev_hash != expected_prev:
                return ChainCheck(False, checked, event.id,
                                  f"audit event {event.id} does not link to event {event.id - 1}")
            if event_hash(event) != event.hash:
                return ChainCheck(False, checked, event.id,
                                  f"audit event {event.id} ({event.action} {event.entity} {event.entity_id}) "
                                  "was changed after it was written: its hash does not match its content")
            expected_prev, expected_id = event.hash, event.id + 1
            checked += 1
        last_seen = batch[-1].id
        session.expunge_all()
    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.last_id != expected_id - 1 or head.last_hash != expected_prev):
        return ChainCheck(False, checked, expected_id if head.last_id >= expected_id else head.last_id,
                          f"the chain ends at event {expected_id - 1} but its head names event {head.last_id}: "
                          "events after it were removed, or the head was edited")
    return ChainCheck(True, checked, None, f"{checked} audit events verified, chain intact")
