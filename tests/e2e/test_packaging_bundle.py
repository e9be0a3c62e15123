"""The frozen bundle (after `make dist`): self-test, version, data found at run time, nothing it must not carry.

Runs when INFUSION_CHARGE_BUNDLE names the bundle folder (CI sets it after `make dist`); skipped otherwise,
so a stale dist/ in a work tree never fails someone else's `make test`.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLE_ENV = "INFUSION_CHARGE_BUNDLE"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
DEV_TOOLS = ("tests", "pytest", "_pytest", "pytestqt", "pytest_benchmark", "hypothesis", "mypy", "ruff",
             "importlinter", "grimp", "PyInstaller", "pip", "setuptools")


@pytest.fixture(scope="module")
def bundle() -> Path:
    folder = os.environ.get(BUNDLE_ENV)
    if not folder:
        pytest.skip(f"no bundle given ({BUNDLE_ENV}=dist/infusion-charge after `make dist`)")
    path = Path(folder).resolve()
    assert (path / "infusion-charge").is_file(), f"{BUNDLE_ENV}={folder} holds no infusion-charge executable"
    return path


def frozen(bundle: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Outside the repository and without PYTHONPATH, so nothing can come from the source tree.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([str(bundle / "infusion-charge"), *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=env)


def test_bundle_self_test_passes_from_the_frozen_code(bundle: Path, tmp_path: Path) -> None:
    run = frozen(bundle, "--self-test", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "from frozen bundle" in run.stdout
    assert "self-test passed" in run.stdout


def test_bundle_version(bundle: Path, tmp_path: Path) -> None:
    run = frozen(bundle, "--version", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"infusion-charge {VERSION}"


def test_every_data_file_and_migration_is_in_the_bundle(bundle: Path) -> None:
    internal = bundle / "_internal"
    for source in (ROOT / "resources").rglob("*"):
        if source.is_file() and source.suffix not in (".py", ".pyc"):
            assert (internal / source.relative_to(ROOT)).is_file(), source.relative_to(ROOT)
    for source in (ROOT / "db" / "migrations").rglob("*.py"):
        if "__pycache__" not in source.parts:
            assert (internal / source.relative_to(ROOT)).is_file(), source.relative_to(ROOT)
    assert (internal / "db" / "migrations" / "alembic.ini").is_file()


def test_no_webengine_tests_or_dev_tools(bundle: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    files = [path.relative_to(bundle).as_posix() for path in bundle.rglob("*")]
    assert not [f for f in files if "webengine" in f.lower()]
    assert not [f for f in files if f.split("/")[1:2] and f.split("/")[1] in DEV_TOOLS]
    modules = CArchiveReader(str(bundle / "infusion-charge")).open_embedded_archive("PYZ.pyz").toc
    top = {name.split(".")[0] for name in modules}
    assert not top & set(DEV_TOOLS), top & set(DEV_TOOLS)
    assert not [name for name in modules if "WebEngine" in name or name.startswith("PySide6.QtQuick")]


@pytest.mark.postgres
def test_bundle_reaches_postgresql(bundle: Path, tmp_path: Path, postgres_url: str) -> None:
    """The frozen app carries the psycopg driver and SQLAlchemy's dialect for a shared database."""
    run = frozen(bundle, "--database-url", postgres_url, "list", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert isinstance(json.loads(run.stdout), list)
