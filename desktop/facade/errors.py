"""The errors a door may raise, for pages to tell apart (they never import a service module)."""

from __future__ import annotations

from desktop.services.errors import (
    ConflictError,
    InvalidStateError,
    NotFoundError,
    OperationCancelled,
    RefusedError,
    SaveOutcomeUnknownError,
    ServiceError,
    StoreUnavailableError,
)

__all__ = ["ConflictError", "InvalidStateError", "NotFoundError", "OperationCancelled", "RefusedError",
           "SaveOutcomeUnknownError", "ServiceError", "StoreUnavailableError"]
