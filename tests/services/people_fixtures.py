"""Accounts for people tests: a cheap argon2id cost (the real cost is exercised in test_auth) and one of each role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from desktop.services import Store
from desktop.services.people.accounts import create_first_administrator, create_user
from desktop.services.people.roles import Role

PASSWORD = "correct horse battery"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import desktop.services.people.accounts as users
    import desktop.services.people.sign_in as auth

    monkeypatch.setattr(users, "HASHER", FAST)
    monkeypatch.setattr(auth, "HASHER", FAST)
    yield


@pytest.fixture
def people(store: Store, fast_hasher: None) -> Store:
    """admin (administrator), nina and noah (nurses), bill (charge entry), all with PASSWORD."""
    create_first_administrator(store, "admin", PASSWORD, "Ada Admin")
    create_user(store, "nina", PASSWORD, Role.NURSE, "admin", "Nina Nurse")
    create_user(store, "noah", PASSWORD, Role.NURSE, "admin", "Noah Nurse")
    create_user(store, "bill", PASSWORD, Role.CHARGE_ENTRY, "admin", "Bill Biller")
    return store
