"""Building an Administration page in a test as the main window does: the signed-in person's facade and a hub."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.facade import AppFacade
from desktop.services.demo import DEMO_ACCOUNTS
from desktop.services.drafts import DraftStore
from desktop.services.identity import AuthMethod, SignedInPerson, authenticate, has_accounts
from desktop.ui.operations import OperationHub


def signed_in(store: Any, username: str) -> SignedInPerson:
    """The person as the sign-in screen makes them (a demo account's password); on a database without accounts
    (bootstrap mode, where the services let any name act) a bootstrap person of that name."""
    if not has_accounts(store):
        return SignedInPerson(username, None, AuthMethod.BOOTSTRAP, dt.datetime.now(dt.UTC))
    password = next(p for u, p, _role, _name in DEMO_ACCOUNTS if u == username)
    return authenticate(store, username, password)


def doorway(store: Any, username: str, folder: Path) -> tuple[Callable[[], AppFacade], OperationHub]:
    """`(facade, hub)` for a page's constructor."""
    facade = AppFacade(store, signed_in(store, username), DraftStore(folder / "drafts"), str(store.url))
    return (lambda: facade), OperationHub()


def saved_words(qtbot: Any, page: Any) -> str:
    """Click the page's Save and wait for its words (the save runs off the GUI thread)."""
    page.message.clear()
    page.save.click()
    qtbot.waitUntil(lambda: bool(page.message.text()), timeout=10000)
    return str(page.message.text())


def loaded_settings(qtbot: Any, page: Any) -> None:
    """The settings page's `reload()`, waited for."""
    page.loaded = None
    page.reload()
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=10000)
