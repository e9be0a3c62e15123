"""Errors a person can cause while using the store, each with a message in plain words."""

from __future__ import annotations

from desktop.billing.model import Finding


class ServiceError(Exception):
    """A request the store cannot carry out; `str(error)` is meant for the person at the screen."""


class NotFoundError(ServiceError):
    """No administration (or patient) with that id."""


class ConflictError(ServiceError):
    """Someone else changed the record since it was shown: reload it, nothing of theirs was lost."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class InvalidStateError(ServiceError):
    """The record is not in a state that allows this step (e.g. posting a held charge)."""


class RefusedError(ServiceError):
    """The engine's findings stop the record from being accepted as it is.

    `reason` is "errors" (error findings and no hold reason given) or
    "unacknowledged_warnings" (warnings not acknowledged); `findings` lists
    the ones that must be dealt with.
    """

    def __init__(self, message: str, *, reason: str, findings: tuple[Finding, ...]) -> None:
        super().__init__(message)
        self.reason = reason
        self.findings = findings


class StoreUnavailableError(ServiceError):
    """The database cannot be used: on a network share, newer than the app, damaged, or unreachable.

    `kind` is "busy" when another workstation or program held what was needed (the next try may work at once),
    "unavailable" otherwise."""

    def __init__(self, message: str, *, kind: str = "unavailable") -> None:
        super().__init__(message)
        self.kind = kind


class SaveOutcomeUnknownError(StoreUnavailableError):
    """The server stopped answering while a change was being committed: it may or may not be in the database."""


class OperationCancelled(ServiceError):
    """The person cancelled long work (a batch, an export, an import, a report); a write's transaction was rolled
    back, so nothing of it was kept."""

    def __init__(self, words: str = "Cancelled: nothing was changed.") -> None:
        super().__init__(words)
