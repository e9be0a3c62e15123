"""Consent, chair and who discarded: stored as fields, trimmed, audited, validated, kept by void-and-replace."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db import models
from desktop.services import (
    RecordRequest,
    ServiceError,
    Store,
    get_administration,
    list_administrations,
    record_administration,
    void_and_replace,
)
from desktop.services.charge_review.queue_actions import ReviewAction, RowTarget, apply_to_rows, request_from_detail
from tests.services.conftest import make_request

DOCUMENTED = {"consent_recorded": True, "chair": "  Chair 3 ", "discarded_by": " RN Brooks "}


def documented(**changes: object) -> RecordRequest:
    return make_request(**(DOCUMENTED | changes))


def fields(store: Store, administration_id: int) -> tuple[bool, str | None, str | None]:
    detail = get_administration(store, administration_id)
    return detail.visit.consent_recorded, detail.visit.chair, detail.facts.discarded_by


def test_the_three_fields_are_stored_trimmed_and_default_to_not_documented(store: Store) -> None:
    given = record_administration(store, documented(), "rn.alvarez").id
    assert fields(store, given) == (True, "Chair 3", "RN Brooks")
    detail = get_administration(store, given)
    # notes carry no consent line
    assert detail.visit.notes == "tolerated well" and detail.facts.waste_witness == "RN Brooks"

    no_consent = frozenset({"MISSING_CONSENT"})  # a documentation warning: acknowledged, then stored as not given
    plain = record_administration(store, make_request(mrn="MRN002", name="John Roe", consent_recorded=False,
                                                      acknowledged_codes=no_consent), "rn.alvarez").id
    assert fields(store, plain) == (False, None, None)
    blank = record_administration(store, make_request(mrn="MRN003", name="Ann Lee", chair="  ", consent_recorded=False,
                                                      discarded_by="", acknowledged_codes=no_consent), "rn.alvarez").id
    assert fields(store, blank) == (False, None, None)  # blank is "not documented", not an empty name


def test_the_create_event_keeps_them(store: Store) -> None:
    given = record_administration(store, documented(), "rn.alvarez").id
    visit = get_administration(store, given).visit_id
    with store.session_scope(write=False) as session:
        after = session.execute(select(models.AuditEvent.after_json).where(
            models.AuditEvent.entity == "administration", models.AuditEvent.entity_id == str(given),
            models.AuditEvent.action == "create")).scalar_one()
        visit_after = session.execute(select(models.AuditEvent.after_json).where(
            models.AuditEvent.entity == "visit", models.AuditEvent.entity_id == str(visit),
            models.AuditEvent.action == "create")).scalar_one()
    snapshot, visit_snapshot = json.loads(after), json.loads(visit_after)
    assert (visit_snapshot["consent_recorded"], visit_snapshot["chair"], snapshot["discarded_by"]) == (
        True, "Chair 3", "RN Brooks")


def test_void_and_replace_keeps_them(store: Store) -> None:
    first = record_administration(store, documented(), "rn.alvarez").id
    result = apply_to_rows(store, ReviewAction.VOID_AND_REPLACE, [RowTarget(first)], "biller", "re-rate")
    (row,) = result.results
    assert row.ok and row.new_id is not None
    assert fields(store, row.new_id) == (True, "Chair 3", "RN Brooks")
    assert request_from_detail(get_administration(store, first)).visit.chair == "Chair 3"

    moved = void_and_replace(store, row.new_id, "moved to another chair",
                             documented(chair="Chair 5", consent_recorded=False,
                                        acknowledged_codes=frozenset({"MISSING_CONSENT"})), "rn.alvarez").id
    assert fields(store, moved) == (False, "Chair 5", "RN Brooks")


@pytest.mark.parametrize(("changes", "message"), [
    ({"chair": "C" * 41}, "chair is too long \\(41 characters; at most 40\\)"),
    ({"chair": "Chair\x073"}, "chair contains control characters"),
    ({"discarded_by": "x" * 121}, "who discarded the drug is too long"),
    ({"consent_recorded": "yes"}, "consent recorded must be true or false"),
])
def test_bad_values_are_refused_in_words(store: Store, changes: dict[str, object], message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        record_administration(store, documented(**changes), "rn")
    assert list_administrations(store) == []
