"""Who is acting: a signed-in person (who, role, how authenticated), made only by authenticating, never from a name.

The services take a `SignedInPerson` instead of a user name (see roles.require_person). One is made by
`authenticate` (user name and password, through sign_in: lock-out and audit included), `authenticate_token`
(a short-lived token a signed-in person was issued, `issue_token`), or `bootstrap_person` (a brand-new
database with no account and no records: anyone may set it up, and the CLI says so on stderr).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from db import models
from db.audit import append_event, context_of, lock_chain
from desktop.services.errors import ServiceError
from desktop.services.people.roles import Permission, Role, accounts_exist, may
from desktop.services.storage.store import Store

TOKEN_MINUTES = 15
MAX_TOKEN_MINUTES = 12 * 60
_TOKEN_PURPOSE = b"infusion-charge cli token v1\x00"


class AuthMethod(StrEnum):
    PASSWORD = "password"
    TOKEN = "token"
    BOOTSTRAP = "bootstrap (no accounts yet)"


class AuthenticationError(ServiceError):
    """Not signed in: the message says why (never whether a user name exists)."""


@dataclass(frozen=True, slots=True)
class SignedInPerson:
    """An authenticated person; `role` is None only in bootstrap mode, where everything is allowed."""

    username: str
    role: Role | None
    method: AuthMethod
    authenticated_at: dt.datetime
    workstation: str | None = None

    @property
    def is_bootstrap(self) -> bool:
        return self.method is AuthMethod.BOOTSTRAP

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)


Actor = str | SignedInPerson  # the services' `user` parameter while they move from names to signed-in people


def actor_name(who: Actor) -> str:
    """The name to record and check: a signed-in person's user name, or (until every caller passes a person)
    the name given."""
    return who.username if isinstance(who, SignedInPerson) else who


def database_is_brand_new(store: Store) -> bool:
    """No account and no stored charge or patient: the only state in which bootstrap mode is allowed."""
    with store.session_scope(write=False) as session:
        if accounts_exist(session):
            return False
        for table in (models.Administration, models.Patient):
            if session.execute(select(table.id).limit(1)).first() is not None:
                return False
    return True


def has_accounts(store: Store) -> bool:
    with store.session_scope(write=False) as session:
        return accounts_exist(session)


def bootstrap_person(store: Store, username: str) -> SignedInPerson:
    """Anyone, on a brand-new database only; AuthenticationError otherwise."""
    if has_accounts(store):
        raise AuthenticationError("This database has accounts: sign in with your user name and password.")
    if not database_is_brand_new(store):
        raise AuthenticationError(
            "This database has records but no accounts: create the first administrator "
            "(`infusion-charge account create-admin`) and sign in with it.")
    return SignedInPerson(username=username, role=None, method=AuthMethod.BOOTSTRAP,
                          authenticated_at=dt.datetime.now(dt.UTC))


def authenticate(store: Store, username: str, password: str, workstation: str | None = None) -> SignedInPerson:
    """The person when the password matches (audited; failures counted towards lock-out)."""
    from desktop.services.people.sign_in import SignInError, sign_in

    try:
        signed = sign_in(store, username, password, workstation)
    except SignInError as exc:
        raise AuthenticationError(str(exc)) from exc
    role = Role(signed.account.role) if signed.account.role else None
    if role is None:
        raise AuthenticationError("This account has no role: ask an administrator.")
    return SignedInPerson(username=signed.account.username, role=role, method=AuthMethod.PASSWORD,
                          authenticated_at=dt.datetime.now(dt.UTC), workstation=workstation)


def _token_secret(store: Store) -> bytes:
    with store.session_scope(write=False) as session:
        context = context_of(session)
    if context is None:
        raise AuthenticationError("the audit key of this database is not loaded: tokens cannot be checked")
    # Derived from the chain's signing key (outside the database), separate from the event MACs by purpose.
    return hmac.new(context.secret, _TOKEN_PURPOSE, hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(store: Store, person: SignedInPerson, minutes: int = TOKEN_MINUTES) -> str:
    """A token standing for `person` for `minutes` (audited); only a person who signed in with a password."""
    if person.method is not AuthMethod.PASSWORD:
        raise AuthenticationError("only a person who signed in with a password may be issued a token")
    if not 1 <= minutes <= MAX_TOKEN_MINUTES:
        raise AuthenticationError(f"a token lasts 1 to {MAX_TOKEN_MINUTES} minutes")
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    payload = json.dumps({"u": person.username, "exp": int(expires.timestamp()), "n": secrets.token_hex(8)},
                         separators=(",", ":")).encode("utf-8")
    mac = hmac.new(_token_secret(store), payload, hashlib.sha256).digest()
    with store.session_scope() as session:
        lock_chain(session)
        append_event(session, actor=person.username, action="token_issued", entity="user",
                     entity_id=person.username, before=None,
                     after={"expires_at": expires.isoformat(timespec="seconds"), "workstation": person.workstation})
    return f"{_encode(payload)}.{_encode(mac)}"


def authenticate_token(store: Store, token: str, workstation: str | None = None) -> SignedInPerson:
    """The person a valid, unexpired token was issued to, with the role their account has now."""
    refused = AuthenticationError("The sign-in token is not valid (expired, altered or for another database).")
    try:
        payload_text, mac_text = token.strip().split(".")
        payload, mac = _decode(payload_text), _decode(mac_text)
        claims = json.loads(payload)
        username, expires = str(claims["u"]), int(claims["exp"])
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise refused from exc
    if not hmac.compare_digest(hmac.new(_token_secret(store), payload, hashlib.sha256).digest(), mac):
        raise refused
    if dt.datetime.now(dt.UTC).timestamp() >= expires:
        raise AuthenticationError("The sign-in token has expired: sign in again.")
    with store.session_scope(write=False) as session:
        row = session.execute(select(models.User).where(models.User.username == username)).scalar_one_or_none()
        if row is None or row.password_hash is None or row.role is None or row.disabled:
            raise AuthenticationError(f"The account {username!r} can no longer sign in: ask an administrator.")
        role = Role(row.role)
    return SignedInPerson(username=username, role=role, method=AuthMethod.TOKEN,
                          authenticated_at=dt.datetime.now(dt.UTC), workstation=workstation)
