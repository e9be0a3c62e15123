"""Reading the audit trail for administrators: events by period, user, record and kind, and a CSV of them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select

from db import models
from desktop.services.people.identity import Actor, actor_name
from desktop.services.people.roles import Permission, require
from desktop.services.storage.store import Store

E = models.AuditEvent
CSV_COLUMNS = ("id", "occurred_at", "actor", "action", "entity", "entity_id", "before", "after", "hash")


@dataclass(frozen=True, slots=True)
class AuditEventView:
    id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str  # canonical JSON as hashed, "" when none
    after: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters; None means any. `start` is inclusive and `end` exclusive (timezone-aware)."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    limit: int = 10_000


def _stamp(moment: dt.datetime) -> str:
    # Stored times are ISO text in UTC with microseconds, so text order is time order.
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def list_audit_events(store: Store, user: Actor, query: AuditQuery = AuditQuery()) -> list[AuditEventView]:
    """Matching events, oldest first (administrators only)."""
    user = actor_name(user)
    statement = select(E).order_by(E.id)
    if query.start is not None:
        statement = statement.where(E.occurred_at >= _stamp(query.start))
    if query.end is not None:
        statement = statement.where(E.occurred_at < _stamp(query.end))
    for column, value in ((E.actor, query.actor), (E.action, query.action), (E.entity, query.entity),
                          (E.entity_id, query.entity_id)):
        if value:
            statement = statement.where(column == value.strip())
    with store.session_scope(write=False) as session:
        require(session, user, Permission.VIEW_AUDIT)
        rows = session.execute(statement.limit(query.limit)).scalars().all()
        return [
            AuditEventView(
                id=r.id, occurred_at=dt.datetime.fromisoformat(r.occurred_at), actor=r.actor, action=r.action,
                entity=r.entity, entity_id=r.entity_id or "", before=r.before_json or "", after=r.after_json or "",
                hash=r.hash,
            )
            for r in rows
        ]


def audit_choices(store: Store, user: Actor) -> tuple[list[str], list[str], list[str]]:
    """The actors, actions and entities that occur, for the viewer's filter lists."""
    user = actor_name(user)
    with store.session_scope(write=False) as session:
        require(session, user, Permission.VIEW_AUDIT)
        actors, actions, entities = (
            list(session.execute(select(column).distinct().order_by(column)).scalars())
            for column in (E.actor, E.action, E.entity)
        )
        return actors, actions, entities


def audit_csv(events: list[AuditEventView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([e.id, e.occurred_at.isoformat(), e.actor, e.action, e.entity, e.entity_id, e.before,
                         e.after, e.hash])
    return out.getvalue()
