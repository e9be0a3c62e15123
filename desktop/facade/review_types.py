"""The records the review queue's pages read and send, re-exported so that pages never import a service module."""

from __future__ import annotations

from desktop.records.requests import AdministrationDetail, ChargeState, VisitDetail
from desktop.services.charge_review.queue_actions import BulkResult, ReviewAction, RowResult, RowTarget
from desktop.services.charge_review.review_queue import (
    PAGE_SIZE,
    DrugRow,
    QueueCounts,
    ReviewCursor,
    ReviewFilter,
    ReviewPage,
    ReviewSort,
    SortKey,
    VisitRow,
)
from desktop.services.charge_review.visit_actions import VisitAction, VisitBulkResult, VisitResult, VisitTarget

__all__ = ["PAGE_SIZE", "AdministrationDetail", "BulkResult", "ChargeState", "DrugRow", "QueueCounts",
           "ReviewAction", "ReviewCursor", "ReviewFilter", "ReviewPage", "ReviewSort", "RowResult", "RowTarget",
           "SortKey", "VisitAction", "VisitBulkResult", "VisitDetail", "VisitResult", "VisitRow", "VisitTarget"]
