"""States: recorded -> verified -> ticket printed -> posted, held and voided; every step kept; conflicts reported."""

from __future__ import annotations

import pytest

from desktop.services import (
    ChargeState,
    ConflictError,
    InvalidStateError,
    NotFoundError,
    ServiceError,
    Store,
    get_administration,
    hold_administration,
    mark_ticket_printed,
    post_administration,
    record_administration,
    release_hold,
    verify_administration,
    void_administration,
    void_and_replace,
)
from tests.services.conftest import make_request, unaccounted_request

SHA = "ab" * 32


def test_full_life_with_history(store: Store) -> None:
    rec = record_administration(store, make_request(), "rn")
    step = verify_administration(store, rec.id, "charge.nurse", rec.version)
    step = hold_administration(store, rec.id, "payer query", "biller", step.version)
    step = release_hold(store, rec.id, "biller", step.version)
    step = verify_administration(store, rec.id, "charge.nurse", step.version)
    step = mark_ticket_printed(store, rec.id, SHA.upper(), "charge.nurse", step.version)
    step = post_administration(store, rec.id, "biller", step.version)
    assert step.state is ChargeState.POSTED and step.version == 7
    detail = get_administration(store, rec.id)
    assert detail.ticket_pdf_sha256 == SHA and detail.hold_reason is None
    assert [h.to_state.value for h in detail.history] == [
        "recorded", "verified", "held", "recorded", "verified", "ticket_printed", "posted"
    ]
    assert detail.history[2].reason == "payer query" and detail.history[2].changed_by == "biller"


def test_a_stale_version_is_a_conflict_and_loses_nothing(store: Store) -> None:
    rec = record_administration(store, make_request(), "rn")
    verify_administration(store, rec.id, "first", rec.version)
    with pytest.raises(ConflictError, match="changed by someone else") as conflict:
        void_administration(store, rec.id, "duplicate", "second", rec.version)
    assert conflict.value.current_version == 2
    detail = get_administration(store, rec.id)
    assert detail.state is ChargeState.VERIFIED and detail.history[-1].changed_by == "first"


@pytest.mark.parametrize("step", ["post", "print", "release"])
def test_steps_out_of_order_are_refused(store: Store, step: str) -> None:
    rec = record_administration(store, make_request(), "rn")
    with pytest.raises(InvalidStateError):
        if step == "post":
            post_administration(store, rec.id, "biller")
        elif step == "print":
            mark_ticket_printed(store, rec.id, SHA, "biller")
        else:
            release_hold(store, rec.id, "biller")
    assert get_administration(store, rec.id).version == 1


def test_a_record_held_for_errors_cannot_be_released(store: Store) -> None:
    rec = record_administration(store, unaccounted_request(hold_reason="check waste"), "rn")
    with pytest.raises(InvalidStateError, match="void and replace"):
        release_hold(store, rec.id, "biller")


def test_void_keeps_the_lines_and_cannot_happen_twice(store: Store) -> None:
    rec = record_administration(store, make_request(), "rn")
    void_administration(store, rec.id, "entered twice", "biller")
    detail = get_administration(store, rec.id)
    assert detail.state is ChargeState.VOIDED and detail.void_reason == "entered twice"
    assert detail.lines == rec.lines
    with pytest.raises(InvalidStateError):
        void_administration(store, rec.id, "again", "biller")


def test_void_and_replace_points_both_ways(store: Store) -> None:
    rec = record_administration(store, unaccounted_request(hold_reason="check waste"), "rn")
    new = void_and_replace(store, rec.id, "waste documented", make_request(), "rn", expected_version=1)
    assert new.state is ChargeState.RECORDED
    assert get_administration(store, rec.id).replaced_by_id == new.id
    assert get_administration(store, new.id).replaces_id == rec.id
    assert get_administration(store, rec.id).state is ChargeState.VOIDED


def test_void_and_replace_is_all_or_nothing(store: Store) -> None:
    rec = record_administration(store, make_request(), "rn")
    with pytest.raises(ServiceError):
        void_and_replace(store, rec.id, "fix", unaccounted_request(), "rn")
    assert get_administration(store, rec.id).state is ChargeState.RECORDED


def test_unknown_ids_and_bad_values_are_plain_errors(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no administration 404"):
        verify_administration(store, 404, "rn")
    rec = record_administration(store, make_request(), "rn")
    with pytest.raises(ServiceError, match="SHA-256"):
        mark_ticket_printed(store, rec.id, "not-a-hash", "rn")
    with pytest.raises(ServiceError, match="reason"):
        void_administration(store, rec.id, "", "rn")
