"""Review queue service, one row per visit: filters, sorting and keyset paging in SQL, counts that add up."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services import ChargeState, Store, void_administration
from desktop.services.charge_review.review_queue import (
    QueueCounts,
    ReviewFilter,
    ReviewSort,
    SortKey,
    count_queue,
    count_review,
    fetch_review_page,
    review_choices,
)
from tests.ui.review_samples import DOS, seed_queue

S = ChargeState
TO_WORK = (S.RECORDED, S.VERIFIED, S.TICKET_PRINTED, S.HELD)


@pytest.fixture
def queue(store: Store) -> dict[str, int]:
    return seed_queue(store)


def _ids(store: Store, review_filter: ReviewFilter, sort: ReviewSort | None = None) -> list[int]:
    return [r.id for r in fetch_review_page(store, review_filter, sort or ReviewSort(), user="biller").rows]


def _every_row(store: Store, review_filter: ReviewFilter, sort: ReviewSort, limit: int) -> list[int]:
    paged, cursor = [], None
    while True:
        page = fetch_review_page(store, review_filter, sort, cursor, limit=limit, user="biller")
        paged += [r.id for r in page.rows]
        if page.next_cursor is None:
            return paged
        cursor = page.next_cursor


def test_each_filter_narrows_in_sql_to_visits(store: Store, queue: dict[str, int]) -> None:
    q = queue
    assert _ids(store, ReviewFilter(states=(S.HELD,))) == [q["held"]]
    assert set(_ids(store, ReviewFilter(payer_class="commercial"))) == {q["posted"]}
    assert set(_ids(store, ReviewFilter(hcpcs="j9302"))) == {q["yesterday"], q["posted"], q["printed"]}
    assert _ids(store, ReviewFilter(nurse="RN Brooks")) == [q["warned"]]
    assert set(_ids(store, ReviewFilter(has_findings=True))) == {q["warned"], q["held"]}
    assert not {q["warned"], q["held"]} & set(_ids(store, ReviewFilter(has_findings=False)))
    yesterday = DOS - dt.timedelta(days=1)
    assert _ids(store, ReviewFilter(date_from=yesterday, date_to=yesterday)) == [q["yesterday"]]


def test_a_drug_or_state_filter_matches_visits_having_such_a_drug(store: Store, queue: dict[str, int]) -> None:
    q = queue
    # The second drug of a visit finds the whole visit, once.
    assert sorted(_ids(store, ReviewFilter(hcpcs="J9228"))) == sorted([q["recorded"], q["mixed"]])
    assert q["mixed"] in _ids(store, ReviewFilter(states=(S.POSTED,)))  # its first drug is posted
    assert q["mixed"] in _ids(store, ReviewFilter(states=(S.RECORDED,)))  # its second is recorded
    # Drug and state together: the same drug. The mixed visit's J9228 is recorded, not posted.
    assert _ids(store, ReviewFilter(states=(S.POSTED,), hcpcs="J9228")) == []
    assert _ids(store, ReviewFilter(states=(S.RECORDED,), hcpcs="J9228")) == [q["mixed"], q["recorded"]]


@pytest.mark.parametrize("review_filter", [
    ReviewFilter(), ReviewFilter(states=TO_WORK), ReviewFilter(states=(S.HELD,)), ReviewFilter(states=(S.POSTED,)),
    ReviewFilter(hcpcs="J9299"), ReviewFilter(has_findings=True), ReviewFilter(states=(S.VOIDED,)),
], ids=["any", "to-work", "held", "posted", "J9299", "findings", "voided"])
def test_the_counts_add_up_to_the_rows(store: Store, queue: dict[str, int], review_filter: ReviewFilter) -> None:
    counts = count_queue(store, review_filter)
    rows = fetch_review_page(store, review_filter, limit=100, user="biller").rows
    assert counts.total == sum(counts.by_state.values()) + counts.mixed == len(rows) == count_review(store,
                                                                                                    review_filter)
    by_state: dict[S, int] = {}
    for row in rows:
        if row.state is not None:
            by_state[row.state] = by_state.get(row.state, 0) + 1
    assert counts.by_state == by_state and counts.mixed == sum(1 for r in rows if r.state is None)


def test_issue_12_8_the_summary_of_held_visits_is_the_held_visits(store: Store, queue: dict[str, int]) -> None:
    # Before: "1 matching — 3 recorded, 1 verified, 1 ticket printed, 1 posted, 1 held" (the state filter ignored).
    assert count_queue(store, ReviewFilter(states=(S.HELD,))) == QueueCounts({S.HELD: 1}, 0)
    assert count_queue(store, ReviewFilter(states=TO_WORK)) == QueueCounts(
        {S.RECORDED: 3, S.VERIFIED: 1, S.TICKET_PRINTED: 1, S.HELD: 1}, mixed=1)


def test_rows_carry_drugs_states_units_and_findings(store: Store, queue: dict[str, int]) -> None:
    rows = {r.id: r for r in fetch_review_page(store, ReviewFilter(), user="biller").rows}
    two = rows[queue["recorded"]]
    assert [d.hcpcs for d in two.drugs] == ["J9299", "J9228"] and two.state is S.RECORDED
    assert two.units == 220 + 50 and two.patient_name == "Zoe Adams" and two.payer_class == "medicare"
    mixed = rows[queue["mixed"]]
    assert mixed.state is None and mixed.state_counts == {S.RECORDED: 1, S.POSTED: 1}
    assert rows[queue["warned"]].warnings == 1 and rows[queue["held"]].errors >= 1
    held = rows[queue["held"]].drugs[0]
    assert held.hold_reason == "count the vials again" and held.state is S.HELD
    assert rows[queue["yesterday"]].units == 30
    codes, nurses = review_choices(store)
    assert codes == ("J9228", "J9299", "J9302") and "RN Brooks" in nurses


def test_voided_drugs_leave_the_units_and_a_voided_visit_keeps_them(store: Store, queue: dict[str, int]) -> None:
    row = fetch_review_page(store, ReviewFilter(), user="biller").rows
    two = next(r for r in row if r.id == queue["recorded"])
    void_administration(store, two.drugs[1].id, "not given", "biller")
    two = next(r for r in fetch_review_page(store, ReviewFilter(), user="biller").rows if r.id == two.id)
    assert two.state is S.RECORDED and two.units == 220 and two.state_counts == {S.RECORDED: 1, S.VOIDED: 1}
    void_administration(store, two.drugs[0].id, "wrong patient", "biller")
    two = next(r for r in fetch_review_page(store, ReviewFilter(), user="biller").rows if r.id == two.id)
    assert two.state is S.VOIDED and two.units == 270  # what was voided
    assert count_queue(store, ReviewFilter(states=(S.VOIDED,))).by_state == {S.VOIDED: 1}


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_follow_the_sort(store: Store, queue: dict[str, int], key: SortKey, descending: bool) -> None:
    sort = ReviewSort(key, descending)
    whole = fetch_review_page(store, ReviewFilter(), sort, limit=100, user="biller").rows
    values = [(r.sort_value, r.id) for r in whole]
    assert values == sorted(values, reverse=descending)
    assert _every_row(store, ReviewFilter(), sort, limit=2) == [r.id for r in whole] and len(whole) == 8
    # A visit of several drugs is one row, whatever the filter on its drugs.
    assert _every_row(store, ReviewFilter(hcpcs="J9299"), sort, limit=1).count(queue["recorded"]) == 1
