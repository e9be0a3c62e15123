"""Test-wide setup: Qt offscreen before any Qt import, artifacts folder, PostgreSQL URL."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
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
NO_POSTGRES = "PostgreSQL tests not run"
# Skips said once in the summary, with their count, instead of once per test.
SAID_ONCE = (NO_POSTGRES, "no bundle given")
# Other words for "no PostgreSQL here" (tests/own_postgres.py): said in the same one line.
ALSO_NO_POSTGRES = ("no PostgreSQL server binaries",)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests leave screenshots and PDFs for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _why_no_postgres() -> str:
    # Set by .ci/with-postgres.sh (`make test`) when it could not start a throwaway server.
    missing = os.environ.get("INFUSION_CHARGE_TEST_PG_MISSING")
    if missing:
        return f"{NO_POSTGRES}: no server could be started ({missing}); install PostgreSQL's server or set " \
               "INFUSION_CHARGE_TEST_PG_URL"
    return f"{NO_POSTGRES}: INFUSION_CHARGE_TEST_PG_URL is not set (`make test` starts a server by itself)"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL server for the tests; under CI=true its absence is a failure, not a skip."""
    url = os.environ.get("INFUSION_CHARGE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but INFUSION_CHARGE_TEST_PG_URL is not set: PostgreSQL tests must run in CI")
        pytest.skip(_why_no_postgres())
    return url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Every PostgreSQL (or bundle) skip gets this file as its place, so the summary says it once, with the count."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    longrepr = report.longrepr
    if not (report.skipped and isinstance(longrepr, tuple) and len(longrepr) == 3):
        return
    if any(words in str(longrepr[2]) for words in ALSO_NO_POSTGRES):
        report.longrepr = (__file__, None, f"Skipped: {_why_no_postgres()}")
    elif any(reason in str(longrepr[2]) for reason in SAID_ONCE):
        report.longrepr = (__file__, None, longrepr[2])
