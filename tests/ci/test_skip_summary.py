"""Without PostgreSQL the summary says so once, with the count, whichever way a test found out; other skips stay."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"

TESTS = '''
import pytest

@pytest.mark.parametrize("n", range(3))
def test_needs_the_server(postgres_url, n):
    pass

@pytest.fixture(scope="module")
def own_cluster():
    pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin) for a cluster of the test's own")

def test_needs_its_own_cluster(own_cluster):
    pass

def test_another_reason():
    pytest.skip("not on this platform")

def test_runs():
    assert True
'''


def test_one_line_for_every_way_of_missing_postgresql(tmp_path: Path) -> None:
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_sample.py").write_text(TESTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFUSION_CHARGE_TEST_PG") and k != "CI"}
    env["INFUSION_CHARGE_TEST_PG_MISSING"] = "no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin)"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-c", os.devnull,
                          "--rootdir", str(tmp_path), str(tmp_path)], capture_output=True, text=True, cwd=tmp_path,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 2, run.stdout
    assert skipped[0].startswith("SKIPPED [4] ")
    assert "PostgreSQL tests not run: no server could be started" in skipped[0]
    assert "not on this platform" in skipped[1]
    assert "1 passed, 5 skipped" in run.stdout
