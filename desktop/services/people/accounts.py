"""Accounts: the first administrator, creating and disabling users, roles and passwords (argon2id), all audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from desktop.services.errors import NotFoundError, ServiceError
from desktop.services.people.identity import Actor, actor_name
from desktop.services.people.roles import ROLE_LABELS, Permission, Role, accounts_exist, require
from desktop.services.storage.store import Store
from desktop.services.validation import check_text

MIN_PASSWORD_LENGTH = 8
USERNAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
HASHER = PasswordHasher()  # argon2id with the library's current recommended cost


@dataclass(frozen=True, slots=True)
class AccountView:
    username: str
    display_name: str
    role: Role
    disabled: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    created_at: dt.datetime

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or dt.datetime.now(dt.UTC))


def account_view(row: models.User) -> AccountView:
    return AccountView(
        username=row.username, display_name=row.display_name or row.username, role=Role(row.role or "nurse"),
        disabled=row.disabled, locked_until=row.locked_until, failed_attempts=row.failed_attempts,
        created_at=row.created_at,
    )


def check_username(username: str) -> str:
    name = check_text(username, "the user name", 60).lower()
    if len(name) < 2 or not set(name) <= USERNAME_CHARACTERS:
        raise ServiceError("A user name is 2 to 60 lower-case letters, digits, dots, dashes or underscores, "
                           "e.g. jsmith.")
    return name


def check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if password.strip().lower() == username.lower():
        raise ServiceError("The password must not be the user name.")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def account_row(session: Session, username: str) -> models.User | None:
    row = session.execute(select(models.User).where(models.User.username == username)).scalar_one_or_none()
    return row if row is not None and row.password_hash is not None else None


def _existing_account(session: Session, username: str) -> models.User:
    row = account_row(session, username)
    if row is None:
        raise NotFoundError(f"There is no account {username!r}.")
    return row


def _snapshot(row: models.User) -> dict[str, object]:
    """What the audit trail keeps of an account (never the password hash)."""
    return {"username": row.username, "display_name": row.display_name, "role": row.role, "disabled": row.disabled}


def _put_account(session: Session, username: str, password: str, role: Role, display_name: str,
                 actor: str) -> AccountView:
    now = dt.datetime.now(dt.UTC)
    row = session.execute(select(models.User).where(models.User.username == username)).scalar_one_or_none()
    if row is not None and row.password_hash is not None:
        raise ServiceError(f"There is already an account {username!r}.")
    if row is None:  # a name already seen in the records (e.g. from the command line) becomes the account
        row = models.User(username=username, created_at=now)
        session.add(row)
    row.display_name = display_name.strip() or None
    row.role = role.value
    row.password_hash = hash_password(password)
    row.password_changed_at = now
    row.disabled, row.failed_attempts, row.locked_until = False, 0, None
    session.flush()
    append_event(session, actor=actor, action="create_account", entity="user", entity_id=username,
                 before=None, after=_snapshot(row), occurred_at=now)
    return account_view(row)


def needs_first_administrator(store: Store) -> bool:
    """True on first run: no account exists yet (see desktop.services.people.roles for bootstrap mode)."""
    with store.session_scope(write=False) as session:
        return not accounts_exist(session)


def create_first_administrator(store: Store, username: str, password: str, display_name: str = "") -> AccountView:
    """The first account, an administrator; refused once any account exists."""
    username = check_username(username)
    check_password(password, username)
    with store.session_scope() as session:
        lock_chain(session)  # serializes two first-run wizards racing on a shared database
        if accounts_exist(session):
            raise ServiceError("An administrator already exists: sign in, or ask an administrator for an account.")
        return _put_account(session, username, password, Role.ADMINISTRATOR, display_name, username)


def create_user(store: Store, username: str, password: str, role: Role, user: Actor,
                display_name: str = "") -> AccountView:
    """A new account (administrators only)."""
    user = actor_name(user)
    username = check_username(username)
    check_password(password, username)
    role = Role(role)
    with store.session_scope() as session:
        lock_chain(session)
        require(session, user, Permission.MANAGE_USERS)
        return _put_account(session, username, password, role, display_name, user)


def list_users(store: Store, include_disabled: bool = True) -> list[AccountView]:
    """Every account, by user name (names only seen in records are not accounts and are left out)."""
    query = select(models.User).where(models.User.password_hash.is_not(None)).order_by(models.User.username)
    if not include_disabled:
        query = query.where(models.User.disabled.is_(False))
    with store.session_scope(write=False) as session:
        return [account_view(r) for r in session.execute(query).scalars()]


def _active_administrators(session: Session) -> int:
    rows = session.execute(select(models.User).where(
        models.User.role == Role.ADMINISTRATOR.value, models.User.disabled.is_(False),
        models.User.password_hash.is_not(None),
    )).scalars().all()
    return len(rows)


def _change(store: Store, username: str, who: Actor, action: str, change: str, **values: object) -> AccountView:
    user = actor_name(who)
    with store.session_scope() as session:
        lock_chain(session)
        require(session, user, Permission.MANAGE_USERS)
        row = _existing_account(session, username)
        before = _snapshot(row)
        losing_admin = row.role == Role.ADMINISTRATOR.value and not row.disabled and (
            values.get("disabled") is True or values.get("role", Role.ADMINISTRATOR.value) != Role.ADMINISTRATOR.value
        )
        if losing_admin and _active_administrators(session) <= 1:
            raise ServiceError(f"{username} is the only active administrator; make another administrator first.")
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        append_event(session, actor=user, action=action, entity="user", entity_id=username,
                     before=before, after=_snapshot(row) | {"change": change})
        return account_view(row)


def set_user_disabled(store: Store, username: str, disabled: bool, user: Actor) -> AccountView:
    """Disable an account (it can no longer sign in or act) or enable it again."""
    action = "disable_account" if disabled else "enable_account"
    return _change(store, username, user, action, action.replace("_", " "), disabled=disabled)


def change_role(store: Store, username: str, role: Role, user: Actor) -> AccountView:
    role = Role(role)
    return _change(store, username, user, "change_role", f"role {role.value}", role=role.value)


def unlock_user(store: Store, username: str, user: Actor) -> AccountView:
    """Clear a lock-out before it runs out."""
    return _change(store, username, user, "unlock_account", "unlocked", failed_attempts=0, locked_until=None)


def reset_password(store: Store, username: str, new_password: str, user: Actor) -> AccountView:
    """An administrator sets a new password for someone (who should change it at next sign-in)."""
    check_password(new_password, username)
    return _change(store, username, user, "reset_password", "password reset", password_hash=hash_password(new_password),
                   password_changed_at=dt.datetime.now(dt.UTC), failed_attempts=0, locked_until=None)


def change_own_password(store: Store, username: str, old_password: str, new_password: str) -> AccountView:
    """A person changes their own password, proving the old one."""
    from argon2.exceptions import VerificationError

    check_password(new_password, username)
    with store.session_scope() as session:
        lock_chain(session)
        row = _existing_account(session, username)
        try:
            HASHER.verify(row.password_hash or "", old_password)
        except VerificationError as exc:
            raise ServiceError("The current password is wrong; the password was not changed.") from exc
        row.password_hash = hash_password(new_password)
        row.password_changed_at = dt.datetime.now(dt.UTC)
        append_event(session, actor=username, action="change_password", entity="user", entity_id=username,
                     before=None, after={"username": username})
        return account_view(row)
