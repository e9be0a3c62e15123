"""Every action is refused, in words, for a role that may not do it (SQLite and PostgreSQL); bootstrap mode."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest

from desktop.services import (
    Store,
    hold_administration,
    mark_ticket_printed,
    post_administration,
    record_administration,
    release_hold,
    verify_administration,
    void_administration,
    void_and_replace,
)
from desktop.services.facility.catalog import save_catalog_entry
from desktop.services.facility.settings import FacilitySettings, save_facility_settings
from desktop.services.people.accounts import (
    change_role,
    create_user,
    reset_password,
    set_user_disabled,
    unlock_user,
)
from desktop.services.people.roles import Permission, PermissionDeniedError, Role, check_permission, permissions_of
from tests.services.conftest import make_request
from tests.services.people_fixtures import PASSWORD, fast_hasher, people
from tests.services.test_settings_catalog import NEW_PACKAGE

__all__ = ["fast_hasher", "people"]
SHA = "a" * 64
Action = Callable[[Store, int, str], object]


def _new_request() -> object:
    return make_request(request_id=str(uuid.uuid4()))


ACTIONS: dict[str, Action] = {
    "record": lambda s, i, u: record_administration(s, _new_request(), u),  # type: ignore[arg-type]
    "verify": lambda s, i, u: verify_administration(s, i, u),
    "hold": lambda s, i, u: hold_administration(s, i, "check dose", u),
    "release": lambda s, i, u: release_hold(s, i, u),
    "print_ticket": lambda s, i, u: mark_ticket_printed(s, i, SHA, u),
    "post": lambda s, i, u: post_administration(s, i, u),
    "void_others": lambda s, i, u: void_administration(s, i, "wrong patient", u),
    "correct_others": lambda s, i, u: void_and_replace(s, i, "wrong dose", _new_request(), u),  # type: ignore[arg-type]
    "settings": lambda s, i, u: save_facility_settings(s, FacilitySettings(facility_name="X"), u),
    "create_user": lambda s, i, u: create_user(s, "newbie", PASSWORD, Role.NURSE, u),
    "change_role": lambda s, i, u: change_role(s, "noah", Role.ADMINISTRATOR, u),
    "disable_user": lambda s, i, u: set_user_disabled(s, "noah", True, u),
    "unlock_user": lambda s, i, u: unlock_user(s, "noah", u),
    "reset_password": lambda s, i, u: reset_password(s, "noah", "another password", u),
    "export": lambda s, i, u: check_permission(s, u, Permission.EXPORT),
    "reports": lambda s, i, u: check_permission(s, u, Permission.REPORTS),
    "review": lambda s, i, u: check_permission(s, u, Permission.REVIEW),
    "audit": lambda s, i, u: check_permission(s, u, Permission.VIEW_AUDIT),
    "catalog": lambda s, i, u: save_catalog_entry(s, NEW_PACKAGE, u, adding=True),
}
ADMIN_ONLY = ("settings", "create_user", "change_role", "disable_user", "unlock_user", "reset_password", "audit",
              "catalog")
REFUSED = [("nina", a) for a in ACTIONS if a != "record"] + [("bill", a) for a in ("record", *ADMIN_ONLY)]


def _noahs_record(store: Store) -> int:
    """A record of another nurse (noah), still recorded (the same drug again that day: a split dose)."""
    request = make_request(request_id=str(uuid.uuid4()), split_dose_reason="second half of the dose")
    return record_administration(store, request, "noah").id


@pytest.mark.parametrize(("user", "action"), REFUSED, ids=[f"{u}-{a}" for u, a in REFUSED])
def test_refused_for_a_role_that_may_not(people: Store, user: str, action: str) -> None:
    record_id = _noahs_record(people)
    with pytest.raises(PermissionDeniedError) as caught:
        ACTIONS[action](people, record_id, user)
    message = str(caught.value)
    assert user in message or "noah" in message
    assert "may" in message  # says why, in words


@pytest.mark.parametrize("user", ["admin", "bill"])
def test_charge_entry_and_administrator_work_a_charge_through(people: Store, user: str) -> None:
    record_id = _noahs_record(people)
    hold_administration(people, record_id, "check dose", user)
    release_hold(people, record_id, user)
    verify_administration(people, record_id, user)
    mark_ticket_printed(people, record_id, SHA, user)
    assert post_administration(people, record_id, user).state.value == "posted"
    void_administration(people, record_id, "posted to the wrong account", user)
    check_permission(people, user, Permission.EXPORT)


def test_nurse_voids_and_corrects_only_her_own_unverified_records(people: Store) -> None:
    own = record_administration(people, _new_request(), "nina").id  # type: ignore[arg-type]
    outcome = void_and_replace(people, own, "wrong dose", _new_request(), "nina")  # type: ignore[arg-type]
    void_administration(people, outcome.id, "patient left", "nina")
    verified = record_administration(people, _new_request(), "nina").id  # type: ignore[arg-type]
    verify_administration(people, verified, "bill")
    with pytest.raises(PermissionDeniedError, match="already verified"):
        void_administration(people, verified, "oops", "nina")
    with pytest.raises(PermissionDeniedError, match="was recorded by noah"):
        void_administration(people, _noahs_record(people), "oops", "nina")


def test_unknown_and_disabled_users_are_refused_once_accounts_exist(people: Store) -> None:
    with pytest.raises(PermissionDeniedError, match="not a user of this system"):
        record_administration(people, _new_request(), "stranger")  # type: ignore[arg-type]
    set_user_disabled(people, "nina", True, "admin")
    with pytest.raises(PermissionDeniedError, match="disabled"):
        record_administration(people, _new_request(), "nina")  # type: ignore[arg-type]


def test_the_last_administrator_cannot_be_demoted_or_disabled(people: Store) -> None:
    with pytest.raises(Exception, match="only active administrator"):
        change_role(people, "admin", Role.NURSE, "admin")
    with pytest.raises(Exception, match="only active administrator"):
        set_user_disabled(people, "admin", True, "admin")
    change_role(people, "bill", Role.ADMINISTRATOR, "admin")
    assert change_role(people, "admin", Role.NURSE, "bill").role is Role.NURSE


def test_bootstrap_mode_checks_nothing_until_an_account_exists(store: Store) -> None:
    record_id = record_administration(store, make_request(), "anyone").id
    verify_administration(store, record_id, "someone else")
    assert permissions_of(store, "anyone") == frozenset(Permission)
    save_facility_settings(store, replace(FacilitySettings(), facility_name="Bootstrap"), "cli")
