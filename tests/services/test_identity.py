"""The signed-in person: made only by authenticating (password, token, bootstrap on a brand-new database)."""

from __future__ import annotations

import dataclasses

import pytest

from desktop.services import Store, record_administration
from desktop.services.people.accounts import create_user
from desktop.services.people.identity import (
    AuthenticationError,
    AuthMethod,
    SignedInPerson,
    authenticate,
    authenticate_token,
    bootstrap_person,
    issue_token,
)
from desktop.services.people.roles import Permission, Role
from tests.services.conftest import make_request
from tests.services.people_fixtures import PASSWORD, fast_hasher, people

__all__ = ["fast_hasher", "people"]


def test_a_password_makes_a_frozen_person_with_the_accounts_role(people: Store) -> None:
    nina = authenticate(people, "Nina", PASSWORD, "ws-3")
    assert (nina.username, nina.role, nina.method, nina.workstation) == ("nina", Role.NURSE, AuthMethod.PASSWORD,
                                                                         "ws-3")
    assert nina.may(Permission.RECORD) and not nina.may(Permission.EXPORT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        nina.role = Role.ADMINISTRATOR  # type: ignore[misc]
    with pytest.raises(AuthenticationError, match="wrong"):
        authenticate(people, "nina", "not it")


def test_services_take_the_person_instead_of_a_name(people: Store) -> None:
    admin = authenticate(people, "admin", PASSWORD)
    account = create_user(people, "nora", PASSWORD, Role.NURSE, admin)
    assert account.role == Role.NURSE


def test_bootstrap_is_for_a_brand_new_database_only(store: Store) -> None:
    person = bootstrap_person(store, "setup")
    assert person.is_bootstrap and person.role is None and person.may(Permission.BACKUP_RESTORE)
    record_administration(store, make_request(), "setup")
    with pytest.raises(AuthenticationError, match="records but no accounts"):
        bootstrap_person(store, "setup")


def test_bootstrap_is_refused_once_accounts_exist(people: Store) -> None:
    with pytest.raises(AuthenticationError, match="has accounts"):
        bootstrap_person(people, "anyone")


def test_a_token_is_issued_only_after_a_password_and_keeps_the_current_role(people: Store) -> None:
    bill = authenticate(people, "bill", PASSWORD)
    token = issue_token(people, bill, minutes=5)
    again = authenticate_token(people, token)
    assert (again.username, again.role, again.method) == ("bill", Role.CHARGE_ENTRY, AuthMethod.TOKEN)
    with pytest.raises(AuthenticationError):
        issue_token(people, again)  # a token does not make another token
    forged = SignedInPerson("bill", Role.ADMINISTRATOR, AuthMethod.BOOTSTRAP, bill.authenticated_at)
    with pytest.raises(AuthenticationError):
        issue_token(people, forged)
    with pytest.raises(AuthenticationError, match="not valid"):
        authenticate_token(people, token.replace(".", "x.", 1))
