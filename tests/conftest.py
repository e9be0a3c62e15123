"""Test-wide setup: Qt offscreen before any Qt import, artifacts folder, PostgreSQL URL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read this computer's workstation settings (a shared database, timeouts); tests that need some write
# their own file and point this variable at it.
os.environ["INFUSION_CHARGE_WORKSTATION_CONFIG"] = str(Path(__file__).resolve().parent / "no-workstation.toml")
# Audit keys and anchors of the PostgreSQL test databases go to a folder of this run, never the user's data folder
# (a SQLite database keeps them beside its file).
os.environ.setdefault("INFUSION_CHARGE_AUDIT_DIR", tempfile.mkdtemp(prefix="infusion-audit-"))

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests leave screenshots and PDFs for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL server for the tests; under CI=true its absence is a failure, not a skip."""
    url = os.environ.get("INFUSION_CHARGE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but INFUSION_CHARGE_TEST_PG_URL is not set: PostgreSQL tests must run in CI")
        pytest.skip("no PostgreSQL server (set INFUSION_CHARGE_TEST_PG_URL, or run .ci/run)")
    return url
