"""Recording an administration: run the engine, apply the finding rules, freeze the charge lines."""

from __future__ import annotations

from desktop.services.store import Store
from desktop.services.views import RecordOutcome, RecordRequest


def record_administration(store: Store, request: RecordRequest, user: str) -> RecordOutcome:
    """Run the engine on `request` and store the record with its frozen lines.

    Error findings: RefusedError(reason="errors") unless `request.hold_reason`
    is given, then the record is stored as held. Warnings: each must be in
    `acknowledged_codes` (or `acknowledge_all`), else RefusedError(reason=
    "unacknowledged_warnings"); acknowledgements are stored with who and when.
    """
    raise NotImplementedError


def void_and_replace(
    store: Store, administration_id: int, reason: str, request: RecordRequest, user: str,
    expected_version: int | None = None,
) -> RecordOutcome:
    """Void a record and record its correction in one transaction; the new one points to the old."""
    raise NotImplementedError
