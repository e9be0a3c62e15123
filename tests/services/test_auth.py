"""Sign-in: argon2id hashes, wrong password, lock-out and its expiry, disabled accounts, all audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from db import models
from desktop.services import Store, verify_audit_chain
from desktop.services.errors import ServiceError
from desktop.services.facility.settings import FacilitySettings, save_facility_settings
from desktop.services.people.accounts import (
    change_own_password,
    create_first_administrator,
    list_users,
    needs_first_administrator,
    set_user_disabled,
    unlock_user,
)
from desktop.services.people.sign_in import WRONG, SignInError, record_sign_out, sign_in
from tests.services.people_fixtures import PASSWORD, fast_hasher, people

__all__ = ["fast_hasher", "people"]
T0 = dt.datetime(2026, 11, 29, 14, 0, tzinfo=dt.UTC)


def _actions(store: Store, username: str) -> list[str]:
    with store.session_scope(write=False) as session:
        return list(session.execute(
            select(models.AuditEvent.action).where(models.AuditEvent.entity == "user",
                                                   models.AuditEvent.entity_id == username)
            .order_by(models.AuditEvent.id)
        ).scalars())


def test_first_administrator_real_argon2id_hash(store: Store) -> None:
    assert needs_first_administrator(store)
    account = create_first_administrator(store, "Admin", PASSWORD, "Ada Admin")
    assert account.username == "admin" and account.role.value == "administrator"
    assert not needs_first_administrator(store)
    with store.session_scope(write=False) as session:
        stored = session.execute(select(models.User.password_hash).where(models.User.username == "admin")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert sign_in(store, "admin", PASSWORD).account.display_name == "Ada Admin"
    with pytest.raises(ServiceError, match="already exists"):
        create_first_administrator(store, "second", PASSWORD)


def test_wrong_password_and_unknown_user_say_the_same_and_are_audited(people: Store) -> None:
    with pytest.raises(SignInError, match=WRONG):
        sign_in(people, "nina", "not her password", "chair-3")
    with pytest.raises(SignInError, match=WRONG):
        sign_in(people, "nobody", "whatever1")
    assert _actions(people, "nina")[-1] == "login_failed"
    assert _actions(people, "nobody") == ["login_failed"]
    assert sign_in(people, "NINA ", PASSWORD).account.username == "nina"  # names are not case-sensitive
    assert _actions(people, "nina")[-1] == "login"
    assert verify_audit_chain(people).ok


def test_lock_out_after_five_failures_for_fifteen_minutes(people: Store) -> None:
    for attempt in range(4):
        with pytest.raises(SignInError, match=WRONG):
            sign_in(people, "nina", "wrong", now=T0 + dt.timedelta(seconds=attempt))
    with pytest.raises(SignInError, match="locked until") as caught:
        sign_in(people, "nina", "wrong", now=T0 + dt.timedelta(seconds=5))
    assert caught.value.locked_until == T0 + dt.timedelta(seconds=5, minutes=15)
    with pytest.raises(SignInError, match="locked until"):  # even the right password, while locked
        sign_in(people, "nina", PASSWORD, now=T0 + dt.timedelta(minutes=10))
    assert sign_in(people, "nina", PASSWORD, now=T0 + dt.timedelta(minutes=16)).account.failed_attempts == 0
    actions = _actions(people, "nina")
    assert actions.count("login_failed") == 5 and "lockout" in actions and "login_refused" in actions


def test_lock_out_is_configurable_and_an_administrator_can_unlock(people: Store) -> None:
    save_facility_settings(people, replace(FacilitySettings(), lockout_failures=3, lockout_minutes=60), "admin")
    for _ in range(2):
        with pytest.raises(SignInError, match=WRONG):
            sign_in(people, "bill", "wrong", now=T0)
    with pytest.raises(SignInError, match="about 60 minutes"):
        sign_in(people, "bill", "wrong", now=T0)
    assert next(u for u in list_users(people) if u.username == "bill").is_locked(T0)
    unlock_user(people, "bill", "admin")
    assert sign_in(people, "bill", PASSWORD, now=T0).account.username == "bill"


def test_disabled_account_cannot_sign_in(people: Store) -> None:
    set_user_disabled(people, "noah", True, "admin")
    with pytest.raises(SignInError, match="disabled"):
        sign_in(people, "noah", PASSWORD)
    set_user_disabled(people, "noah", False, "admin")
    sign_in(people, "noah", PASSWORD)


def test_change_own_password_and_sign_out_events(people: Store) -> None:
    with pytest.raises(ServiceError, match="current password is wrong"):
        change_own_password(people, "nina", "wrong", "a new password")
    with pytest.raises(ServiceError, match="at least 8"):
        change_own_password(people, "nina", PASSWORD, "short")
    change_own_password(people, "nina", PASSWORD, "a new password")
    with pytest.raises(SignInError):
        sign_in(people, "nina", PASSWORD)
    sign_in(people, "nina", "a new password")
    record_sign_out(people, "nina", "auto_lock", "chair-3")
    assert _actions(people, "nina")[-1] == "auto_lock"
    assert verify_audit_chain(people).ok
