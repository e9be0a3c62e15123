"""`infusion-charge --self-test` from source: every step passes; a failing step is named with a non-zero exit."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import selftest

ROOT = Path(__file__).resolve().parent.parent.parent
STEP_NAMES = ("database", "billing", "interop", "ticket", "qt", "pdf", "widget")


def test_self_test_from_source_passes_every_step() -> None:
    run = subprocess.run([sys.executable, "-m", "desktop.cli.main", "--self-test"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    for name in STEP_NAMES:
        assert f"self-test: {name}: ok" in run.stdout
    assert "28 units administered, 2 units JW" in run.stdout
    assert "QPdfDocument loaded the ticket: 1 page" in run.stdout
    assert run.stdout.rstrip().splitlines()[-1].startswith("self-test passed: 7 steps")


def test_a_failing_step_is_named_and_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def fine(state: dict[str, Any]) -> str:
        ran.append("fine")
        return "fine"

    def broken(state: dict[str, Any]) -> str:
        raise FileNotFoundError("resources/catalog.toml")

    def never(state: dict[str, Any]) -> str:  # pragma: no cover - must not run
        ran.append("never")
        return ""

    monkeypatch.setattr(selftest, "STEPS", (("database", fine), ("billing", broken), ("ticket", never)))
    out = io.StringIO()
    assert selftest.run_self_test(out) == selftest.EXIT_FAILED
    text = out.getvalue()
    assert "self-test: billing: FAILED: FileNotFoundError: resources/catalog.toml" in text
    assert text.rstrip().endswith("self-test FAILED at step 'billing'")
    assert ran == ["fine"]


def test_a_wrong_result_fails_the_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(selftest.J9302_ADMINISTRATION, "discarded_mg", "0")  # no JW line any more
    out = io.StringIO()
    monkeypatch.setattr(selftest, "STEPS", tuple(step for step in selftest.STEPS if step[0] == "billing"))
    assert selftest.run_self_test(out) == selftest.EXIT_FAILED
    assert "self-test: billing: FAILED: SelfTestFailure: J9302 gave" in out.getvalue()


def test_version_from_source_is_the_pyproject_version() -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    run = subprocess.run([sys.executable, "-m", "desktop.cli.main", "--version"], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"infusion-charge {expected}"
