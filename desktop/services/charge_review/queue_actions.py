"""Actions on several queue rows at once: each row through the audited transition, each result in plain words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.records import DrugEntry
from desktop.records.charge_states import state_name
from desktop.records.requests import (
    AdministrationDetail,
    ChargeState,
    PatientInput,
    RecordRequest,
    TransitionOutcome,
)
from desktop.services.charge_review.bulk_outcome import BulkOutcome
from desktop.services.charge_review.transitions import (
    hold_administration,
    post_administration,
    release_hold,
    verify_administration,
    void_administration,
)
from desktop.services.errors import SaveOutcomeUnknownError, ServiceError, StoreUnavailableError
from desktop.services.storage.event_log import log_failure, log_unexpected
from desktop.services.storage.store import Store
from desktop.services.visits.recording import void_and_replace
from desktop.services.visits.visit_queries import get_administration


class ReviewAction(StrEnum):
    VERIFY = "verify"
    HOLD = "hold"
    RELEASE = "release"
    POST = "post"
    VOID = "void"
    VOID_AND_REPLACE = "void_and_replace"  # re-record the same documentation with today's rule tables

    @property
    def needs_reason(self) -> bool:
        return self in (ReviewAction.HOLD, ReviewAction.VOID, ReviewAction.VOID_AND_REPLACE)

    @property
    def done_words(self) -> str:
        return DONE_WORDS[self]


DONE_WORDS = {
    ReviewAction.VERIFY: "verified", ReviewAction.HOLD: "held", ReviewAction.RELEASE: "released from hold",
    ReviewAction.POST: "posted", ReviewAction.VOID: "voided", ReviewAction.VOID_AND_REPLACE: "voided and replaced",
}


@dataclass(frozen=True, slots=True)
class RowTarget:
    """A row as the biller saw it: the id and the version shown (a newer version is a conflict)."""

    id: int
    version: int | None = None


@dataclass(frozen=True, slots=True)
class RowResult:
    id: int
    ok: bool
    message: str
    state: ChargeState | None = None
    new_id: int | None = None  # the replacement's id after void and replace
    unknown: bool = False  # the database went away while this row's change was committed: reload to see


@dataclass(frozen=True, slots=True)
class BulkResult(BulkOutcome[RowResult]):
    action: ReviewAction
    results: tuple[RowResult, ...]

    def summary(self) -> str:
        """One sentence for the status line, e.g. "1 of 3 verified; 2 not changed (see why below)"."""
        done, total = len(self.succeeded), len(self.results)
        text = f"{done} of {total} {self.action.done_words}"
        return text + self.failures_words()


def request_from_detail(detail: AdministrationDetail) -> RecordRequest:
    """A new recording of a stored administration's documentation, carrying its warning acknowledgements."""
    adm = detail.administration
    return RecordRequest(
        patient=PatientInput(mrn=detail.patient.mrn, name=detail.patient.name,
                             date_of_birth=detail.patient.date_of_birth),
        date_of_service=adm.date_of_service, payer_class=adm.payer_class,
        drugs=(DrugEntry(adm, detail.facts),), visit=detail.visit, place_of_service=detail.place_of_service,
        visit_id=detail.visit_id, acknowledged_codes=frozenset(a.code for a in detail.acknowledgements),
    )


def _one(store: Store, action: ReviewAction, target: RowTarget, user: str, reason: str) -> RowResult:
    i, v = target.id, target.version
    if action is ReviewAction.VOID_AND_REPLACE:
        detail = get_administration(store, i)
        outcome = void_and_replace(store, i, reason, request_from_detail(detail), user, v)
        return RowResult(i, True, f"#{i} voided; replaced by #{outcome.id} ({state_name(outcome.state)}).",
                         ChargeState.VOIDED, outcome.id)
    calls: dict[ReviewAction, Callable[[], TransitionOutcome]] = {
        ReviewAction.VERIFY: lambda: verify_administration(store, i, user, v),
        ReviewAction.HOLD: lambda: hold_administration(store, i, reason, user, v),
        ReviewAction.RELEASE: lambda: release_hold(store, i, user, v),
        ReviewAction.POST: lambda: post_administration(store, i, user, v),
        ReviewAction.VOID: lambda: void_administration(store, i, reason, user, v),
    }
    changed = calls[action]()
    return RowResult(i, True, f"#{i} {action.done_words}.", changed.state)


def apply_to_rows(
    store: Store, action: ReviewAction, targets: Sequence[RowTarget], user: str, reason: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """Run `action` on every target, each in its own audited transaction; one refusal does not stop the rest."""
    action = ReviewAction(action)
    if action.needs_reason and len(reason.strip()) < 3:
        raise ServiceError(f"Write a reason (a few words) to {action.value.replace('_', ' ')} these charges.")
    results: list[RowResult] = []
    unavailable: str | None = None
    for number, target in enumerate(targets, start=1):
        if unavailable is not None:  # each row would wait for the same timeout: say so instead
            results.append(RowResult(target.id, False, f"#{target.id} not {action.done_words}: not tried, because "
                                     f"the database could not be used at #{unavailable} (see there). Try again "
                                     "later."))
            continue
        try:
            results.append(_one(store, action, target, user, reason.strip()))
        except SaveOutcomeUnknownError as exc:
            log_failure(f"{action.value} of a review row", exc)
            results.append(RowResult(target.id, False, f"#{target.id}: not known whether it was "
                                     f"{action.done_words}. {exc}", unknown=True))
            unavailable = str(target.id)
        except StoreUnavailableError as exc:
            log_failure(f"{action.value} of a review row", exc)
            results.append(RowResult(target.id, False, f"#{target.id} not {action.done_words}: {exc}"))
            if exc.kind != "busy":  # a row another workstation holds says nothing about the next row
                unavailable = str(target.id)
        except ServiceError as exc:
            results.append(RowResult(target.id, False, f"#{target.id} not {action.done_words}: {exc}"))
        except Exception as exc:  # a bug on one row: the others still get their truth
            log_unexpected(f"{action.value} of a review row", exc)
            results.append(RowResult(target.id, False, f"#{target.id} not {action.done_words}: an unexpected error "
                                     f"({type(exc).__name__}); it was written to the program's log."))
        if progress is not None:
            progress(number, len(targets))
    return BulkResult(action, tuple(results))
