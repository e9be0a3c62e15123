"""The doorway a page gets in tests: a facade for a person of a store with no accounts (anyone may act) and a hub."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.facade import AppFacade
from desktop.services.drafts import DraftStore
from desktop.services.identity import AuthMethod, SignedInPerson
from desktop.services.store import Store


def facade_for(store: Store, username: str, drafts: Path) -> AppFacade:
    """The facade of `username` on a store without accounts (bootstrap mode: the services allow everything)."""
    person = SignedInPerson(username=username, role=None, method=AuthMethod.BOOTSTRAP,
                            authenticated_at=dt.datetime.now(dt.UTC))
    return AppFacade(store, person, DraftStore(drafts),
                     str(getattr(store, "url", "")))
