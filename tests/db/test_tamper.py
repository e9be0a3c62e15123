"""Tampering with the store, on SQLite and PostgreSQL: triggers refuse it, and `audit verify` names every edit.

Each edit is one an outside test made (issue 15) or one of our own; the check is the CLI's exit code 1 and the
difference in words on stderr, run by a signed-in administrator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from db.audit import event_hash
from db.models import AuditEvent
from desktop.cli.main import main
from desktop.services import Store, open_store, record_administration, verify_administration, verify_audit_chain
from desktop.services.facility.settings import get_facility_settings, save_facility_settings
from tests.services.cli_accounts import cli_accounts
from tests.services.conftest import least_waste_request, make_request

STATEMENTS = [
    "UPDATE charge_line SET units = units + 1",
    "DELETE FROM charge_line",
    "UPDATE audit_event SET actor = 'mallory'",
    "DELETE FROM audit_event",
    "UPDATE state_change SET changed_by = 'mallory'",
    "DELETE FROM state_change",
    "UPDATE finding SET severity = 'info'",
    "DELETE FROM finding_acknowledgement",
    "UPDATE package_opened SET count = 1",
    "DELETE FROM administration",
]


@pytest.fixture
def charged(store: Store, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Accounts; two records by nurse rn.a (one with an acknowledged warning, verified by the biller)."""
    cli_accounts(store_url, monkeypatch)
    first = record_administration(store, least_waste_request(acknowledge_all=True), "rn.a")
    verify_administration(store, first.id, "biller", first.version)
    record_administration(store, make_request(mrn="M2", name="John Roe"), "rn.a")
    assert verify_audit_chain(store).ok
    return store


def verify_cli(store_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--database-url", store_url, "audit", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def execute(store: Store, *statements: str, **params: Any) -> None:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement), params)


def disable_triggers(store: Store) -> None:
    """What an attacker with the database's owner rights does first."""
    with store.engine.begin() as connection:
        if store.is_sqlite:
            for (name,) in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            for table in sa.inspect(connection).get_table_names():
                connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")


@pytest.mark.parametrize("statement", STATEMENTS)
def test_triggers_refuse_changing_evidence(charged: Store, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), charged.engine.begin() as connection:
        connection.exec_driver_sql(statement)
    assert verify_audit_chain(charged).ok


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)  # SQLite has no TRUNCATE
def test_truncate_is_refused_on_postgresql(charged: Store) -> None:
    with pytest.raises(DBAPIError, match="append-only"), charged.engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_event")


# Edits of rows, with the triggers in place where they allow it; each names what `audit verify` must say.
ROW_EDITS: dict[str, tuple[list[str], bool, list[str]]] = {
    "administered mg": (["UPDATE administration SET administered_mg = '300' WHERE id = 1"], False,
                        ["administration 1 differs", "administered_mg is \"300\"", "\"219\""]),
    "state": (["UPDATE administration SET state = 'posted' WHERE id = 2"], False,
              ["administration 2 differs", "state is \"posted\"", "\"recorded\""]),
    "visit payer class and diagnoses": (["UPDATE visit SET payer_class = 'commercial', diagnosis_codes = '[]' "
                                         "WHERE id = 1"], False,
                                        ["visit 1 differs", "payer_class is \"commercial\"", "diagnosis_codes is"]),
    "visit code line units": (["UPDATE visit_code_line SET units = 9"], True, ["visit code line", "units is 9"]),
    "patient name": (["UPDATE patient SET name = 'Mallory' WHERE mrn = 'MRN001'"], False,
                     ["patient 1 differs", "name is \"Mallory\"", "\"Jane Doe\""]),
    "nurse made administrator": (["UPDATE app_user SET role = 'administrator' WHERE username = 'rn.a'"], False,
                                 ["app user", "role is \"administrator\"", "\"nurse\""]),
    "charge line units": (["UPDATE charge_line SET units = units + 5 WHERE id = 1"], True,
                          ["charge line 1 differs", "units is"]),
    "charge line modifiers": (["UPDATE charge_line SET modifiers = '' WHERE administration_id = 1"], True,
                              ["charge line", "modifiers is \"\""]),
    "opened package": (["UPDATE package_opened SET count = 9 WHERE id = 1"], True,
                       ["package opened 1 differs", "count is 9"]),
    "finding": (["UPDATE finding SET severity = 'info' WHERE administration_id = 1"], True,
                ["finding", "severity is \"info\""]),
    "acknowledgement deleted": (["DELETE FROM finding_acknowledgement"], True,
                                ["finding acknowledgement 1 was deleted outside the app"]),
    "state change": (["UPDATE state_change SET changed_by = 'mallory' WHERE id = 2"], True,
                     ["state change 2 differs", "changed_by is \"mallory\""]),
    "administration deleted with its rows": ([
        "DELETE FROM visit_code_line WHERE code_set_id IN (SELECT id FROM visit_code_set WHERE visit_id = "
        "(SELECT visit_id FROM administration WHERE id = 2))",
        "DELETE FROM visit_code_set WHERE visit_id = (SELECT visit_id FROM administration WHERE id = 2)",
        "DELETE FROM finding_acknowledgement WHERE finding_id IN (SELECT id FROM finding WHERE administration_id = 2)",
        "DELETE FROM finding WHERE administration_id = 2", "DELETE FROM charge_line WHERE administration_id = 2",
        "DELETE FROM package_opened WHERE administration_id = 2",
        "DELETE FROM state_change WHERE administration_id = 2",
        "DELETE FROM administration WHERE id = 2", "DELETE FROM visit WHERE id = 2"], True,
        ["administration 2 was deleted outside the app", "visit 2 was deleted outside the app", "charge line",
         "state change", "visit code line"]),
    "charge line added": (["INSERT INTO charge_line (id, administration_id, position, hcpcs, kind, units, modifiers, "
                           "reason, rule_versions, created_at) VALUES (999, 1, 9, 'J9299', 'drug', 50, '', 'x', '{}', "
                           "'2026-11-29 10:00:00')"], False,
                          ["charge line 999 is not in the audit trail", "units=50"]),
    "setting": (["UPDATE setting SET value = 'forged' WHERE key = (SELECT min(key) FROM setting)"], False,
                ["setting", "value is \"forged\""]),
    "catalog version inserted": (["INSERT INTO catalog_version (id, version, document, summary, created_by, created_at)"
                                  " VALUES (77, 'forged', '{}', 'x', 'mallory', '2026-11-29 10:00:00')"], False,
                                 ["catalog version 77 is not in the audit trail"]),
}


@pytest.mark.parametrize("edit", list(ROW_EDITS))
def test_audit_verify_names_each_edited_row(
    charged: Store, store_url: str, capsys: pytest.CaptureFixture[str], edit: str
) -> None:
    statements, needs_triggers_off, expected = ROW_EDITS[edit]
    if edit == "setting":
        save_facility_settings(charged, get_facility_settings(charged), _admin())
        assert verify_cli(store_url, capsys)[0] == 0
    if needs_triggers_off:
        disable_triggers(charged)
    execute(charged, *statements)
    code, said = verify_cli(store_url, capsys)
    assert code == 1, said
    for words in expected:
        assert words in said, said


def _admin() -> str:
    from desktop.cli.identity import os_user

    return os_user()


def _events(store: Store) -> list[AuditEvent]:
    with store.sessions() as session:
        rows = list(session.execute(sa.select(AuditEvent).order_by(AuditEvent.id)).scalars())
        session.expunge_all()
        return rows


def _rehash_from(store: Store, first_id: int, sign: Callable[[AuditEvent], str]) -> None:
    """Recompute every hash from `first_id` on, as an attacker without the key would, and move the head."""
    events = _events(store)
    previous = events[first_id - 2].hash if first_id > 1 else "0" * 64
    with store.engine.begin() as connection:
        for event in events[first_id - 1:]:
            event.prev_hash = previous
            event.hash = sign(event)
            connection.execute(sa.text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :i"),
                               {"p": event.prev_hash, "h": event.hash, "i": event.id})
            previous = event.hash
        connection.execute(sa.text("UPDATE audit_head SET last_hash = :h"), {"h": previous})


def test_edited_event_is_named(charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    disable_triggers(charged)
    execute(charged, "UPDATE audit_event SET actor = 'mallory' WHERE id = 3")
    code, said = verify_cli(store_url, capsys)
    assert code == 1 and "audit event 3 " in said and "changed after it was written" in said, said


def test_deleted_event_is_named(charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    disable_triggers(charged)
    execute(charged, "DELETE FROM audit_event WHERE id = 3")
    code, said = verify_cli(store_url, capsys)
    assert code == 1 and "audit event 3 is missing" in said, said


def test_last_events_deleted_and_head_moved_back(
    charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    events = _events(charged)
    keep = events[-4]
    disable_triggers(charged)
    execute(charged, "DELETE FROM audit_event WHERE id > :id", id=keep.id)
    execute(charged, "UPDATE audit_head SET last_id = :id, last_hash = :h", id=keep.id, h=keep.hash)
    code, said = verify_cli(store_url, capsys)
    assert code == 1 and f"this workstation saw it reach event {events[-1].id}" in said, said


def test_all_events_deleted_and_head_reset(charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    disable_triggers(charged)
    execute(charged, "DELETE FROM audit_event", f"UPDATE audit_head SET last_id = 0, last_hash = '{'0' * 64}'")
    code, said = verify_cli(store_url, capsys)  # this workstation knows the chain the database had: refused at open
    assert code == 6 and "audit chain was removed or replaced" in said, said
    check = verify_audit_chain(charged)  # the already open store: the chain and the anchor say it too
    assert "no keyed start" in check.message and any("events were removed" in d for d in check.differences)


@pytest.mark.parametrize("key", [None, b"x" * 32], ids=["sha256", "guessed-key"])
def test_rehashed_chain_after_an_edit_is_named(
    charged: Store, store_url: str, capsys: pytest.CaptureFixture[str], key: bytes | None
) -> None:
    disable_triggers(charged)
    execute(charged, "UPDATE administration SET administered_mg = '300' WHERE id = 1")
    # The attacker also rewrites the rows in the last 'rows' event of administration 1, then re-hashes.
    execute(charged, "UPDATE audit_event SET after_json = replace(after_json, '\"administered_mg\":\"219\"', "
                     "'\"administered_mg\":\"300\"')")
    _rehash_from(charged, 1, lambda event: event_hash(event, key))
    code, said = verify_cli(store_url, capsys)
    assert code == 1 and "audit event 1 " in said and "keyed hash does not match" in said, said


def test_forged_appended_event_is_named(charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    last = _events(charged)[-1]
    forged = AuditEvent(id=last.id + 1, occurred_at=last.occurred_at, actor="admin", action="state_change",
                        entity="administration", entity_id="2", before_json=None, after_json='{"state":"posted"}',
                        prev_hash=last.hash)
    forged.hash = hashlib.sha256(b"anything").hexdigest()
    execute(charged, "INSERT INTO audit_event (id, occurred_at, actor, action, entity, entity_id, after_json, "
                     "prev_hash, hash) VALUES (:i, :o, 'admin', 'state_change', 'administration', '2', "
                     "'{\"state\":\"posted\"}', :p, :h)", i=forged.id, o=forged.occurred_at, p=last.hash, h=forged.hash)
    execute(charged, "UPDATE audit_head SET last_id = :i, last_hash = :h", i=forged.id, h=forged.hash)
    code, said = verify_cli(store_url, capsys)
    assert code == 1 and f"audit event {forged.id} " in said and "forged" in said, said


def test_only_the_head_moved(charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    execute(charged, "UPDATE audit_head SET last_id = last_id - 1")
    assert "its head names" in verify_audit_chain(charged).message
    code, said = verify_cli(store_url, capsys)  # signing in writes on: from the real end, and the edit is recorded
    assert code == 1 and "head had been edited" in said, said


def test_a_replaced_chain_is_refused_at_open(charged: Store, store_url: str) -> None:
    """A new chain with a key of the attacker's: this workstation remembers which chain the database had."""
    disable_triggers(charged)
    execute(charged, "UPDATE audit_event SET after_json = replace(after_json, '\"chain_id\":\"', "
                     "'\"chain_id\":\"x') WHERE action = 'chain_keyed'")
    charged.close()
    from desktop.services import StoreUnavailableError

    with pytest.raises(StoreUnavailableError, match="audit key of this database is not on this workstation"):
        open_store(store_url)


def test_every_difference_is_listed(charged: Store, store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    disable_triggers(charged)
    execute(charged, "UPDATE administration SET administered_mg = '300', state = 'posted' WHERE id = 1",
            "UPDATE patient SET name = 'Mallory' WHERE mrn = 'M2'", "UPDATE charge_line SET units = 0")
    code, said = verify_cli(store_url, capsys)
    assert code == 1
    assert "administered_mg" in said and "state is" in said and "Mallory" in said
    assert said.count("charge line") >= 4, said
