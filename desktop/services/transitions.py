"""State changes of a stored charge, each checked against the version the person saw."""

from __future__ import annotations

from desktop.services.store import Store
from desktop.services.views import TransitionOutcome


def verify_administration(
    store: Store, administration_id: int, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """recorded -> verified."""
    raise NotImplementedError


def hold_administration(
    store: Store, administration_id: int, reason: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """recorded/verified/ticket_printed -> held, with a reason."""
    raise NotImplementedError


def release_hold(
    store: Store, administration_id: int, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """held -> recorded; refused while the stored findings include errors (void and replace instead)."""
    raise NotImplementedError


def mark_ticket_printed(
    store: Store, administration_id: int, pdf_sha256: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """verified -> ticket_printed, keeping the SHA-256 of the PDF that was printed."""
    raise NotImplementedError


def post_administration(
    store: Store, administration_id: int, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """ticket_printed (or verified) -> posted."""
    raise NotImplementedError


def void_administration(
    store: Store, administration_id: int, reason: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """Any state but voided -> voided, with a reason; the frozen lines stay as they were."""
    raise NotImplementedError
