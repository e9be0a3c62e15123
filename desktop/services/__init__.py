"""Use cases: record, verify, hold, post, void, print, export; one session per call."""

from __future__ import annotations

from desktop.services.audit import record_login, verify_audit_chain
from desktop.services.errors import (
    ConflictError,
    InvalidStateError,
    NotFoundError,
    RefusedError,
    ServiceError,
    StoreUnavailableError,
)
from desktop.services.maintenance import backup_database, restore_database
from desktop.services.patients import find_patients
from desktop.services.queries import get_administration, get_visit, list_administrations, open_visit_for
from desktop.services.recording import record_administration, void_and_replace
from desktop.services.store import Store, open_store
from desktop.services.transitions import (
    hold_administration,
    mark_ticket_printed,
    post_administration,
    release_hold,
    verify_administration,
    void_administration,
)
from desktop.services.views import (
    AcknowledgementView,
    AdministrationDetail,
    AdministrationSummary,
    AuditCheck,
    ChargeState,
    PatientInput,
    PatientView,
    RecordOutcome,
    RecordRequest,
    StateChangeView,
    TransitionOutcome,
    VisitDetail,
)

__all__ = [
    "AcknowledgementView",
    "AdministrationDetail",
    "AdministrationSummary",
    "AuditCheck",
    "ChargeState",
    "ConflictError",
    "InvalidStateError",
    "NotFoundError",
    "PatientInput",
    "PatientView",
    "RecordOutcome",
    "RecordRequest",
    "RefusedError",
    "ServiceError",
    "StateChangeView",
    "Store",
    "StoreUnavailableError",
    "TransitionOutcome",
    "VisitDetail",
    "backup_database",
    "find_patients",
    "get_administration",
    "get_visit",
    "hold_administration",
    "list_administrations",
    "mark_ticket_printed",
    "open_store",
    "open_visit_for",
    "post_administration",
    "record_administration",
    "record_login",
    "release_hold",
    "restore_database",
    "verify_administration",
    "verify_audit_chain",
    "void_administration",
    "void_and_replace",
]
