"""Reading the review queue, exports and reports is for charge entry and administrators, refused in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from desktop.services import Store
from desktop.services.billing_exports.exports import ExportFormat, export_charges
from desktop.services.charge_reports.reports import report, report_document
from desktop.services.charge_review.review_queue import ReviewFilter, fetch_review_page
from desktop.services.people.roles import PermissionDeniedError
from tests.services.people_fixtures import fast_hasher, people

__all__ = ["fast_hasher", "people"]
DAY = dt.date(2026, 11, 29)

READS: dict[str, Callable[[Store, str], object]] = {
    "review queue": lambda store, user: fetch_review_page(store, ReviewFilter(), user=user),
    "CSV export": lambda store, user: export_charges(store, ExportFormat.CSV, DAY, DAY, user=user),
    "waste report": lambda store, user: report(store, "waste", DAY, DAY, user=user),
    "340B report PDF": lambda store, user: report_document(store, "340b", DAY, DAY, user=user),
}


@pytest.mark.parametrize("read", sorted(READS))
def test_a_nurse_may_not_read_billing_work(people: Store, read: str) -> None:
    with pytest.raises(PermissionDeniedError, match="nina is signed in as nurse"):
        READS[read](people, "nina")


@pytest.mark.parametrize("read", sorted(READS))
@pytest.mark.parametrize("user", ["bill", "admin"])
def test_charge_entry_and_administrators_may(people: Store, read: str, user: str) -> None:
    READS[read](people, user)


def test_an_unknown_user_is_refused_once_accounts_exist(people: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        READS["review queue"](people, "mallory")
