"""Review queue service: filters, sorting and keyset paging in SQL, counts, multi-row actions with per-row words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from desktop.billing.model import PayerClass
from desktop.services import ChargeState, Store, get_administration, record_administration
from desktop.services.errors import ServiceError
from desktop.services.review import (
    ReviewFilter,
    ReviewSort,
    SortKey,
    count_by_state,
    count_review,
    fetch_review_page,
    review_choices,
)
from desktop.services.review_actions import ReviewAction, RowTarget, apply_to_rows
from tests.services.charge_samples import j9302_request, ofatumumab, record, to_posted
from tests.services.conftest import DOS, least_waste_request, make_request, unaccounted_request


@pytest.fixture
def queue(store: Store) -> dict[str, int]:
    ids = {}
    ids["niv"] = record_administration(store, make_request(mrn="Q1", name="Zed Alpha"), "rn").id
    ids["warn"] = record_administration(store, least_waste_request(mrn="Q2", name="Amy Beta", acknowledge_all=True,
                                                                   nurse="RN Brooks"), "rn").id
    ids["held"] = record_administration(store, unaccounted_request(mrn="Q3", name="Bob Gamma",
                                                                   hold_reason="count vials"), "rn").id
    ids["j9302"] = record(store, j9302_request(mrn="Q4", name="Cat Delta", day=DOS - dt.timedelta(days=1))).id
    commercial = replace(ofatumumab(), payer_class=PayerClass.COMMERCIAL)
    posted = record(store, j9302_request(mrn="Q5", name="Dan Eps", administration=commercial))
    to_posted(store, posted.id, posted.version)
    ids["posted"] = posted.id
    return ids


def _ids(store: Store, review_filter: ReviewFilter, sort: ReviewSort | None = None) -> list[int]:
    return [r.id for r in fetch_review_page(store, review_filter, sort or ReviewSort(), user="biller").rows]


def test_filters_each_narrow_in_sql(store: Store, queue: dict[str, int]) -> None:
    q = queue
    assert _ids(store, ReviewFilter(states=(ChargeState.HELD,))) == [q["held"]]
    assert set(_ids(store, ReviewFilter(payer_class="commercial"))) == {q["posted"]}
    assert set(_ids(store, ReviewFilter(hcpcs="j9302"))) == {q["j9302"], q["posted"]}
    assert _ids(store, ReviewFilter(nurse="RN Brooks")) == [q["warn"]]
    assert set(_ids(store, ReviewFilter(has_findings=True))) == {q["warn"], q["held"]}
    assert q["warn"] not in _ids(store, ReviewFilter(has_findings=False))
    assert _ids(store, ReviewFilter(date_from=DOS - dt.timedelta(days=1), date_to=DOS - dt.timedelta(days=1))) == [
        q["j9302"]]
    assert count_review(store, ReviewFilter(date_from=DOS)) == 4
    assert count_by_state(store, ReviewFilter(states=(ChargeState.HELD,)))[ChargeState.RECORDED] == 3


def test_rows_carry_units_findings_and_hold_reason(store: Store, queue: dict[str, int]) -> None:
    rows = {r.id: r for r in fetch_review_page(store, ReviewFilter(), user="biller").rows}
    assert rows[queue["j9302"]].units == 30 and rows[queue["j9302"]].payer_class == "medicare"
    assert rows[queue["warn"]].warnings >= 1 and rows[queue["held"]].errors >= 1
    assert rows[queue["held"]].hold_reason == "count vials" and rows[queue["held"]].state is ChargeState.HELD
    codes, nurses = review_choices(store)
    assert codes == ("J9299", "J9302") and "RN Brooks" in nurses


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_follow_the_sort(store: Store, queue: dict[str, int], key: SortKey, descending: bool) -> None:
    sort = ReviewSort(key, descending)
    whole = fetch_review_page(store, ReviewFilter(), sort, limit=100, user="biller").rows
    values = [(r.sort_value, r.id) for r in whole]
    assert values == sorted(values, reverse=descending)
    paged, cursor = [], None
    while True:  # two rows a page: every row exactly once, in the same order
        page = fetch_review_page(store, ReviewFilter(), sort, cursor, limit=2, user="biller")
        paged += [r.id for r in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert paged == [r.id for r in whole] and len(paged) == 5


def test_verify_many_reports_each_row(store: Store, queue: dict[str, int]) -> None:
    targets = [RowTarget(queue["niv"], 1), RowTarget(queue["held"], 1), RowTarget(queue["j9302"], 1)]
    result = apply_to_rows(store, ReviewAction.VERIFY, targets, "biller")
    assert [r.ok for r in result.results] == [True, False, True]
    assert "is held; it can become verified only from: recorded" in result.failed[0].message
    assert result.summary() == "2 of 3 verified; 1 not changed (see why below)."
    history = get_administration(store, queue["niv"]).history
    assert history[-1].to_state is ChargeState.VERIFIED and history[-1].changed_by == "biller"


def test_hold_release_post_void_and_stale_versions(store: Store, queue: dict[str, int]) -> None:
    with pytest.raises(ServiceError, match="Write a reason"):
        apply_to_rows(store, ReviewAction.HOLD, [RowTarget(queue["niv"])], "biller", " ")
    held = apply_to_rows(store, ReviewAction.HOLD, [RowTarget(queue["niv"], 1), RowTarget(queue["j9302"], 7)],
                         "biller", "payer query")
    assert [r.ok for r in held.results] == [True, False] and "changed by someone else" in held.failed[0].message
    assert get_administration(store, queue["niv"]).hold_reason == "payer query"
    released = apply_to_rows(store, ReviewAction.RELEASE, [RowTarget(queue["niv"]), RowTarget(queue["held"])], "b")
    assert [r.ok for r in released.results] == [True, False]
    assert "void and replace" in released.failed[0].message  # held for errors: release is refused in words
    posted = apply_to_rows(store, ReviewAction.POST, [RowTarget(queue["niv"]), RowTarget(queue["posted"])], "b")
    assert not any(r.ok for r in posted.results)
    voided = apply_to_rows(store, ReviewAction.VOID, [RowTarget(queue["posted"])], "b", "duplicate entry")
    assert voided.succeeded[0].state is ChargeState.VOIDED


def test_void_and_replace_rerecords_with_the_acknowledgements(store: Store, queue: dict[str, int]) -> None:
    result = apply_to_rows(store, ReviewAction.VOID_AND_REPLACE,
                           [RowTarget(queue["warn"]), RowTarget(queue["held"])], "biller", "re-rate with new tables")
    good, refused = result.results
    assert good.ok and good.new_id is not None and f"replaced by #{good.new_id}" in good.message
    replacement = get_administration(store, good.new_id)
    assert replacement.replaces_id == queue["warn"] and replacement.acknowledgements
    assert get_administration(store, queue["warn"]).state is ChargeState.VOIDED
    assert not refused.ok and "errors that block the charge" in refused.message
    assert get_administration(store, queue["held"]).state is ChargeState.HELD  # nothing half-done
