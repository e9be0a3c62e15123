"""Issue 16 at start-up: the first window (sign-in, or the first-run wizard on a new database) shows before the
store opens, without SQLAlchemy, Alembic, argon2, ReportLab, hl7apy or the FHIR models loaded; the store opens
behind it; a wrong guess of which window is put right; a database that cannot be opened says so over it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui import app as startup
from desktop.ui.app import STARTUP_WATCHERS, run_app

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "argon2", "reportlab", "hl7apy", "fhir", "desktop.services.storage.store",
         "desktop.ui.main_window")
ADMIN, PASSWORD = "ada.admin", "a long enough password"


@pytest.fixture
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts and the program's log in the test's folder, not this account's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("INFUSION_CHARGE_LOG_FOLDER", str(tmp_path / "log"))


@pytest.fixture
def stages() -> Iterator[list[tuple[str, QWidget, bool]]]:
    """(stage, window, store open at that moment) as run_app reached them."""
    seen: list[tuple[str, QWidget, bool]] = []

    def watcher(stage: str, window: QWidget) -> None:
        seen.append((stage, window, _has_store(window)))

    STARTUP_WATCHERS.append(watcher)
    yield seen
    STARTUP_WATCHERS.remove(watcher)
    QThreadPool.globalInstance().waitForDone(10_000)


def _has_store(window: QWidget) -> bool:
    holder = getattr(window, "form", window)
    return getattr(holder, "workstation", None) is not None


def _act(on: str, action: Callable[[QWidget], None]) -> None:
    """Do `action` with the window the first time start-up reaches stage `on`."""
    done: list[bool] = []

    def watcher(stage: str, window: QWidget) -> None:
        if stage == on and not done:
            done.append(True)
            QTimer.singleShot(0, lambda: action(window))

    STARTUP_WATCHERS.append(watcher)


def _database_with_an_administrator(path: Path) -> str:
    from desktop.services.people.accounts import create_first_administrator
    from desktop.services.storage.store import open_store

    url = f"sqlite:///{path}"
    store = open_store(url)
    create_first_administrator(store, ADMIN, PASSWORD, "Ada Admin")
    store.close()
    return url


def _sign_in(window: QWidget) -> None:
    form = window.form  # type: ignore[attr-defined]
    form.username.setText(ADMIN)
    form.password.setText(PASSWORD)
    form.submit.click()


def test_the_first_window_shows_before_the_store_and_its_libraries(tmp_path: Path) -> None:
    """A cold process: what is loaded when the sign-in window takes input (the test's own process has them all)."""
    url = _database_with_an_administrator(tmp_path / "charges.sqlite3")
    child = (
        "import json, sys\n"
        "from desktop.ui.app import STARTUP_WATCHERS\n"
        "def watch(stage, window):\n"
        "    if stage in ('sign-in', 'first-run'):\n"
        f"        print(json.dumps([stage, sorted(m for m in {HEAVY!r} if m in sys.modules)]), flush=True)\n"
        "        window.reject()\n"
        "STARTUP_WATCHERS.append(watch)\n"
        "from desktop.cli.main import main\n"
        "sys.exit(main(['--database-url', sys.argv[1]]))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(tmp_path / "data"),
               INFUSION_CHARGE_LOG_FOLDER=str(tmp_path / "log"))
    for database, first in ((url, "sign-in"), (f"sqlite:///{tmp_path / 'new.sqlite3'}", "first-run")):
        run = subprocess.run([sys.executable, "-c", child, database], capture_output=True, text=True, env=env,
                             cwd=ROOT, timeout=120, check=False)
        assert run.returncode in (0, 1), run.stderr
        stage, loaded = json.loads(run.stdout.splitlines()[0])
        assert (stage, loaded) == (first, []), run.stdout


def test_sign_in_pressed_before_the_store_opens_waits_for_it_then_opens_the_main_window(
    qtbot, tmp_path: Path, own_folders: None, stages: list[tuple[str, QWidget, bool]]
) -> None:
    url = _database_with_an_administrator(tmp_path / "charges.sqlite3")
    pressed: list[str] = []

    def press_at_once(window: QWidget) -> None:
        _sign_in(window)
        pressed.append(window.form.message.text())  # type: ignore[attr-defined]

    _act("sign-in", press_at_once)
    _act("main", lambda window: window.close())
    assert run_app(url) == 0
    names = [stage for stage, _window, _store in stages]
    assert names[0] == "sign-in" and not stages[0][2]  # shown before the store was open
    assert names.index("store") < names.index("signed") < names.index("main")
    assert pressed == ["Opening the database\u2026 you are signed in as soon as it is open."]
    main_window = stages[names.index("main")][1]
    assert main_window.objectName() == "main_window"
    assert main_window.user_label.text() == "Signed in: Ada Admin (Administrator)"  # type: ignore[attr-defined]


def test_a_new_database_starts_with_the_first_run_wizard_and_gives_it_the_store(
    qtbot, tmp_path: Path, own_folders: None, stages: list[tuple[str, QWidget, bool]]
) -> None:
    _act("store", lambda window: window.reject())  # the wizard has its store: close it
    assert run_app(f"sqlite:///{tmp_path / 'new.sqlite3'}") == 0  # opened, nobody signed in
    assert [(stage, store) for stage, _window, store in stages][:2] == [("first-run", False), ("store", True)]
    assert stages[0][1].objectName() == "first_run_wizard"


def test_a_database_without_accounts_turns_the_sign_in_into_the_first_run_wizard(
    qtbot, tmp_path: Path, own_folders: None, stages: list[tuple[str, QWidget, bool]]
) -> None:
    from desktop.services.storage.store import open_store

    path = tmp_path / "no-accounts.sqlite3"
    open_store(f"sqlite:///{path}").close()  # the schema, no account: not new, so sign-in is guessed first
    _act("store", lambda window: window.reject())
    assert run_app(f"sqlite:///{path}") == 0
    shown = [(stage, window.objectName()) for stage, window, _store in stages]
    assert shown[0] == ("sign-in", "sign_in_dialog")
    assert ("first-run", "first_run_wizard") in shown and ("store", "first_run_wizard") in shown


def test_a_database_that_cannot_be_opened_says_so_over_the_sign_in_window_and_quit_quits(
    qtbot, tmp_path: Path, own_folders: None, stages: list[tuple[str, QWidget, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "workstation.toml"
    config.write_text("[timeouts]\nconnect = 2\nstatement = 3\n", encoding="utf-8")
    monkeypatch.setenv("INFUSION_CHARGE_WORKSTATION_CONFIG", str(config))
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there
    said: list[str] = []

    def quit_when_told(_window: QWidget) -> None:
        def look() -> None:
            for widget in QApplication.topLevelWidgets():
                if widget.objectName() == "connect_dialog" and widget.isVisible() and \
                        "Could not open" in widget.message.text():  # type: ignore[attr-defined]
                    said.append(widget.detail.text())  # type: ignore[attr-defined]
                    widget.quit_button.click()  # type: ignore[attr-defined]
                    return
            QTimer.singleShot(50, look)

        look()

    _act("sign-in", quit_when_told)
    assert run_app(f"postgresql+psycopg://clinic:secret@127.0.0.1:{port}/charges") == 1  # never opened
    assert [stage for stage, _window, _store in stages] == ["sign-in"]
    assert said and "cannot be reached" in said[0]


def test_new_sqlite_file_guesses_the_first_run_only_for_a_missing_or_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    used = tmp_path / "used.sqlite3"
    used.write_bytes(b"SQLite format 3\x00")
    assert startup.new_sqlite_file(f"sqlite:///{tmp_path / 'missing.sqlite3'}")
    assert startup.new_sqlite_file(f"sqlite:///{empty}")
    assert not startup.new_sqlite_file(f"sqlite:///{used}")
    assert not startup.new_sqlite_file("sqlite://")  # in memory
    assert not startup.new_sqlite_file("postgresql+psycopg://clinic@server/charges")
