"""Without a screen, `infusion-charge` says in one line what to do and exits 2, instead of Qt aborting it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.display import missing_display

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = Path(sys.executable).parent / "infusion-charge"  # the installed command (make setup: pip install -e)


def headless_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "INFUSION_CHARGE_DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["HOME"] = str(tmp_path)  # nothing may be written in the real user data folder
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env.update(extra)
    return env


def run_app(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "desktop.cli.main"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env=headless_env(tmp_path, **extra))


def test_no_display_at_all_is_one_line_and_exit_2(tmp_path: Path) -> None:
    run = run_app(tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("infusion-charge: no display: DISPLAY is not set")
    assert "desktop session" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert not (tmp_path / "data" / "infusion-charge-capture").exists()  # nothing opened, nothing created


def test_a_display_nobody_serves_is_named(tmp_path: Path) -> None:
    run = run_app(tmp_path, "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}", DISPLAY=":97")
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == [
        "infusion-charge: no display: the X server at DISPLAY=:97 cannot be reached: run it in a desktop session, "
        "or set QT_QPA_PLATFORM=offscreen for a headless check (nothing is shown)"
    ]
    assert not (tmp_path / "x.sqlite3").exists()


def test_the_command_line_and_the_self_test_need_no_display(tmp_path: Path) -> None:
    listing = run_app(tmp_path, "list", "--database-url", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.strip() == "[]"
    version = run_app(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("infusion-charge ")


@pytest.mark.parametrize(("environ", "platform"), [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"QT_QPA_PLATFORM": "minimal:enable_fonts"}, "linux"),
    ({}, "win32"),
    ({}, "darwin"),
    ({"QT_QPA_PLATFORM": "eglfs"}, "linux"),  # a kiosk screen: Qt's own business
])
def test_platforms_that_need_no_window_system_are_let_through(environ: dict[str, str], platform: str) -> None:
    assert missing_display(environ, platform) is None


def test_what_is_missing_is_said(tmp_path: Path) -> None:
    assert missing_display({}, "linux") == "no display: DISPLAY is not set, and no Wayland session"
    assert missing_display({"QT_QPA_PLATFORM": "xcb"}, "linux") == "no display: DISPLAY is not set"
    assert missing_display({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-9",
                            "XDG_RUNTIME_DIR": str(tmp_path)}, "linux") == \
        "no display: no Wayland session (WAYLAND_DISPLAY='wayland-9')"
    assert missing_display({"DISPLAY": ":97"}, "linux") == "no display: the X server at DISPLAY=:97 cannot be reached"


def test_a_wayland_session_is_found_by_its_socket(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as compositor:
        compositor.bind(str(tmp_path / "wayland-1"))
        compositor.listen()
        session = {"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": str(tmp_path)}
        assert missing_display(session, "linux") is None
        assert missing_display({"WAYLAND_DISPLAY": str(tmp_path / "wayland-1")}, "linux") is None
        assert missing_display({**session, "QT_QPA_PLATFORM": "xcb"}, "linux") == "no display: DISPLAY is not set"
