"""Actions on whole visits: every drug the action applies to in one transaction, checked against the visit's
version; per-visit results in words that say exactly which drugs changed (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from desktop.services import (
    ChargeState,
    ConflictError,
    InvalidStateError,
    Store,
    hold_administration,
    mark_ticket_printed,
    record_administration,
    verify_administration,
    verify_audit_chain,
)
from desktop.services.charge_review.visit_actions import (
    VisitAction,
    VisitTarget,
    apply_to_visits,
    hold_visit,
    post_visit,
    release_visit,
    verify_visit,
    void_visit,
)
from desktop.services.errors import ServiceError
from desktop.services.visits.visit_queries import get_visit
from tests.services.charge_samples import SHA
from tests.services.conftest import make_request, unaccounted_request
from tests.ui.review_samples import ipilimumab, two_drug_request

S = ChargeState


def _states(store: Store, visit_id: int) -> list[S]:
    return [a.state for a in get_visit(store, visit_id).administrations]


def _two_drug_visit(store: Store, mrn: str = "V1", name: str = "Ada Two") -> int:
    return record_administration(store, two_drug_request(mrn, name), "rn").visit_id


def test_every_action_on_a_visit_of_two_drugs(store: Store) -> None:
    visit_id = _two_drug_visit(store)
    version = get_visit(store, visit_id).version
    done = verify_visit(store, visit_id, "biller", version)
    assert [(c.hcpcs, c.from_state, c.to_state) for c in done.changed] == [
        ("J9299", S.RECORDED, S.VERIFIED), ("J9228", S.RECORDED, S.VERIFIED)]
    assert _states(store, visit_id) == [S.VERIFIED, S.VERIFIED] and done.version > version
    held = hold_visit(store, visit_id, "payer query", "biller", done.version)
    visit = get_visit(store, visit_id)
    assert _states(store, visit_id) == [S.HELD, S.HELD] and visit.version == held.version
    assert all(a.hold_reason == "payer query" for a in visit.administrations)
    released = release_visit(store, visit_id, "biller", held.version)
    assert _states(store, visit_id) == [S.RECORDED, S.RECORDED]
    step = verify_visit(store, visit_id, "biller", released.version)
    for change in step.changed:  # the ticket is the tickets service's: one drug at a time here
        mark_ticket_printed(store, change.administration_id, SHA, "biller", change.version)
    posted = post_visit(store, visit_id, "biller", get_visit(store, visit_id).version)
    assert len(posted.changed) == 2 and get_visit(store, visit_id).state is S.POSTED
    void_visit(store, visit_id, "billed to the wrong patient", "biller", posted.version)
    visit = get_visit(store, visit_id)
    assert visit.state is S.VOIDED and visit.code_lines == ()  # nothing billed: the codes were computed again
    assert "voided with the visit: billed to the wrong patient" in visit.code_sets[-1].reason
    for drug in visit.administrations:  # each drug's own history tells every step
        assert [h.to_state for h in drug.history] == [S.RECORDED, S.VERIFIED, S.HELD, S.RECORDED, S.VERIFIED,
                                                      S.TICKET_PRINTED, S.POSTED, S.VOIDED]
        assert drug.void_reason == "billed to the wrong patient" and drug.history[-1].changed_by == "biller"
    assert verify_audit_chain(store).ok


def test_a_stale_visit_version_is_a_conflict_and_changes_nothing(store: Store) -> None:
    visit_id = _two_drug_visit(store)
    seen = get_visit(store, visit_id)
    verify_administration(store, seen.administrations[1].id, "other.biller", seen.administrations[1].version)
    with pytest.raises(ConflictError, match="changed by someone else since you saw it"):
        hold_visit(store, visit_id, "payer query", "biller", seen.version)
    assert _states(store, visit_id) == [S.RECORDED, S.VERIFIED]
    result = apply_to_visits(store, VisitAction.VERIFY, [VisitTarget(visit_id, seen.version, "Ada Two")], "biller")
    assert not result.results[0].ok and result.results[0].changed == ()
    assert "changed by someone else" in result.results[0].message
    assert result.results[0].message.endswith("Nothing in this visit changed.")
    assert _states(store, visit_id) == [S.RECORDED, S.VERIFIED]


def test_drugs_the_action_does_not_apply_to_are_left_and_named(store: Store) -> None:
    visit_id = _two_drug_visit(store)
    first = get_visit(store, visit_id).administrations[0]
    verify_administration(store, first.id, "biller", first.version)
    result = apply_to_visits(store, VisitAction.VERIFY, [VisitTarget(visit_id, label="Ada Two")], "biller")
    only = result.results[0]
    assert only.ok and [c.hcpcs for c in only.changed] == ["J9228"]
    assert only.message == (f"Visit #{visit_id} (Ada Two): verified J9228 #{only.changed[0].administration_id}. "
                            f"Left as they were: J9299 #{first.id} is verified.")
    assert result.summary() == "1 of 1 visit verified (1 drug)."
    with pytest.raises(InvalidStateError, match=f"Visit {visit_id} has no drug that can be posted: J9299 #"):
        post_visit(store, visit_id, "biller")


def test_release_leaves_a_drug_held_for_errors(store: Store) -> None:
    error = record_administration(store, unaccounted_request(mrn="V2", name="Bo Held", hold_reason="count vials"),
                                  "rn")
    second = record_administration(store, make_request(mrn="V2", name="Bo Held", administration=ipilimumab()), "rn")
    assert second.visit_id == error.visit_id
    hold_administration(store, second.id, "ask the nurse", "biller", second.version)
    released = release_visit(store, error.visit_id, "biller")
    assert [c.administration_id for c in released.changed] == [second.id]
    assert "stays held: it was held because of errors" in released.left[0].why
    assert _states(store, error.visit_id) == [S.HELD, S.RECORDED]


def _refuse_updates_of(store: Store, administration_id: int) -> None:
    """A real database refusal in the middle of a visit's transaction: a trigger on one drug's row."""
    with store.engine.begin() as connection:
        if store.is_sqlite:
            connection.exec_driver_sql(
                f"CREATE TRIGGER refuse_test BEFORE UPDATE ON administration WHEN OLD.id = {administration_id} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse_test() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; "
                "END $$ LANGUAGE plpgsql")
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_test BEFORE UPDATE ON administration FOR EACH ROW "
                f"WHEN (OLD.id = {administration_id}) EXECUTE FUNCTION refuse_test()")


def test_one_visit_failing_half_way_says_exactly_which_changed(store: Store) -> None:
    first, broken, last = (_two_drug_visit(store, f"V{n}", f"Pat {n}") for n in range(3))
    broken_drugs = get_visit(store, broken).administrations
    _refuse_updates_of(store, broken_drugs[1].id)  # its first drug is verified in the transaction, then this fails
    targets = [VisitTarget(v, get_visit(store, v).version, f"Pat {n}") for n, v in enumerate((first, broken, last))]
    result = apply_to_visits(store, VisitAction.VERIFY, targets, "biller")
    assert [r.ok for r in result.results] == [True, False, True]
    done, failed, after = result.results
    first_ids = [a.id for a in get_visit(store, first).administrations]
    assert done.message == f"Visit #{first} (Pat 0): verified J9299 #{first_ids[0]}, J9228 #{first_ids[1]}."
    assert failed.changed == () and failed.message.startswith(f"Visit #{broken} (Pat 1) not verified: ")
    assert failed.message.endswith("Nothing in this visit changed.")
    assert "Traceback" not in failed.message and "sqlalche" not in failed.message
    assert after.ok and len(after.changed) == 2
    assert _states(store, first) == [S.VERIFIED, S.VERIFIED]
    assert _states(store, broken) == [S.RECORDED, S.RECORDED]  # its first drug's change was rolled back too
    assert _states(store, last) == [S.VERIFIED, S.VERIFIED]
    assert result.summary() == "2 of 3 visits verified (4 drugs); 1 not changed (see why below)."
    assert verify_audit_chain(store).ok


def test_a_reason_is_needed_to_hold_or_void_visits(store: Store) -> None:
    visit_id = _two_drug_visit(store)
    with pytest.raises(ServiceError, match="Write a reason"):
        apply_to_visits(store, VisitAction.VOID, [VisitTarget(visit_id)], "biller", " ")
    with pytest.raises(ServiceError, match="hold reason"):
        hold_visit(store, visit_id, "", "biller")
    assert _states(store, visit_id) == [S.RECORDED, S.RECORDED]
