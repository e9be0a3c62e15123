"""The audit key and anchor outside the database: created private, carried by backups, restored, rotated; old
unkeyed chains keep verifying and are sealed by the first keyed event."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from db.audit import event_hash
from db.audit_files import AuditFolder, companion_path
from db.engine import create_store_engine, sqlite_file
from db.migrate import alembic_config
from db.models import AuditEvent
from desktop.cli.main import main
from desktop.services import open_store, record_administration, verify_audit_chain
from desktop.services.audit_trail.audit_chain import rotate_audit_key
from desktop.services.people.identity import AuthMethod, SignedInPerson
from tests.services.cli_accounts import cli_accounts
from tests.services.conftest import make_request


def _folder(url: str) -> AuditFolder:
    return AuditFolder.for_database(sqlite_file(url))


def key_path(url: str) -> Path:
    return _folder(url).key_path(_chain_id(url))


def _chain_id(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        after = connection.execute(sa.text(
            "SELECT after_json FROM audit_event WHERE action = 'chain_keyed'")).scalar_one()
    engine.dispose()
    return str(json.loads(after)["chain_id"])


def test_key_and_anchor_are_private_files_outside_the_database(store_url: str) -> None:
    store = open_store(store_url)
    record_administration(store, make_request(), "rn")
    store.close()
    chain, folder = _chain_id(store_url), _folder(store_url)
    for path in (folder.key_path(chain), folder.anchor_path(chain)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(folder.path.stat().st_mode) & 0o077 == 0
    secret = json.loads(folder.key_path(chain).read_text())["keys"][0]["secret"]
    engine = sa.create_engine(store_url)
    with engine.connect() as connection:  # the key is nowhere in the database
        texts = connection.execute(sa.text("SELECT coalesce(after_json, '') FROM audit_event")).scalars().all()
    engine.dispose()
    assert not any(secret in text for text in texts)
    anchor = folder.read_anchor(chain)
    assert anchor is not None and anchor.last_id > 0


def test_a_missing_key_refuses_to_open_in_words(store_url: str) -> None:
    open_store(store_url).close()
    key_path(store_url).unlink()
    from desktop.services import StoreUnavailableError

    with pytest.raises(StoreUnavailableError, match="audit key of this database is not on this workstation"):
        open_store(store_url)


def _sqlite(tmp_path: Path, name: str = "charges.sqlite3") -> str:
    return f"sqlite:///{tmp_path / name}"


def test_backup_carries_key_and_anchor_and_restore_brings_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _sqlite(tmp_path)
    cli_accounts(url, monkeypatch)
    store = open_store(url)
    record_administration(store, make_request(), "rn.a")
    store.close()
    backup = tmp_path / "monday.sqlite3"
    assert main(["--database-url", url, "backup", str(backup)]) == 0
    companion = companion_path(backup)
    assert stat.S_IMODE(companion.stat().st_mode) == 0o600
    saved = json.loads(companion.read_text())
    assert saved["anchor"]["last_id"] > 0 and saved["keys"]
    store = open_store(url)  # more work after the backup: the anchor moves past the backup's head
    record_administration(store, make_request(mrn="LATER"), "rn.a")
    store.close()
    # Another computer (a new, empty folder) gets the database back from the backup alone.
    elsewhere = tmp_path / "other-computer"
    elsewhere.mkdir()
    fresh = _sqlite(elsewhere, "restored.sqlite3")
    capsys.readouterr()
    assert main(["--database-url", fresh, "restore", str(backup)]) == 0, capsys.readouterr().err
    assert main(["--database-url", fresh, "audit", "verify"]) == 0, capsys.readouterr().err
    assert key_path(fresh).exists() and key_path(fresh).parent == elsewhere / "audit"


def test_restoring_an_older_backup_moves_the_anchor_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _sqlite(tmp_path)
    cli_accounts(url, monkeypatch)
    store = open_store(url)
    record_administration(store, make_request(), "rn.a")
    store.close()
    backup = tmp_path / "backup.sqlite3"
    assert main(["--database-url", url, "backup", str(backup)]) == 0
    store = open_store(url)
    record_administration(store, make_request(mrn="LATER"), "rn.a")
    store.close()
    key_path(url).unlink()  # even the key file lost: it comes back from the backup
    assert main(["--database-url", url, "restore", str(backup)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--database-url", url, "audit", "verify"]) == 0, capsys.readouterr().err


def test_an_old_unkeyed_chain_is_sealed_and_keeps_verifying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database of the version before this one: plain SHA-256 events, no key, no row snapshots."""
    url = _sqlite(tmp_path)
    engine = create_store_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    previous = "0" * 64
    with engine.begin() as connection:
        for number in (1, 2):
            event = AuditEvent(id=number, occurred_at=f"2026-01-0{number}T10:00:00.000000+00:00", actor="rn",
                               action="login", entity="user", entity_id="rn", before_json=None,
                               after_json='{"workstation":null}', prev_hash=previous)
            event.hash = event_hash(event, None)
            connection.execute(sa.insert(AuditEvent.__table__).values(
                id=event.id, occurred_at=event.occurred_at, actor=event.actor, action=event.action,
                entity=event.entity, entity_id=event.entity_id, after_json=event.after_json,
                prev_hash=event.prev_hash, hash=event.hash))
            previous = event.hash
        connection.execute(sa.text("UPDATE audit_head SET last_id = 2, last_hash = :h"), {"h": previous})
    engine.dispose()
    store = open_store(url)
    check = verify_audit_chain(store)
    assert check.ok and "2 older unkeyed events sealed" in check.message, check
    store.close()
    engine = create_store_engine(url)  # an old event rewritten (with its plain hash fixed) breaks the seal
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        connection.execute(sa.text("UPDATE audit_event SET actor = 'mallory' WHERE id = 2"))
        row = connection.execute(sa.select(AuditEvent.__table__).where(AuditEvent.id == 2)).mappings().one()
        forged = AuditEvent(**{k: row[k] for k in row})
        connection.execute(sa.text("UPDATE audit_event SET hash = :h WHERE id = 2"), {"h": event_hash(forged, None)})
    engine.dispose()
    store = open_store(url)
    check = verify_audit_chain(store)
    store.close()
    assert not check.ok and "audit event 3 does not link to event 2" in check.message


def test_key_rotation_keeps_old_events_verifiable(store_url: str) -> None:
    store = open_store(store_url)
    record_administration(store, make_request(), "rn")
    admin = SignedInPerson("rn", None, AuthMethod.BOOTSTRAP, dt.datetime.now(dt.UTC))
    old_keys = json.loads(key_path(store_url).read_text())["keys"]
    new_id = rotate_audit_key(store, admin)
    record_administration(store, make_request(mrn="AFTER"), "rn")
    keys = json.loads(key_path(store_url).read_text())["keys"]
    assert [k["id"] for k in keys] == [old_keys[0]["id"], new_id]
    assert verify_audit_chain(store).ok
    store.close()
    reopened = open_store(store_url)  # a later start signs with the rotated key
    record_administration(reopened, make_request(mrn="LATER"), "rn")
    assert verify_audit_chain(reopened).ok
    reopened.close()
