"""Issue 20.4 at start-up: a host that accepts TCP but never answers, and one that refuses, show "Connecting to …"
at once, then why it failed, with Retry / Change database / Quit; the window never stops answering."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from desktop.ui.people.connecting import ConnectDialog
from desktop.ui.theme import apply_theme


@pytest.fixture
def short_connect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This workstation's settings: give up connecting after 2 s (the default is 5)."""
    config = tmp_path / "workstation.toml"
    config.write_text("[timeouts]\nconnect = 2\nstatement = 3\n", encoding="utf-8")
    monkeypatch.setenv("INFUSION_CHARGE_WORKSTATION_CONFIG", str(config))


@pytest.fixture
def silent_host() -> Iterator[int]:
    """A TCP server that accepts every connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    server.close()


def _free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _dialog(qtbot, url: str) -> ConnectDialog:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    dialog = ConnectDialog(url)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_silent_host_says_connecting_then_why_and_lets_the_person_change_database(
    qtbot, short_connect: None, silent_host: int, tmp_path: Path, artifacts_dir: Path
) -> None:
    url = f"postgresql+psycopg://clinic:secret-pw@127.0.0.1:{silent_host}/charges"
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(100)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    dialog = _dialog(qtbot, url)
    assert dialog.message.text() == f"Connecting to postgresql+psycopg://clinic:***@127.0.0.1:{silent_host}/charges\u2026"
    assert not dialog.retry_button.isEnabled() and dialog.quit_button.isEnabled()
    with qtbot.waitSignal(dialog.attempt_finished, timeout=30_000) as finished:
        pass
    heartbeat.stop()
    assert finished.args == [False]
    assert "Could not open the database" in dialog.message.text()
    assert "did not answer within 2 s" in dialog.detail.text(), dialog.detail.text()
    assert "secret-pw" not in dialog.message.text() + dialog.detail.text()
    assert dialog.retry_button.isEnabled() and dialog.change_button.isEnabled()
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 1.0  # never frozen while waiting
    QApplication.processEvents()
    dialog.grab().save(str(artifacts_dir / "startup_silent_host.png"))

    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.use_url(f"sqlite:///{tmp_path / 'local.sqlite3'}")  # "Change database…"
    assert dialog.workstation is not None and dialog.workstation.store.is_sqlite
    dialog.workstation.close()


def test_an_unreachable_host_offers_retry_and_quit(qtbot, short_connect: None) -> None:
    dialog = _dialog(qtbot, f"postgresql+psycopg://clinic@127.0.0.1:{_free_port()}/charges")
    with qtbot.waitSignal(dialog.attempt_finished, timeout=30_000):
        pass
    assert "cannot be reached" in dialog.detail.text()
    with qtbot.waitSignal(dialog.attempt_finished, timeout=30_000):
        dialog.retry_button.click()
    assert "Could not open" in dialog.message.text()
    dialog.quit_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    QThreadPool.globalInstance().waitForDone(10_000)
