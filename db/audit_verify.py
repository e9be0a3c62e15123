"""`audit verify`: check every event's keyed hash and link, the head, the outside anchor, and the rows themselves.

The rows are compared with the chain: replaying the "baseline" and "rows" events gives each covered row's last
audited image; every row that differs, is missing, or was never audited is named field by field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import GENESIS_HASH, HEAD_ID, HEAD_REPAIRED, KEYED, ROTATED, ROW_ACTIONS, ChainContext, event_hash
from db.audit_coverage import RowImage, all_images, covered_table, covered_tables, image_digest
from db.models import AuditEvent, AuditHead

UPGRADE = "schema_upgrade"  # after = {"from", "to", "differences": [...]}: what an upgrade found before re-baselining
MAX_LISTED = 200

Expected = dict[tuple[str, str], tuple[int, bytes]]  # (table, key) -> (event id, digest of the audited image)


@dataclass(slots=True)
class Verification:
    events_checked: int = 0
    first_broken_id: int | None = None
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    legacy_events: int = 0
    rows_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def broken(self, event_id: int | None, message: str) -> None:
        if self.first_broken_id is None:
            self.first_broken_id = event_id
        self.problems.append(message)

    def summary(self) -> str:
        if self.ok:
            legacy = (f" ({self.legacy_events} older unkeyed events sealed by the first keyed event)"
                      if self.legacy_events else "")
            return (f"{self.events_checked} audit events verified{legacy}, chain intact; {self.rows_checked} rows "
                    "match the audit trail")
        return self.problems[0]


def _words(table: str, key: str) -> str:
    return f"{table.replace('_', ' ')} {key}"


def _name(event: AuditEvent) -> str:
    return f"audit event {event.id} ({event.action} {event.entity}{' ' + event.entity_id if event.entity_id else ''})"


def walk_chain(session: Session, context: ChainContext | None, result: Verification,
               batch_size: int = 2000) -> Expected:
    """Check hashes and links in id order; returns the audited image digest of every covered row."""
    expected: Expected = {}
    anchor = context.folder.read_anchor(context.chain_id) if context else None
    secret: bytes | None = None
    expected_prev, expected_id, last_seen, anchored_hash = GENESIS_HASH, 1, 0, None
    while True:
        batch = session.execute(select(AuditEvent).where(AuditEvent.id > last_seen).order_by(AuditEvent.id)
                                .limit(batch_size)).scalars().all()
        if not batch:
            break
        for event in batch:
            if event.id != expected_id:
                result.broken(expected_id, f"audit event {expected_id} is missing (the next event is {event.id})")
                return expected
            if event.prev_hash != expected_prev:
                result.broken(event.id, f"audit event {event.id} does not link to event {event.id - 1}")
                return expected
            after = _after(event)
            if event.action == KEYED:
                if secret is not None or context is None or after.get("chain_id") != context.chain_id:
                    result.broken(event.id, f"{_name(event)} starts a chain this database's key does not belong to: "
                                            "the chain was replaced")
                    return expected
                secret = context.keys.keys.get(str(after.get("key_id")))
                if secret is None:
                    result.broken(event.id, f"the audit key {after.get('key_id')} of {_name(event)} is not in "
                                            "this workstation's key file: restore the key file from a backup")
                    return expected
                result.legacy_events = event.id - 1
            if event_hash(event, secret) != event.hash:
                how = "its keyed hash" if secret else "its hash"
                result.broken(event.id, f"{_name(event)} was changed after it was written, or forged: {how} does "
                                        "not match its content")
                return expected
            if event.action == ROTATED and context is not None:
                secret = context.keys.keys.get(str(after.get("key_id")))
                if secret is None:
                    result.broken(event.id, f"the audit key {after.get('key_id')} named by {_name(event)} is not "
                                            "in this workstation's key file: copy the key file again")
                    return expected
            if secret is not None and event.action in ROW_ACTIONS:
                for table, rows in (after.get("rows") or {}).items():
                    for key, image in rows.items():
                        expected[(table, key)] = (event.id, image_digest(image))
            if event.action == HEAD_REPAIRED:
                found = _before(event).get("head_id")
                result.broken(event.id, f"the chain's head had been edited to name event {found} while the chain "
                                        f"ended at event {event.id - 1} (found and recorded at audit event {event.id})")
            if event.action == "anchor_started":
                result.notices.append(f"the anchor of workstation {after.get('workstation')} was started at event "
                                      f"{after.get('head')} on {event.occurred_at[:10]} (first use there, or its "
                                      "anchor file was lost: removals before that moment are not covered by it)")
            if event.action == UPGRADE:
                for difference in after.get("differences") or []:
                    result.broken(event.id, f"found at the schema upgrade of {event.occurred_at[:10]} "
                                            f"(audit event {event.id}): {difference}")
            if anchor is not None and event.id == anchor.last_id:
                anchored_hash = event.hash
            expected_prev, expected_id = event.hash, event.id + 1
            result.events_checked += 1
        last_seen = batch[-1].id
        session.expunge_all()
    if context is not None and secret is None:
        result.broken(None, "the audit chain has no keyed start: its events were replaced or removed")
    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.last_id != expected_id - 1 or head.last_hash != expected_prev):
        result.broken(min(head.last_id, expected_id), f"the chain ends at event {expected_id - 1} but its head names "
                      f"event {head.last_id}: events after it were removed, or the head was edited")
    if anchor is not None:
        if anchor.last_id > expected_id - 1:
            result.broken(expected_id, f"the chain ends at event {expected_id - 1}, but this workstation saw it "
                          f"reach event {anchor.last_id}: events were removed (truncated or rewound)")
        elif anchored_hash != anchor.last_hash:
            result.broken(anchor.last_id, f"audit event {anchor.last_id} is not the one this workstation saw: "
                          "the chain was rewritten (re-hashed) from there on")
    elif context is not None:
        result.notices.append("this workstation has no anchor of the chain yet: it starts with the next change")
    return expected


def _after(event: AuditEvent) -> dict[str, Any]:
    try:
        value = json.loads(event.after_json) if event.after_json else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _before(event: AuditEvent) -> dict[str, Any]:
    try:
        value = json.loads(event.before_json) if event.before_json else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def audited_image(session: Session, event_id: int, table: str, key: str) -> RowImage | None:
    event = session.get(AuditEvent, event_id)
    rows = _after(event).get("rows", {}) if event else {}
    image = rows.get(table, {}).get(key)
    return image if isinstance(image, dict) else None


def _field_differences(now: RowImage, then: RowImage, common_only: bool) -> list[str]:
    names = sorted(set(now) & set(then)) if common_only else sorted(set(now) | set(then))
    out = []
    for name in names:
        if now.get(name, "(no such field)") != then.get(name, "(no such field)"):
            out.append(f"{name} is {json.dumps(now.get(name), ensure_ascii=False)} but the audit trail says "
                       f"{json.dumps(then.get(name), ensure_ascii=False)}")
    return out


def compare_rows(session: Session, expected: Expected, *, common_only: bool = False) -> tuple[list[str], int]:
    """Every difference between the covered rows and their audited images, in words; and the rows read.

    `common_only` (used at a schema upgrade) compares only the fields both have and does not ask for an image
    of rows in tables the chain never saw (a migration may add tables and columns)."""
    differences: list[str] = []
    seen_tables = {table for table, _ in expected}
    rows_read = 0
    for table in covered_tables():
        for key, image in all_images(session, table):
            rows_read += 1
            audited = expected.pop((table.name, key), None)
            if audited is None:
                if not common_only or table.name in seen_tables:
                    fields = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(image.items()))
                    differences.append(f"{_words(table.name, key)} is not in the audit trail (added outside the "
                                       f"app): {fields}")
                continue
            event_id, digest = audited
            if digest == image_digest(image):
                continue
            then = audited_image(session, event_id, table.name, key)
            if then is None:
                differences.append(f"{_words(table.name, key)} was deleted by audit event {event_id} but is in "
                                   "the database again")
                continue
            changed = _field_differences(image, then, common_only)
            if changed:
                differences.append(f"{_words(table.name, key)} differs from audit event {event_id}: "
                                   + "; ".join(changed))
        session.expunge_all()
    for (table_name, key), (event_id, digest) in sorted(expected.items()):
        if digest == image_digest(None) or covered_table(table_name) is None:
            continue
        then = audited_image(session, event_id, table_name, key) or {}
        fields = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(then.items()))
        differences.append(f"{_words(table_name, key)} was deleted outside the app (last audited in event "
                           f"{event_id}: {fields})")
    return differences, rows_read


def verify(session: Session, context: ChainContext | None) -> Verification:
    result = Verification()
    expected = walk_chain(session, context, result)
    if context is not None:
        differences, result.rows_checked = compare_rows(session, expected)
        for difference in differences[:MAX_LISTED]:
            result.broken(None, difference)
        if len(differences) > MAX_LISTED:
            result.problems.append(f"... and {len(differences) - MAX_LISTED} more differences")
    return result
