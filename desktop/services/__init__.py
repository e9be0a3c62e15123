"""Use cases: record, verify, hold, post, void, print, export; one session per call.

The names below are loaded on first use (PEP 562), so importing one light service module (the event log, the
drafts) does not import SQLAlchemy, the engine and every other service: the application's first window needs
none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "audit": ("record_login", "verify_audit_chain"),
    "errors": ("ConflictError", "InvalidStateError", "NotFoundError", "RefusedError", "ServiceError",
               "StoreUnavailableError"),
    "maintenance": ("backup_database", "restore_database"),
    "patients": ("find_patients",),
    "queries": ("get_administration", "get_visit", "list_administrations", "open_visit_for"),
    "recording": ("record_administration", "void_and_replace"),
    "store": ("Store", "open_store"),
    "transitions": ("hold_administration", "mark_ticket_printed", "post_administration", "release_hold",
                    "verify_administration", "void_administration"),
    "views": ("AcknowledgementView", "AdministrationDetail", "AdministrationSummary", "AuditCheck", "ChargeState",
              "PatientInput", "PatientView", "RecordOutcome", "RecordRequest", "StateChangeView",
              "TransitionOutcome", "VisitDetail"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:  # a submodule (`from desktop.services import users`) is then imported as usual
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # found directly from now on
    return value


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
