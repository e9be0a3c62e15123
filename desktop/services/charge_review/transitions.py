"""State changes of a stored charge, each checked against the version the person saw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db import models
from db.audit import append_event, lock_chain
from db.repositories import add_state_change, ensure_user
from desktop.records.charge_states import ACTION_FROM, ACTION_TO, ChargeAction, state_name
from desktop.records.requests import ChargeState, TransitionOutcome
from desktop.services.errors import ConflictError, InvalidStateError, NotFoundError, ServiceError
from desktop.services.people.roles import Permission, require, require_change_to_record
from desktop.services.storage.store import Store
from desktop.services.validation import check_text
from desktop.services.visits.row_values import state_snapshot
from desktop.services.visits.visit_codes import recompute_codes, touch

S = ChargeState
PERMISSION_FOR = {S.VERIFIED: Permission.VERIFY, S.HELD: Permission.HOLD, S.RECORDED: Permission.RELEASE,
                  S.TICKET_PRINTED: Permission.PRINT_TICKET, S.POSTED: Permission.POST}
SHA256_HEX = frozenset("0123456789abcdef")


def verify_administration(
    store: Store, administration_id: int, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """recorded -> verified."""
    return _change(store, administration_id, user, expected_version, ChargeAction.VERIFY)


def hold_administration(
    store: Store, administration_id: int, reason: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """recorded/verified/ticket_printed -> held, with a reason."""
    reason = check_text(reason, "the hold reason", 2000)
    return _change(store, administration_id, user, expected_version, ChargeAction.HOLD,
                   reason=reason, hold_reason=reason)


def release_hold(
    store: Store, administration_id: int, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """held -> recorded; refused while the stored findings include errors (void and replace instead)."""
    return _change(store, administration_id, user, expected_version, ChargeAction.RELEASE, release=True)


def mark_ticket_printed(
    store: Store, administration_id: int, pdf_sha256: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """verified -> ticket_printed (a reprint stays ticket_printed), keeping the SHA-256 of the PDF printed."""
    digest = (pdf_sha256 or "").strip().lower()
    if len(digest) != 64 or not set(digest) <= SHA256_HEX:
        raise ServiceError("the ticket's SHA-256 must be 64 hexadecimal characters")
    return _change(store, administration_id, user, expected_version, ChargeAction.PRINT_TICKET,
                   ticket_sha256=digest)


def post_administration(
    store: Store, administration_id: int, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """ticket_printed -> posted."""
    return _change(store, administration_id, user, expected_version, ChargeAction.POST)


def void_administration(
    store: Store, administration_id: int, reason: str, user: str, expected_version: int | None = None
) -> TransitionOutcome:
    """Any state but voided -> voided, with a reason; the frozen lines stay as they were."""
    reason = check_text(reason, "the reason for the void", 2000)
    return _change(store, administration_id, user, expected_version, ChargeAction.VOID,
                   reason=reason, void_reason=reason)


def _change(
    store: Store, administration_id: int, user: str, expected_version: int | None, action: ChargeAction, *,
    reason: str | None = None, hold_reason: str | None = None, void_reason: str | None = None,
    ticket_sha256: str | None = None, release: bool = False,
) -> TransitionOutcome:
    user = check_text(user, "the user name")
    to_state, allowed_from = ACTION_TO[action], ACTION_FROM[action]
    rules = None
    if to_state is S.VOIDED:  # the visit's codes are computed again without this drug
        from desktop.services.facility.settings import rules_in_effect

        rules = rules_in_effect(store)
    with store.session_scope() as session:
        lock_chain(session)
        row = load_for_change(session, administration_id, expected_version)
        if to_state is S.VOIDED:
            require_change_to_record(session, user, row, Permission.VOID)
        else:
            require(session, user, PERMISSION_FOR[to_state])
        if release and any(f.severity == "error" for f in row.findings):
            raise InvalidStateError(
                f"Administration {row.id} was held because of errors in the record; correct it with "
                "void and replace instead of releasing the hold."
            )
        outcome = transition_in_session(
            session, row, user, to_state=to_state, reason=reason, allowed_from=allowed_from,
            hold_reason=hold_reason, void_reason=void_reason, ticket_sha256=ticket_sha256,
        )
        if rules is not None:
            recompute_codes(session, row.visit, rules, user, f"{row.hcpcs} (administration {row.id}) voided: {reason}")
        return outcome


def load_for_change(session: Session, administration_id: int, expected_version: int | None) -> models.Administration:
    """The record to change, checked against the version the person saw (call after lock_chain)."""
    if isinstance(administration_id, bool) or not isinstance(administration_id, int):
        raise NotFoundError(f"{administration_id!r} is not an administration id")
    row = session.execute(
        select(models.Administration).where(models.Administration.id == administration_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(f"There is no administration {administration_id}.")
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"Administration {row.id} was changed by someone else since you opened it (it is now "
            f"{state_name(ChargeState(row.state))}, version {row.version}; you had version {expected_version}). "
            "Reload it and try again; nothing was overwritten.",
            current_version=row.version,
        )
    return row


def transition_in_session(
    session: Session, row: models.Administration, user: str, *, to_state: ChargeState, reason: str | None,
    allowed_from: Sequence[ChargeState], hold_reason: str | None = None, void_reason: str | None = None,
    ticket_sha256: str | None = None,
) -> TransitionOutcome:
    if ChargeState(row.state) not in allowed_from:
        allowed = ", ".join(state_name(s) for s in allowed_from)
        raise InvalidStateError(
            f"Administration {row.id} is {state_name(ChargeState(row.state))}; it can become "
            f"{state_name(to_state)} only from: {allowed}."
        )
    ensure_user(session, user)
    before = state_snapshot(row)
    from_state = row.state
    row.state = to_state.value
    if to_state is S.HELD:
        row.hold_reason = hold_reason
    elif from_state == S.HELD.value and to_state is not S.VOIDED:
        row.hold_reason = None
    if void_reason is not None:
        row.void_reason = void_reason
    if ticket_sha256 is not None:
        row.ticket_pdf_sha256 = ticket_sha256
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(
            f"Administration {row.id} was changed by someone else at the same moment; reload it and try again.",
        ) from exc
    touch(row.visit)
    session.flush()
    now = dt.datetime.now(dt.UTC)
    add_state_change(session, row, from_state, row.state, user, reason, now)
    action = "void" if to_state is S.VOIDED else "state_change"
    append_event(session, actor=user, action=action, entity="administration", entity_id=row.id,
                 before=before, after=state_snapshot(row), occurred_at=now)
    session.flush()
    return TransitionOutcome(id=row.id, state=ChargeState(row.state), version=row.version)
