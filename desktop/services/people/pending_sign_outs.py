"""Sign-out events that could not reach the database when they happened (server down): kept in a private local file
and written to the audit trail once the database is back, saying they were queued and when they happened.

Locking the screen never waits for the database: the lock comes first, the audit event follows. Each queued event
has an id written with it, so a flush that is interrupted between the commit and the file update never writes an
event twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from db.private_files import PRIVATE, ensure_folder, write_private
from desktop.services.people.sign_in import SIGN_OUT_REASONS
from desktop.services.storage.store import Store

QUEUE_FILE = "pending-audit.jsonl"
_LOCK = threading.Lock()  # the GUI thread queues while a worker may be flushing


@dataclass(frozen=True, slots=True)
class PendingEvent:
    queue_id: str
    username: str
    reason: str  # sign_out, switch_user, auto_lock
    workstation: str
    happened_at: str  # ISO, UTC
    why_queued: str


class PendingAudit:
    """The queue of one account's data folder (0600 file in a 0700 folder)."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is None:
            from db.engine import user_data_folder

            folder = user_data_folder()
        self.folder = folder
        self.path = folder / QUEUE_FILE

    def add(self, username: str, reason: str, workstation: str, why_queued: str,
            happened_at: dt.datetime | None = None) -> PendingEvent:
        event = PendingEvent(str(uuid.uuid4()), username, reason, workstation,
                             (happened_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(), why_queued)
        with _LOCK:
            self._write([*self._read(), event])
        return event

    def pending(self) -> list[PendingEvent]:
        with _LOCK:
            return self._read()

    def flush(self, store: Store) -> int:
        """Write every queued event (oldest first) in one transaction; returns how many were written.

        StoreUnavailableError when the database is still away (the queue is kept as it was)."""
        with _LOCK:
            queued = self._read()
            if not queued:
                return 0
            now = dt.datetime.now(dt.UTC)
            with store.session_scope() as session:
                lock_chain(session)
                for event in queued:
                    if _already_written(session, event.queue_id):
                        continue
                    append_event(
                        session, actor=event.username, action=event.reason, entity="user",
                        entity_id=event.username, before=None, occurred_at=now,
                        after={"workstation": event.workstation, "queued": True, "happened_at": event.happened_at,
                               "why_queued": event.why_queued, "queue_id": event.queue_id},
                    )
            self._write([])
            return len(queued)

    def _read(self) -> list[PendingEvent]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        events = []
        for line in text.splitlines():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                raw = json.loads(line)
                if raw.get("reason") in SIGN_OUT_REASONS:
                    events.append(PendingEvent(**{k: str(raw[k]) for k in PendingEvent.__slots__}))
        return events

    def _write(self, events: list[PendingEvent]) -> None:
        if not events:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            return
        ensure_folder(self.folder, PRIVATE)
        body = "".join(json.dumps(asdict(e), sort_keys=True) + "\n" for e in events)
        write_private(self.path, body.encode("utf-8"), PRIVATE)


def _already_written(session: Session, queue_id: str) -> bool:
    statement = select(models.AuditEvent.id).where(models.AuditEvent.after_json.contains(f'"queue_id":"{queue_id}"'))
    return session.execute(statement.limit(1)).first() is not None
