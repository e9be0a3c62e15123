"""Append-only triggers refuse edits of evidence; an edit made with them dropped is caught by `audit verify`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from desktop.cli.main import main
from desktop.services import Store, record_administration, verify_administration, verify_audit_chain
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


@pytest.mark.parametrize("statement", STATEMENTS)
def test_triggers_refuse_changing_evidence(store: Store, statement: str) -> None:
    rec = record_administration(store, least_waste_request(acknowledge_all=True), "rn")
    verify_administration(store, rec.id, "rn")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.exec_driver_sql(statement)
    assert verify_audit_chain(store).ok


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)  # SQLite has no TRUNCATE
def test_truncate_is_refused_on_postgresql(store: Store) -> None:
    record_administration(store, make_request(), "rn")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_event")


def _drop_audit_triggers(store: Store) -> None:
    with store.engine.begin() as connection:
        if store.is_sqlite:
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_event_append_only ON audit_event")


def test_an_edited_audit_event_is_named_by_audit_verify(
    store: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for mrn in ("M1", "M2", "M3"):
        record_administration(store, make_request(mrn=mrn), "rn")
    assert main(["--database-url", store_url, "audit", "verify"]) == 0
    _drop_audit_triggers(store)
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_event SET actor = 'mallory' WHERE id = 2"))
    assert main(["audit", "verify", "--database-url", store_url]) == 1
    err = capsys.readouterr().err
    assert "audit event 2 " in err and "changed" in err


def test_a_deleted_audit_event_is_named_by_audit_verify(store: Store) -> None:
    for mrn in ("M1", "M2"):
        record_administration(store, make_request(mrn=mrn), "rn")
    _drop_audit_triggers(store)
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_event WHERE id = 2"))
    check = verify_audit_chain(store)
    assert not check.ok and check.first_broken_id == 2 and "missing" in check.message


def test_a_removed_last_event_is_caught_by_the_chain_head(store: Store) -> None:
    record_administration(store, make_request(), "rn")
    _drop_audit_triggers(store)
    with store.engine.begin() as connection:
        last = connection.execute(sa.text("SELECT max(id) FROM audit_event")).scalar_one()
        connection.execute(sa.text("DELETE FROM audit_event WHERE id = :id"), {"id": last})
    check = verify_audit_chain(store)
    assert not check.ok and "head" in check.message
