"""The audit viewer's service: events by period, user, record and kind; CSV; administrators only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from desktop.services import Store, record_administration, verify_administration
from desktop.services.audit_trail.audit_events import AuditQuery, audit_choices, audit_csv, list_audit_events
from desktop.services.people.roles import PermissionDeniedError
from desktop.services.people.sign_in import SignInError, sign_in
from tests.services.conftest import make_request
from tests.services.people_fixtures import fast_hasher, people

__all__ = ["fast_hasher", "people"]


def test_filters_and_csv(people: Store) -> None:
    record_id = record_administration(people, make_request(), "nina").id
    verify_administration(people, record_id, "bill")
    with pytest.raises(SignInError):
        sign_in(people, "nina", "wrong password")
    everything = list_audit_events(people, "admin")
    assert [e.id for e in everything] == sorted(e.id for e in everything)
    record = list_audit_events(people, "admin", AuditQuery(entity="administration", entity_id=str(record_id)))
    assert [(e.actor, e.action) for e in record] == [("nina", "create"), ("bill", "state_change")]
    failed = list_audit_events(people, "admin", AuditQuery(action="login_failed"))
    assert [e.entity_id for e in failed] == ["nina"] and "wrong password" in failed[0].after
    by_bill = list_audit_events(people, "admin", AuditQuery(actor="bill"))
    assert {e.action for e in by_bill} == {"state_change", "rows"}  # the action, then the rows it changed
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert list_audit_events(people, "admin", AuditQuery(start=later)) == []
    assert len(list_audit_events(people, "admin", AuditQuery(end=later))) == len(everything)
    actors, actions, entities = audit_choices(people, "admin")
    assert "bill" in actors and "login_failed" in actions and "administration" in entities
    rows = list(csv.DictReader(io.StringIO(audit_csv(record))))
    assert [r["action"] for r in rows] == ["create", "state_change"] and len(rows[0]["hash"]) == 64


@pytest.mark.parametrize("user", ["nina", "bill"])
def test_only_administrators_read_the_audit_trail(people: Store, user: str) -> None:
    with pytest.raises(PermissionDeniedError, match="only administrator users may read the audit trail"):
        list_audit_events(people, user)
