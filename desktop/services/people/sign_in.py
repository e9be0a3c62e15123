"""Signing in: password check (argon2id), lock-out after repeated failures, every attempt in the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from db.audit import append_event, lock_chain
from desktop.services.errors import ServiceError
from desktop.services.facility.settings import read_facility_settings
from desktop.services.people.accounts import HASHER, AccountView, account_row, account_view, hash_password
from desktop.services.storage.store import Store

SIGN_OUT_REASONS = ("sign_out", "switch_user", "auto_lock")
WRONG = "The user name or password is wrong."
# Verifying against this keeps an unknown user name as slow as a wrong password, so timing tells nothing. It is
# written out (hashing it at import took a third of a second of every start); should the hasher's cost change,
# the check below (string parsing only) hashes a new one with the new cost.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$swbzKeZ5R12zVDa5v+fVSg$uy7FnYGDFTHVmu7T1jT6BsivrZutIsIRGyw49OUki0Y"
if HASHER.check_needs_rehash(_DUMMY_HASH):  # pragma: no cover - only after the library changes its defaults
    _DUMMY_HASH = hash_password("not a password of anyone")


class SignInError(ServiceError):
    """Sign-in refused; the message is safe to show (it never says whether the user name exists)."""

    def __init__(self, message: str, *, locked_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True, slots=True)
class SignedIn:
    account: AccountView
    auto_lock_minutes: int


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    local = until.astimezone()
    return (f"Too many wrong passwords: this account is locked until {local:%H:%M} "
            f"(about {minutes} minute{'s' if minutes != 1 else ''}). An administrator can unlock it sooner.")


def _event(session: Session, action: str, username: str, now: dt.datetime, **after: object) -> None:
    append_event(session, actor=username, action=action, entity="user", entity_id=username, before=None,
                 after=after, occurred_at=now)


def sign_in(store: Store, username: str, password: str, workstation: str | None = None,
            now: dt.datetime | None = None) -> SignedIn:
    """The account when the password matches; SignInError (in words) otherwise. Failures are audited and
    counted: the facility's lock-out count in a row locks the account for its lock-out minutes."""
    name = (username or "").strip().lower()[:120]
    now = now or dt.datetime.now(dt.UTC)
    if not name or not password:
        raise SignInError("Enter your user name and password.")
    refusal: SignInError | None = None
    with store.session_scope() as session:
        lock_chain(session)  # one writer: the failure count and the chain stay consistent
        settings = read_facility_settings(session)
        row = account_row(session, name)
        if row is None:
            _verify(_DUMMY_HASH, password)
            _event(session, "login_failed", name, now, workstation=workstation, reason="unknown user")
            refusal = SignInError(WRONG)
        elif row.locked_until is not None and row.locked_until > now:
            _event(session, "login_refused", name, now, workstation=workstation, reason="locked out")
            refusal = SignInError(_locked_message(row.locked_until, now), locked_until=row.locked_until)
        elif not _verify(row.password_hash or "", password):
            row.failed_attempts = (row.failed_attempts if row.locked_until is None else 0) + 1
            row.locked_until = None
            reason = f"wrong password ({row.failed_attempts} in a row)"
            _event(session, "login_failed", name, now, workstation=workstation, reason=reason)
            refusal = SignInError(WRONG)
            if row.failed_attempts >= settings.lockout_failures:
                row.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
                _event(session, "lockout", name, now, workstation=workstation,
                       locked_until=row.locked_until.isoformat(), failures=row.failed_attempts)
                refusal = SignInError(_locked_message(row.locked_until, now), locked_until=row.locked_until)
        elif row.disabled:
            _event(session, "login_refused", name, now, workstation=workstation, reason="disabled")
            refusal = SignInError("This account is disabled: ask an administrator.")
        else:
            if HASHER.check_needs_rehash(row.password_hash or ""):
                row.password_hash = hash_password(password)
            row.failed_attempts, row.locked_until = 0, None
            _event(session, "login", name, now, workstation=workstation)
            return SignedIn(account_view(row), settings.auto_lock_minutes)
    # the failure was committed with its audit event before the refusal is raised
    assert refusal is not None
    raise refusal


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def record_sign_out(store: Store, username: str, reason: str, workstation: str | None = None) -> None:
    """Audit a sign-out, a switch of user or an automatic lock ("sign_out", "switch_user", "auto_lock")."""
    if reason not in SIGN_OUT_REASONS:
        raise ServiceError(f"{reason!r} is not a way of signing out")
    with store.session_scope() as session:
        lock_chain(session)
        _event(session, reason, username, dt.datetime.now(dt.UTC), workstation=workstation)
