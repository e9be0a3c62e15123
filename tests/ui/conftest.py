"""Fixtures for the chairside screen: a real SQLite store in a temp folder and the themed main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.services.visits.drafts import DraftStore
from desktop.ui.backend import ChairBackend
from desktop.ui.main_window import MainWindow
from desktop.ui.theme import apply_theme

NURSE = "nurse.kim"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[object]:
    from desktop.services.storage.store import open_store

    opened = open_store(f"sqlite:///{tmp_path / 'charges.db'}")
    yield opened
    opened.close()


@pytest.fixture
def backend(store: object, tmp_path: Path) -> ChairBackend:
    return ChairBackend(store=store, user=NURSE, drafts=DraftStore(tmp_path / "drafts"),
                        database_label=str(getattr(store, "url", "")))


@pytest.fixture
def window(qtbot: object, backend: ChairBackend) -> MainWindow:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    main = MainWindow(backend)
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    main.resize(1600, 1000)
    main.show()
    qtbot.waitExposed(main)  # type: ignore[attr-defined]
    return main
