"""Opening a database's audit chain: key it at first start, load its key, re-baseline rows after a schema upgrade."""

from __future__ import annotations

import json
import socket
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.audit import KEYED, ROTATED, SYSTEM, ChainContext, append_event, lock_chain, register_context, rows_payload
from db.audit_coverage import RowImage, all_images, covered_tables
from db.audit_files import Anchor, AuditFileError, AuditFolder, read_companion, write_companion
from db.audit_verify import UPGRADE, Verification, compare_rows, walk_chain
from db.engine import BEGIN_OPTION, sqlite_file
from db.errors import StoreOpenError
from db.models import AuditEvent, AuditHead

BASELINE_ROWS_PER_EVENT = 1000


class AuditKeyError(StoreOpenError):
    """The database's audit chain cannot be used here: its key is missing, or the chain is not the one seen before."""


def database_name(engine: Engine) -> str:
    """How this workstation names the database in its list of chains: the file, or the server and schema."""
    path = sqlite_file(engine.url)
    if path is not None:
        return str(path.expanduser().resolve())
    url = make_url(engine.url)
    return url.set(password=None).render_as_string(hide_password=True)


def _first(session: Session, action: str, *, last: bool = False) -> AuditEvent | None:
    order = AuditEvent.id.desc() if last else AuditEvent.id
    return session.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(order).limit(1)
                           ).scalar_one_or_none()


def _after(event: AuditEvent) -> dict[str, Any]:
    return dict(json.loads(event.after_json or "{}"))


def append_baseline(session: Session, reason: str) -> int:
    """Every covered row as stored now, in events of BASELINE_ROWS_PER_EVENT rows; returns the rows written."""
    count, chunk = 0, {}  # type: ignore[var-annotated]
    pending = 0

    def flush_chunk() -> None:
        nonlocal chunk, pending
        if pending:
            event = append_event(session, actor=SYSTEM, action="baseline", entity="rows", entity_id=None,
                                 before=None, after={"reason": reason, **rows_payload(chunk)})
            session.flush()
            session.expunge(event)  # a large store is baselined in one transaction without holding it all
        chunk, pending = {}, 0

    for table in covered_tables():
        for key, image in all_images(session, table):
            rows: dict[str, RowImage | None] = chunk.setdefault(table.name, {})
            rows[key] = image
            pending += 1
            count += 1
            if pending >= BASELINE_ROWS_PER_EVENT:
                flush_chunk()
    flush_chunk()
    return count


def audit_folder(engine: Engine) -> AuditFolder:
    """The database's audit folder: `audit/` beside a SQLite file (with its privacy), else the server one."""
    path = sqlite_file(engine.url)
    return AuditFolder.for_database(path)


def _context(session: Session, folder: AuditFolder, database: str) -> ChainContext | None:
    keyed = _first(session, KEYED)
    if keyed is None:
        return None
    chain_id = str(_after(keyed).get("chain_id"))
    keys = folder.load_keys(chain_id)
    if keys is None:
        raise AuditKeyError(
            f"The audit key of this database is not on this workstation (looked for {folder.key_path(chain_id)}). Copy "
            "the key file from the workstation that created the database, or restore it from the backup's "
            ".audit.json file (see README, Audit trail); nothing was changed.")
    rotated = _first(session, ROTATED, last=True)
    signing = str(_after(rotated if rotated is not None else keyed).get("key_id"))
    if signing not in keys.keys:
        raise AuditKeyError(f"The audit key {signing} (rotated on another workstation) is not in "
                            f"{folder.key_path(chain_id)}: copy the key file again from that workstation; nothing "
                            "was changed.")
    return ChainContext(chain_id=chain_id, keys=keys, signing_key_id=signing, database=database, folder=folder)


def open_chain(engine: Engine, *, upgraded_from: str | None = None, upgraded_to: str | None = None) -> ChainContext:
    """Load (or create, at the first start after this version) the chain's key and register it for the engine.

    A database whose chain was never keyed (new, or made by an older version) gets a key file and a
    "chain_keyed" event sealing its older events, then a baseline of every covered row. After a schema
    upgrade the rows are compared with the chain on the fields both share, the differences are written into
    a "schema_upgrade" event (so verify keeps naming them), and the rows are baselined again.
    """
    database, folder = database_name(engine), audit_folder(engine)
    if upgraded_from is None:
        ready = _ready_context(engine, folder, database)  # the usual start: read only, no write lock taken
        if ready is not None:
            register_context(engine, ready)
            return ready
    try:
        with Session(engine) as session, session.begin():
            head = lock_chain(session)
            context = _context(session, folder, database)
            known = folder.known_chain(database)
            if context is not None and known is not None and known != context.chain_id:
                raise AuditKeyError(f"This database's audit chain ({context.chain_id}) is not the one this workstation "
                                    f"saw in it before ({known}): it was replaced. Restore a backup, or ask the "
                                    "administrator; nothing was changed.")
            if context is None:
                if known is not None:
                    raise AuditKeyError(f"This database's audit chain was removed or replaced by an unkeyed one (this "
                                        f"workstation saw chain {known} in it). Restore a backup; nothing was changed.")
                context = _key_the_chain(session, engine, folder, database, head.last_id)
            else:
                register_context(engine, context)
                if upgraded_from is not None:
                    _rebaseline_after_upgrade(session, context, upgraded_from, upgraded_to)
                if folder.read_anchor(context.chain_id) is None:
                    append_event(session, actor=SYSTEM, action="anchor_started", entity="audit_chain",
                                 entity_id=context.chain_id, before=None,
                                 after={"workstation": socket.gethostname(), "head": head.last_id})
    except AuditFileError as exc:
        raise AuditKeyError(f"{exc}; nothing was changed.") from exc
    folder.remember_chain(database, context.chain_id)
    with Session(engine) as session:
        head_row = session.get(AuditHead, 1)
        if head_row is not None and folder.read_anchor(context.chain_id) is None:
            folder.write_anchor(Anchor(context.chain_id, head_row.last_id, head_row.last_hash))
    return context


def _ready_context(engine: Engine, folder: AuditFolder, database: str) -> ChainContext | None:
    """The chain's context when nothing needs writing: keyed, key here, the chain this workstation knew, anchored."""
    reader = engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
    try:
        with Session(reader) as session:
            context = _context(session, folder, database)
    except AuditFileError as exc:
        raise AuditKeyError(f"{exc}; nothing was changed.") from exc
    if context is None or folder.read_anchor(context.chain_id) is None:
        return None
    known = folder.known_chain(database)
    if known is None:
        folder.remember_chain(database, context.chain_id)
    elif known != context.chain_id:
        return None  # the write path below refuses it in words
    return context


def _key_the_chain(session: Session, engine: Engine, folder: AuditFolder, database: str,
                   legacy_events: int) -> ChainContext:
    chain_id = str(uuid.uuid4())
    keys = folder.create_keys(chain_id)  # on disk (fsynced) before the event that needs it is committed
    context = ChainContext(chain_id=chain_id, keys=keys, signing_key_id=keys.current_id, database=database,
                           folder=folder)
    register_context(engine, context)
    append_event(session, actor=SYSTEM, action=KEYED, entity="audit_chain", entity_id=chain_id, before=None,
                 after={"chain_id": chain_id, "key_id": keys.current_id, "legacy_events": legacy_events})
    append_baseline(session, "first start with a keyed audit chain" if legacy_events else "new database")
    return context


def _rebaseline_after_upgrade(session: Session, context: ChainContext, from_revision: str,
                              to_revision: str | None) -> None:
    result = Verification()
    expected = walk_chain(session, context, result)
    differences, _ = compare_rows(session, expected, common_only=True)
    append_event(session, actor=SYSTEM, action=UPGRADE, entity="audit_chain", entity_id=context.chain_id,
                 before=None, after={"from": from_revision, "to": to_revision,
                                     "differences": result.problems + differences})
    append_baseline(session, f"schema upgraded from {from_revision} to {to_revision}")


def rotate_key(engine: Engine, context: ChainContext, actor: str) -> str:
    """A new signing key: added to the key file first, then announced by an event signed with the old key."""
    keys = context.folder.add_key(context.keys)
    new_id = keys.current_id
    with Session(engine) as session, session.begin():
        lock_chain(session)
        append_event(session, actor=actor, action=ROTATED, entity="audit_chain", entity_id=context.chain_id,
                     before={"key_id": context.signing_key_id}, after={"key_id": new_id})
    context.keys, context.signing_key_id = keys, new_id
    return new_id


def save_with_backup(context: ChainContext, backup: Path) -> Path:
    """The key and the current anchor beside a backup file, so a restore elsewhere can verify and go on."""
    anchor = context.folder.read_anchor(context.chain_id)
    if anchor is None:
        raise AuditFileError("this workstation has no anchor of the audit chain yet")
    return write_companion(backup, context.keys, anchor)


def install_backup_keys(folder: AuditFolder, backup: Path) -> bool:
    """The keys saved beside a backup, put in the audit folder's key file; False when there are none."""
    try:
        companion = read_companion(Path(backup))
    except AuditFileError:
        return False
    if companion is None:
        return False
    folder.install_keys(companion[0])
    return True


def adopt_restored_file(database_file: Path, backup: Path) -> None:
    """After a SQLite restore: install the backup's key, set this workstation's anchor back to the restored head
    (a restore rolls the chain back on purpose) and remember the restored chain as this database's."""
    try:
        companion = read_companion(backup)
    except AuditFileError:
        companion = None  # a damaged companion: the next start names the missing key, if it is missing
    folder = AuditFolder.for_database(database_file)
    if companion is not None:
        folder.install_keys(companion[0])
    connection = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    try:
        keyed = connection.execute("SELECT after_json FROM audit_event WHERE action = ? ORDER BY id LIMIT 1",
                                   (KEYED,)).fetchone()
        head = connection.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    finally:
        connection.close()
    database = str(database_file.expanduser().resolve())
    if keyed is None or head is None:
        folder.forget_chain(database)  # an older backup, keyed at its next start
        return
    chain_id = str(json.loads(keyed[0])["chain_id"])
    folder.write_anchor(Anchor(chain_id, int(head[0]), str(head[1])), only_forward=False)
    folder.remember_chain(database, chain_id)
