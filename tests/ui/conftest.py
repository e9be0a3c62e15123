"""Fixtures for the chairside screen: a real SQLite store in a temp folder and the themed main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.facade import AppFacade
from desktop.services.visits.drafts import DraftStore
from desktop.ui.main_window import MainWindow
from desktop.ui.theme import apply_theme

NURSE = "nurse.kim"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[object]:
    from desktop.services.storage.store import open_store

    opened = open_store(f"sqlite:///{tmp_path / 'charges.db'}")
    yield opened
    opened.close()


def facade_of(store: object, user: str, drafts: DraftStore, label: str | None = None) -> AppFacade:
    """The doorway of `user` (signed in by name: these tests are not about passwords)."""
    import datetime as dt

    from desktop.services.people.identity import AuthMethod, SignedInPerson
    from desktop.services.people.roles import role_of

    with store.session_scope(write=False) as session:  # type: ignore[attr-defined]
        role = role_of(session, user)
    method = AuthMethod.PASSWORD if role is not None else AuthMethod.BOOTSTRAP  # no accounts yet
    person = SignedInPerson(user, role, method, dt.datetime.now(dt.UTC))
    return AppFacade(store, person, drafts, label if label is not None else str(getattr(store, "url", "")))  # type: ignore[arg-type]


def open_window(qtbot: object, facade: AppFacade) -> MainWindow:
    """The main window of `facade`, shown, once it knows which areas the person may use."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    main = MainWindow(facade)
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    main.resize(1600, 1000)
    main.show()
    qtbot.waitExposed(main)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: main.permissions_known, timeout=5000)  # type: ignore[attr-defined]
    return main


@pytest.fixture
def facade(store: object, tmp_path: Path) -> AppFacade:
    return facade_of(store, NURSE, DraftStore(tmp_path / "drafts"))


@pytest.fixture
def window(qtbot: object, facade: AppFacade) -> MainWindow:
    return open_window(qtbot, facade)

