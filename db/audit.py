"""The keyed audit chain: append an event under the chain lock, and snapshot every covered row a transaction changed.

Each event's `hash` is an HMAC-SHA256 (key outside the database, see db/audit_files.py) over its content and
the previous event's hash. Events written before the chain was keyed (older versions of the app) keep their
plain SHA-256 and are sealed by the first keyed event ("chain_keyed"), whose MAC covers the last of them.
Every transaction that changes a covered row (db/audit_coverage.py) gets a "rows" event with those rows as stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import UnboundExecutionError
from sqlalchemy.orm import Session

import db.column_limits  # noqa: F401 - its flush check of lengths and NULs comes with the chain's hooks
from db.audit_coverage import RowImage, covered_table, primary_key_text, read_images
from db.audit_files import Anchor, AuditFileError, AuditFolder, ChainKeys
from db.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
HEAD_ID = 1
KEYED = "chain_keyed"  # first keyed event: after = {"chain_id", "key_id", "legacy_events"}
ROTATED = "key_rotated"  # after = {"key_id"}: the events after it are signed with that key
HEAD_REPAIRED = "head_repaired"  # before = the head as found, after = the chain's real end
SYSTEM = "system"
ROW_ACTIONS = frozenset({"rows", "baseline"})
_TOUCHED, _APPENDED, _ACTOR = "audit_touched", "audit_appended", "audit_actor"
_LOCKED, _CHECKED = "audit_locked", "audit_checked"  # (transaction, head) locked; transaction whose head was checked


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_content(event: AuditEvent) -> str:
    return canonical_json({
        "id": event.id, "occurred_at": event.occurred_at, "actor": event.actor, "action": event.action,
        "entity": event.entity, "entity_id": event.entity_id, "before": event.before_json,
        "after": event.after_json, "prev_hash": event.prev_hash,
    })


def event_hash(event: AuditEvent, secret: bytes | None = None) -> str:
    """HMAC-SHA256 with the chain's key; plain SHA-256 (secret None) for events older than the key."""
    content = event_content(event).encode("utf-8")
    if secret is None:
        return hashlib.sha256(content).hexdigest()
    return hmac.new(secret, content, hashlib.sha256).hexdigest()


@dataclass(slots=True)
class ChainContext:
    """The open store's chain: its id, its keys, the key that signs new events, and the database's name."""

    chain_id: str
    keys: ChainKeys
    signing_key_id: str
    database: str
    folder: AuditFolder
    anchor_errors: list[str] = field(default_factory=list)

    @property
    def secret(self) -> bytes:
        return self.keys.keys[self.signing_key_id]


# By database URL: every engine opened on the same database (and one whose pool was disposed) shares its chain.
_CONTEXTS: dict[str, ChainContext] = {}


def _key(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def register_context(engine: Engine, context: ChainContext) -> None:
    _CONTEXTS[_key(engine.url)] = context


def context_of(session: Session) -> ChainContext | None:
    try:
        bind = session.get_bind()
    except UnboundExecutionError:
        return None
    return _CONTEXTS.get(_key(bind.engine.url))


def lock_chain(session: Session) -> AuditHead:
    """Take the chain's lock for this transaction (row lock on PostgreSQL; SQLite writes are serial).

    Asked of the database once per transaction: the lock holds until it ends, so later calls (every event a
    record appends) get the same head without another query (issue 16)."""
    held = session.info.get(_LOCKED)
    # The head kept for this transaction, unless it left the session: walking the chain (after an upgrade) expunges
    # what it read, and a detached head would take the next events' ids without its UPDATE ever being flushed.
    if held is not None and held[0] is session.get_transaction() and held[1] in session:
        return held[1]  # type: ignore[no-any-return]
    # populate_existing: a session that read the head in an earlier transaction (expire_on_commit is off) would
    # otherwise get its stale values back under the fresh lock, and "repair" a head nobody edited.
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if head is None:
        raise RuntimeError("the audit chain head row is missing: the database was not made by this app")
    session.info[_LOCKED] = (session.get_transaction(), head)
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
    secret: bytes | None = None,
) -> AuditEvent:
    """Add the next event of the chain to this session's transaction, signed with the store's key.

    Without an open store (no key loaded) only a chain that was never keyed takes an event, with a plain
    SHA-256 as the versions before the key wrote (tests build such databases); a keyed chain refuses."""
    if secret is None:
        context = context_of(session)
        if context is not None:
            secret = context.secret
        elif session.execute(select(AuditEvent.id).where(AuditEvent.action == KEYED).limit(1)).first() is not None:
            raise RuntimeError("the audit key is not loaded: open the database with open_store()")
    head = lock_chain(session)
    when = (occurred_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    transaction = session.get_transaction()
    if session.info.get(_CHECKED) is not transaction:  # once per transaction: under the lock, only it appends
        last = session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
        actual = (last[0], last[1]) if last is not None else (0, GENESIS_HASH)
        if (head.last_id, head.last_hash) != actual:
            # The head row was edited: go on from the chain's real end, and say so in the chain for verify to report.
            moved = {"head_id": head.last_id, "head_hash": head.last_hash}
            head.last_id, head.last_hash = actual
            _add(session, head, secret, when, actor=SYSTEM, action=HEAD_REPAIRED, entity="audit_chain",
                 entity_id=None, before=moved, after={"last_id": actual[0], "last_hash": actual[1]})
        session.info[_CHECKED] = transaction
    event = _add(session, head, secret, when, actor=actor, action=action, entity=entity, entity_id=entity_id,
                 before=before, after=after)
    if action not in ROW_ACTIONS:
        session.info[_ACTOR] = actor
    return event


def _add(session: Session, head: AuditHead, secret: bytes | None, when: dt.datetime, *, actor: str, action: str,
         entity: str, entity_id: str | int | None, before: Mapping[str, Any] | None,
         after: Mapping[str, Any] | None) -> AuditEvent:
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
    event.hash = event_hash(event, secret)
    session.add(event)
    head.last_id = event.id
    head.last_hash = event.hash
    session.info[_APPENDED] = (event.id, event.hash)
    return event


def rows_payload(images: Mapping[str, Mapping[str, RowImage | None]]) -> dict[str, Any]:
    return {"rows": {table: dict(rows) for table, rows in images.items() if rows}}


# --- every transaction's changed rows go into the chain (session events, for every Session) ---------------

def _after_flush(session: Session, _flush_context: Any) -> None:
    if context_of(session) is None:
        return
    touched: set[tuple[str, str]] = session.info.setdefault(_TOUCHED, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        state = inspect(instance)
        table = covered_table(state.mapper.local_table.name)
        if table is None:
            continue  # dirty but unchanged rows are re-read too: the same image again is harmless
        values = state.mapper.primary_key_from_instance(instance)
        touched.add((table.name, primary_key_text(table, dict(
            zip([c.name for c in table.primary_key.columns], values, strict=True)))))


def _before_commit(session: Session) -> None:
    if context_of(session) is None:
        return
    session.flush()
    touched: set[tuple[str, str]] = session.info.pop(_TOUCHED, set())
    if not touched:
        return
    by_table: dict[str, list[str]] = {}
    for table_name, key in sorted(touched):
        by_table.setdefault(table_name, []).append(key)
    images = {}
    for table_name, keys in by_table.items():
        table = covered_table(table_name)
        assert table is not None
        images[table_name] = read_images(session, table, keys)
    append_event(session, actor=session.info.get(_ACTOR, "app"), action="rows", entity="rows", entity_id=None,
                 before=None, after=rows_payload(images))


def _after_commit(session: Session) -> None:
    appended = session.info.pop(_APPENDED, None)
    session.info.pop(_ACTOR, None)
    context = context_of(session)
    if appended is None or context is None:
        return
    try:
        context.folder.write_anchor(Anchor(context.chain_id, appended[0], appended[1]))
    except (OSError, AuditFileError) as exc:
        # The data is committed; the anchor only lags, and the next write or verify on this workstation says so.
        context.anchor_errors.append(str(exc))


def _after_rollback(session: Session) -> None:
    for key in (_TOUCHED, _APPENDED, _ACTOR, _LOCKED, _CHECKED):
        session.info.pop(key, None)


sa_event.listen(Session, "after_flush", _after_flush)
sa_event.listen(Session, "before_commit", _before_commit)
sa_event.listen(Session, "after_commit", _after_commit)
sa_event.listen(Session, "after_soft_rollback", lambda session, _previous: _after_rollback(session))
