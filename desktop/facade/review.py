"""The review queue: pages of visits, verify, hold, release, post, correct, void."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desktop.facade.desk import Desk

if TYPE_CHECKING:
    from desktop.facade.review_types import (
        BulkResult,
        QueueCounts,
        ReviewAction,
        ReviewCursor,
        ReviewFilter,
        ReviewPage,
        ReviewSort,
        RowTarget,
        VisitAction,
        VisitBulkResult,
        VisitDetail,
        VisitTarget,
    )

Progress = Callable[[int, int], None]


class ReviewDoor:
    """What a biller does in the review queue; every method is a blocking call for a worker thread."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def choices(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The drug codes and nurses the store holds, for the filters' lists."""
        from desktop.services.charge_review.review_queue import review_choices

        return review_choices(self.desk.store)

    def page(self, review_filter: ReviewFilter, sort: ReviewSort, cursor: ReviewCursor | None,
             limit: int) -> ReviewPage:
        """Up to `limit` visits after `cursor` (None: the first page)."""
        from desktop.services.charge_review.review_queue import fetch_review_page

        return fetch_review_page(self.desk.store, review_filter, sort, cursor, limit, user=self.desk.user)

    def counts(self, review_filter: ReviewFilter) -> QueueCounts:
        from desktop.services.charge_review.review_queue import count_queue

        return count_queue(self.desk.store, review_filter)

    def visit(self, visit_id: int) -> VisitDetail:
        """One visit in full: every drug (voided ones too), its lines, findings, codes and history."""
        from desktop.services.visits.visit_queries import get_visit

        return get_visit(self.desk.store, visit_id)

    def act_on_visits(self, action: VisitAction, targets: Sequence[VisitTarget], reason: str = "",
                      progress: Progress | None = None) -> VisitBulkResult:
        """`action` on each visit, each all or nothing, checked against the version shown; a cancel (through
        `progress`) stops before the next visit, those done stay done."""
        from desktop.services.charge_review.visit_actions import apply_to_visits

        return apply_to_visits(self.desk.store, action, targets, self.desk.user, reason, progress=progress)

    def act_on_drugs(self, action: ReviewAction, targets: Sequence[RowTarget], reason: str = "",
                     progress: Progress | None = None) -> BulkResult:
        """Void (or void and replace) drugs; their visits' codes are computed again."""
        from desktop.services.charge_review.queue_actions import apply_to_rows

        return apply_to_rows(self.desk.store, action, targets, self.desk.user, reason, progress=progress)
