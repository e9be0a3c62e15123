"""Actions on whole visits: every drug of a visit the action applies to, in one transaction, against its version."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db import models
from db.audit import lock_chain
from desktop.records.charge_states import ACTION_FROM, ACTION_TO, ChargeAction, state_name
from desktop.records.requests import ChargeState
from desktop.services.charge_review.bulk_outcome import BulkOutcome
from desktop.services.charge_review.transitions import PERMISSION_FOR, transition_in_session
from desktop.services.errors import (
    ConflictError,
    InvalidStateError,
    NotFoundError,
    SaveOutcomeUnknownError,
    ServiceError,
    StoreUnavailableError,
)
from desktop.services.people.roles import Permission, require, require_change_to_record
from desktop.services.storage.event_log import log_failure, log_unexpected
from desktop.services.storage.store import Store
from desktop.services.validation import check_text
from desktop.services.visits.visit_codes import recompute_codes

S = ChargeState
V = models.Visit
A = models.Administration


class VisitAction(StrEnum):
    VERIFY = "verify"
    HOLD = "hold"
    RELEASE = "release"
    POST = "post"
    VOID = "void"

    @property
    def needs_reason(self) -> bool:
        return self in (VisitAction.HOLD, VisitAction.VOID)

    @property
    def done_words(self) -> str:
        return DONE_WORDS[self]

    @property
    def to_state(self) -> ChargeState:
        return TO_STATE[self]

    @property
    def from_states(self) -> tuple[ChargeState, ...]:
        """The drug states this action changes; drugs in other states are left as they are."""
        return FROM_STATES[self]


DONE_WORDS = {VisitAction.VERIFY: "verified", VisitAction.HOLD: "held", VisitAction.RELEASE: "released from hold",
              VisitAction.POST: "posted", VisitAction.VOID: "voided"}
TO_STATE = {action: ACTION_TO[ChargeAction(action.value)] for action in VisitAction}
FROM_STATES = {action: ACTION_FROM[ChargeAction(action.value)] for action in VisitAction}
REASON_WORDS = {VisitAction.HOLD: "the hold reason", VisitAction.VOID: "the reason for the void"}


@dataclass(frozen=True, slots=True)
class DrugChange:
    """One drug the action changed."""

    administration_id: int
    hcpcs: str
    from_state: ChargeState
    to_state: ChargeState
    version: int

    @property
    def name(self) -> str:
        return f"{self.hcpcs} #{self.administration_id}"


@dataclass(frozen=True, slots=True)
class DrugLeft:
    """A drug of the visit the action did not change, and why."""

    administration_id: int
    hcpcs: str
    why: str

    @property
    def name(self) -> str:
        return f"{self.hcpcs} #{self.administration_id}"


@dataclass(frozen=True, slots=True)
class VisitOutcome:
    """The visit after the action: its new version, the drugs changed and those left as they were."""

    visit_id: int
    version: int
    changed: tuple[DrugChange, ...]
    left: tuple[DrugLeft, ...]


def act_on_visit(
    store: Store, action: VisitAction, visit_id: int, user: str, *, reason: str = "",
    expected_version: int | None = None,
) -> VisitOutcome:
    """Apply `action` to every drug of the visit it applies to, all in one transaction (all or nothing).

    Drugs in other states stay as they are (said in `left`); a visit with no drug the action applies to is
    refused (InvalidStateError), as is a visit changed since `expected_version` (ConflictError)."""
    action = VisitAction(action)
    user = check_text(user, "the user name")
    if action.needs_reason:
        reason = check_text(reason, REASON_WORDS[action], 2000)
    rules = None
    if action is VisitAction.VOID:  # the visit's codes are computed again without the voided drugs
        from desktop.services.facility.settings import rules_in_effect

        rules = rules_in_effect(store)
    with store.session_scope() as session:
        lock_chain(session)
        visit = load_visit_for_change(session, visit_id, expected_version)
        if action is not VisitAction.VOID:
            require(session, user, PERMISSION_FOR[action.to_state])
        chosen, left = _drugs_to_change(visit, action)
        if not chosen:
            raise InvalidStateError(f"Visit {visit.id} has no drug that can be {action.done_words}: "
                                    + "; ".join(f"{d.name} {d.why}" for d in left) + ".")
        changed = []
        for row in chosen:
            if action is VisitAction.VOID:
                require_change_to_record(session, user, row, Permission.VOID)
            before = S(row.state)
            outcome = transition_in_session(
                session, row, user, to_state=action.to_state, reason=reason or None,
                allowed_from=action.from_states, hold_reason=reason if action is VisitAction.HOLD else None,
                void_reason=reason if action is VisitAction.VOID else None,
            )
            changed.append(DrugChange(row.id, row.hcpcs, before, outcome.state, outcome.version))
        if rules is not None:
            names = ", ".join(f"{c.hcpcs} (administration {c.administration_id})" for c in changed)
            recompute_codes(session, visit, rules, user, f"{names} voided with the visit: {reason}")
        session.flush()
        return VisitOutcome(visit.id, visit.version, tuple(changed), tuple(left))


def load_visit_for_change(session: Session, visit_id: int, expected_version: int | None) -> models.Visit:
    """The visit to change with its drugs and their findings, checked against the version the person saw."""
    if isinstance(visit_id, bool) or not isinstance(visit_id, int):
        raise NotFoundError(f"{visit_id!r} is not a visit number")
    visit = session.execute(
        select(V).where(V.id == visit_id).options(selectinload(V.administrations).selectinload(A.findings))
    ).scalar_one_or_none()
    if visit is None:
        raise NotFoundError(f"There is no visit {visit_id}.")
    if expected_version is not None and visit.version != expected_version:
        raise ConflictError(
            f"Visit {visit.id} was changed by someone else since you saw it (it is now version {visit.version}; "
            f"you had version {expected_version}). Reload it and try again; nothing was overwritten.",
            current_version=visit.version,
        )
    return visit


def _drugs_to_change(visit: models.Visit, action: VisitAction) -> tuple[list[models.Administration], list[DrugLeft]]:
    chosen: list[models.Administration] = []
    left: list[DrugLeft] = []
    for row in visit.administrations:
        state = S(row.state)
        if state not in action.from_states:
            left.append(DrugLeft(row.id, row.hcpcs, f"is {state_name(state)}"))
        elif action is VisitAction.RELEASE and any(f.severity == "error" for f in row.findings):
            left.append(DrugLeft(row.id, row.hcpcs, "stays held: it was held because of errors in the record "
                                 "(correct it with void and replace)"))
        else:
            chosen.append(row)
    return chosen, left


def verify_visit(store: Store, visit_id: int, user: str, expected_version: int | None = None) -> VisitOutcome:
    """Every recorded drug of the visit -> verified."""
    return act_on_visit(store, VisitAction.VERIFY, visit_id, user, expected_version=expected_version)


def hold_visit(store: Store, visit_id: int, reason: str, user: str,
               expected_version: int | None = None) -> VisitOutcome:
    """Every recorded, verified or ticket-printed drug of the visit -> held, with a reason."""
    return act_on_visit(store, VisitAction.HOLD, visit_id, user, reason=reason, expected_version=expected_version)


def release_visit(store: Store, visit_id: int, user: str, expected_version: int | None = None) -> VisitOutcome:
    """Every held drug of the visit -> recorded, except drugs held for errors (void and replace those)."""
    return act_on_visit(store, VisitAction.RELEASE, visit_id, user, expected_version=expected_version)


def post_visit(store: Store, visit_id: int, user: str, expected_version: int | None = None) -> VisitOutcome:
    """Every ticket-printed drug of the visit -> posted."""
    return act_on_visit(store, VisitAction.POST, visit_id, user, expected_version=expected_version)


def void_visit(store: Store, visit_id: int, reason: str, user: str,
               expected_version: int | None = None) -> VisitOutcome:
    """Every drug of the visit not yet voided -> voided, with a reason; the visit's codes are computed again."""
    return act_on_visit(store, VisitAction.VOID, visit_id, user, reason=reason, expected_version=expected_version)


# -- several visits at once ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VisitTarget:
    """A visit as the biller saw it: its id, the version shown (a newer one is a conflict) and how to name it."""

    id: int
    version: int | None = None
    label: str = ""  # e.g. "Zoe Adams, 11/29/2026": said in the results

    @property
    def name(self) -> str:
        return f"Visit #{self.id}" + (f" ({self.label})" if self.label else "")


@dataclass(frozen=True, slots=True)
class VisitResult:
    visit_id: int
    ok: bool
    message: str
    changed: tuple[DrugChange, ...] = ()  # empty unless ok: a visit changes as a whole or not at all
    unknown: bool = False  # the database went away while this visit's change was committed: reload to see


@dataclass(frozen=True, slots=True)
class VisitBulkResult(BulkOutcome[VisitResult]):
    action: VisitAction
    results: tuple[VisitResult, ...]

    def summary(self) -> str:
        """One sentence for the status line, e.g. "1 of 3 visits verified (2 drugs); 2 not changed (see below)."."""
        done, total = len(self.succeeded), len(self.results)
        drugs = sum(len(r.changed) for r in self.succeeded)
        text = f"{done} of {total} visit{'s' if total != 1 else ''} {self.action.done_words}"
        if done:
            text += f" ({drugs} drug{'s' if drugs != 1 else ''})"
        return text + self.failures_words()


def _done_words(target: VisitTarget, action: VisitAction, outcome: VisitOutcome) -> str:
    text = f"{target.name}: {action.done_words} " + ", ".join(c.name for c in outcome.changed) + "."
    if outcome.left:
        text += " Left as they were: " + "; ".join(f"{d.name} {d.why}" for d in outcome.left) + "."
    return text


def apply_to_visits(
    store: Store, action: VisitAction, targets: Sequence[VisitTarget], user: str, reason: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> VisitBulkResult:
    """Run `action` on every visit, each in its own transaction; one refusal does not stop the rest.

    Each result says which drugs of that visit changed; a visit that failed changed nothing."""
    action = VisitAction(action)
    if action.needs_reason and len(reason.strip()) < 3:
        raise ServiceError(f"Write a reason (a few words) to {action.value} these visits.")
    results: list[VisitResult] = []
    unavailable: str | None = None
    not_done = f"not {action.done_words}"
    for number, target in enumerate(targets, start=1):
        if unavailable is not None:  # each visit would wait for the same timeout: say so instead
            results.append(VisitResult(target.id, False, f"{target.name} {not_done}: not tried, because the "
                                       f"database could not be used at {unavailable} (see there). Try again later."))
            continue
        try:
            outcome = act_on_visit(store, action, target.id, user, reason=reason.strip(),
                                   expected_version=target.version)
            results.append(VisitResult(target.id, True, _done_words(target, action, outcome), outcome.changed))
        except SaveOutcomeUnknownError as exc:
            log_failure(f"{action.value} of a visit", exc)
            results.append(VisitResult(target.id, False, f"{target.name}: not known whether it was "
                                       f"{action.done_words}. {exc}", unknown=True))
            unavailable = target.name
        except StoreUnavailableError as exc:
            log_failure(f"{action.value} of a visit", exc)
            results.append(VisitResult(target.id, False, f"{target.name} {not_done}: {exc} Nothing in this "
                                       "visit changed."))
            if exc.kind != "busy":  # a visit another workstation holds says nothing about the next one
                unavailable = target.name
        except ServiceError as exc:
            results.append(VisitResult(target.id, False, f"{target.name} {not_done}: {exc} Nothing in this "
                                       "visit changed."))
        except Exception as exc:  # a bug or a refusal by the database: the visit's transaction was rolled back
            log_unexpected(f"{action.value} of a visit", exc)
            results.append(VisitResult(target.id, False, f"{target.name} {not_done}: an unexpected error "
                                       f"({type(exc).__name__}); it was written to the program's log. Nothing in "
                                       "this visit changed."))
        if progress is not None:
            progress(number, len(targets))
    return VisitBulkResult(action, tuple(results))
