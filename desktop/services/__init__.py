"""Use cases: record, verify, hold, post, void, print, export; one session per call, grouped by use case.

One package per use case: `visits` (record, correct, read), `charge_review` (the state machine's transitions,
the queue), `charge_tickets`, `charge_reports`, `billing_exports`, `people` (identity, roles, sign-in,
accounts), `facility` (settings, catalog, CMS reference data), `audit_trail`, `storage` (the store, backup,
private files, the program's log). `errors` and `validation` are shared by all.

The names below are loaded on first use (PEP 562), so importing one light service module (the event log, the
drafts) does not import SQLAlchemy, the engine and every other service: the application's first window needs
none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.records.requests import (
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
    from desktop.services.audit_trail.audit_chain import record_login, verify_audit_chain
    from desktop.services.charge_review.transitions import (
        hold_administration,
        mark_ticket_printed,
        post_administration,
        release_hold,
        verify_administration,
        void_administration,
    )
    from desktop.services.errors import (
        ConflictError,
        InvalidStateError,
        NotFoundError,
        RefusedError,
        ServiceError,
        StoreUnavailableError,
    )
    from desktop.services.storage.backup import backup_database, restore_database
    from desktop.services.storage.store import Store, open_store
    from desktop.services.visits.patients import find_patients
    from desktop.services.visits.recording import record_administration, void_and_replace
    from desktop.services.visits.visit_queries import (
        get_administration,
        get_visit,
        list_administrations,
        open_visit_for,
    )

_HOMES = {
    "desktop.services.audit_trail.audit_chain": ("record_login", "verify_audit_chain"),
    "desktop.services.errors": ("ConflictError", "InvalidStateError", "NotFoundError", "RefusedError", "ServiceError",
                                "StoreUnavailableError"),
    "desktop.services.storage.backup": ("backup_database", "restore_database"),
    "desktop.services.visits.patients": ("find_patients",),
    "desktop.services.visits.visit_queries": ("get_administration", "get_visit", "list_administrations",
                                              "open_visit_for"),
    "desktop.services.visits.recording": ("record_administration", "void_and_replace"),
    "desktop.services.storage.store": ("Store", "open_store"),
    "desktop.services.charge_review.transitions": ("hold_administration", "mark_ticket_printed", "post_administration",
                                                   "release_hold", "verify_administration", "void_administration"),
    "desktop.records.requests": ("AcknowledgementView", "AdministrationDetail", "AdministrationSummary", "AuditCheck",
                                 "ChargeState", "PatientInput", "PatientView", "RecordOutcome", "RecordRequest",
                                 "StateChangeView", "TransitionOutcome", "VisitDetail"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:  # a submodule (`from desktop.services.people import accounts as users`) is then imported as usual
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
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
