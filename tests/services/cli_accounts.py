"""CLI tests sign in like people: the OS user as administrator, nurses and a biller, all with one password.

`cli_accounts(url, monkeypatch)` creates the accounts (cheap argon2id cost) and puts the password in
$INFUSION_CHARGE_PASSWORD, the way a script would.
"""

from __future__ import annotations

import pytest

from desktop.cli.identity import ENV_PASSWORD, os_user
from desktop.services import open_store
from desktop.services.people.accounts import create_first_administrator, create_user, needs_first_administrator
from desktop.services.people.roles import Role
from tests.services.people_fixtures import FAST, PASSWORD

NURSES = ("rn.a", "rn.patel", "nina")
BILLERS = ("biller", "bill", "charge.entry")


def use_fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.services.people.accounts as users
    import desktop.services.people.sign_in as auth

    monkeypatch.setattr(users, "HASHER", FAST)
    monkeypatch.setattr(auth, "HASHER", FAST)


def cli_accounts(url: str, monkeypatch: pytest.MonkeyPatch, password: str = PASSWORD) -> str:
    """The accounts above in the database at `url`; the OS user's name is returned (the default --user)."""
    use_fast_hasher(monkeypatch)
    admin = os_user().strip().lower()
    store = open_store(url)
    try:
        if needs_first_administrator(store):
            create_first_administrator(store, admin, password, "Test Administrator")
            for name in NURSES:
                create_user(store, name, password, Role.NURSE, admin)
            for name in BILLERS:
                create_user(store, name, password, Role.CHARGE_ENTRY, admin)
            if admin != "admin":  # tests that name the administrator "admin" find one
                create_user(store, "admin", password, Role.ADMINISTRATOR, admin)
    finally:
        store.close()
    monkeypatch.setenv(ENV_PASSWORD, password)
    return admin
