"""Roles and what each may do, checked by the services themselves (not only hidden on screens).

Bootstrap mode: while the database has no account (no user with a password;
a database used only from the command line, or by tests), nothing is checked
and any user name may act. Once the first administrator exists, every
service call names an account: an unknown or disabled user is refused, and
a role may do only what `ROLE_PERMISSIONS` lists.

The command line authenticates too (desktop/cli/identity.py): a password or a
short-lived token makes a `SignedInPerson` (desktop/services/people/identity.py), and
`require_person` checks what that person may do. Bootstrap mode is open to the
command line only on a brand-new database (no account and no records).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from desktop.records.charge_states import UNVERIFIED_STATES, ChargeState, state_name
from desktop.services.errors import ServiceError
from desktop.services.storage.store import Store

if TYPE_CHECKING:
    from desktop.services.people.identity import SignedInPerson


class Role(StrEnum):
    NURSE = "nurse"
    CHARGE_ENTRY = "charge_entry"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.NURSE: "Nurse", Role.CHARGE_ENTRY: "Charge entry", Role.ADMINISTRATOR: "Administrator"}


class Permission(StrEnum):
    RECORD = "record administrations"
    VIEW_DAY = "see the day's records"
    VOID_OWN_UNVERIFIED = "void their own records that are not yet verified"
    REVIEW = "work the review queue"
    VERIFY = "verify charges"
    HOLD = "hold charges"
    RELEASE = "release held charges"
    PRINT_TICKET = "print charge tickets"
    POST = "post charges"
    VOID = "void any charge"
    CORRECT = "correct (void and replace) any charge"
    EXPORT = "export charges"
    REPORTS = "run reports"
    MANAGE_USERS = "manage users and roles"
    MANAGE_SETTINGS = "change the facility settings"
    MANAGE_CATALOG = "maintain the drug catalog"
    VIEW_AUDIT = "read the audit trail"
    BACKUP_RESTORE = "back up and restore the database"


P = Permission
NURSE_PERMISSIONS = frozenset({P.RECORD, P.VIEW_DAY, P.VOID_OWN_UNVERIFIED})
CHARGE_ENTRY_PERMISSIONS = frozenset({
    P.VIEW_DAY, P.REVIEW, P.VERIFY, P.HOLD, P.RELEASE, P.PRINT_TICKET, P.POST, P.VOID,
    P.CORRECT, P.EXPORT, P.REPORTS,
})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.NURSE: NURSE_PERMISSIONS,
    Role.CHARGE_ENTRY: CHARGE_ENTRY_PERMISSIONS,
    Role.ADMINISTRATOR: frozenset(Permission),
}


class PermissionDeniedError(ServiceError):
    """The signed-in person's role may not do this; the message says who, what and why."""

    def __init__(self, message: str, *, user: str, permission: Permission) -> None:
        super().__init__(message)
        self.user = user
        self.permission = permission


def accounts_exist(session: Session) -> bool:
    """False in bootstrap mode (see the module text)."""
    query = select(models.User.id).where(models.User.password_hash.is_not(None)).limit(1)
    return session.execute(query).first() is not None


def role_of(session: Session, user: str) -> Role | None:
    """The user's role; None in bootstrap mode. Raises PermissionDeniedError for an unknown or disabled user."""
    if not accounts_exist(session):
        return None
    row = session.execute(select(models.User).where(models.User.username == user)).scalar_one_or_none()
    if row is None or row.password_hash is None or row.role is None:
        raise PermissionDeniedError(
            f"{user!r} is not a user of this system: ask an administrator to create an account.",
            user=user, permission=P.VIEW_DAY,
        )
    if row.disabled:
        raise PermissionDeniedError(f"The account {user!r} is disabled: ask an administrator.",
                                    user=user, permission=P.VIEW_DAY)
    return Role(row.role)


def may(role: Role | None, permission: Permission) -> bool:
    return role is None or permission in ROLE_PERMISSIONS[role]


def require(session: Session, user: str, permission: Permission) -> Role | None:
    """The user's role when it allows `permission` (None in bootstrap mode); else PermissionDeniedError."""
    role = role_of(session, user)
    if not may(role, permission):
        assert role is not None
        allowed = [ROLE_LABELS[r].lower() for r, perms in ROLE_PERMISSIONS.items() if permission in perms]
        raise PermissionDeniedError(
            f"{user} is signed in as {role.label.lower()}, and only {' or '.join(allowed)} users may "
            f"{permission.value}.", user=user, permission=permission,
        )
    return role


def require_person(session: Session, person: SignedInPerson, permission: Permission) -> Role | None:
    """`require` for an authenticated person: the account is read again (disabled or changed since sign-in)."""
    return require(session, person.username, permission)


def check_person(store: Store, person: SignedInPerson, permission: Permission) -> Role | None:
    with store.session_scope(write=False) as session:
        return require_person(session, person, permission)


def require_change_to_record(
    session: Session, user: str, record: models.Administration, permission: Permission
) -> None:
    """`permission` (VOID or CORRECT) on any record, or a nurse's own record that is not yet verified."""
    role = role_of(session, user)
    if may(role, permission):
        return
    assert role is not None
    if may(role, P.VOID_OWN_UNVERIFIED):
        if record.recorded_by != user:
            raise PermissionDeniedError(
                f"Administration {record.id} was recorded by {record.recorded_by}; a {role.label.lower()} may "
                "void or correct only their own records. Ask charge entry.", user=user, permission=permission)
        if record.state not in UNVERIFIED_STATES:
            raise PermissionDeniedError(
                f"Administration {record.id} is already {state_name(ChargeState(record.state))}; a "
                f"{role.label.lower()} may void or correct it only before it is verified. Ask charge entry.",
                user=user, permission=permission)
        return
    require(session, user, permission)  # raises with the general message


def check_permission(store: Store, user: str, permission: Permission) -> Role | None:
    """For services without their own check (exports, reports, review): refuse early, in words."""
    with store.session_scope(write=False) as session:
        return require(session, user, permission)


def permissions_of(store: Store, user: str) -> frozenset[Permission]:
    """What the user may do (everything in bootstrap mode), so screens can hide what would be refused."""
    with store.session_scope(write=False) as session:
        role = role_of(session, user)
    return frozenset(Permission) if role is None else ROLE_PERMISSIONS[role]
