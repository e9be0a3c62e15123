"""Issue 21 §2: two OS accounts of one chair workstation share one database through a group; an account outside
the group gets words, not a traceback. Real accounts made with useradd (root only; skipped with the reason
otherwise), real processes run as each account with runuser."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.services.errors import ServiceError
from tests.services.people_fixtures import PASSWORD
from tests.services.test_cli import RECORD

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Workstation:
    group: str
    nurse_a: str
    nurse_b: str
    outsider: str
    folder: Path
    config: Path

    def run(self, account: str | None, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "INFUSION_CHARGE_WORKSTATION_CONFIG": str(self.config), "HOME": str(self.folder.parent / "homes"),
               "INFUSION_CHARGE_PASSWORD": PASSWORD}  # every command signs in (issue 15)
        command = [sys.executable, "-m", "desktop.cli.main", *argv]
        if account is not None:
            # The other accounts run the same code and packages with an interpreter they may execute.
            env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *site_packages()])
            command = [interpreter_for_others(), "-m", "desktop.cli.main", *argv]
            command = ["runuser", "-u", account, "--", "env", *[f"{k}={v}" for k, v in env.items()], *command]
        return subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
                              env=env if account is None else None)


def site_packages() -> list[str]:
    import site

    return [p for p in site.getsitepackages() if Path(p).is_dir()]


def interpreter_for_others() -> str:
    """This interpreter if every account may run it, else the system's of the same version (a pyenv under /root
    is root's only)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        path = Path(candidate).resolve()
        if path.exists() and all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents]):
            return str(path)
    pytest.skip(f"no {version} that other accounts may run (this one is in a folder only its owner may enter)")


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not on this machine: the two-account test needs it")
    return found


@pytest.fixture
def workstation() -> Iterator[Workstation]:
    if sys.platform == "win32" or os.geteuid() != 0:
        pytest.skip("the two-account test makes OS accounts with useradd: it runs as root only")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "runuser"):
        _need(tool)
    tag = uuid.uuid4().hex[:6]
    group, accounts = f"ic-test-{tag}", [f"nurse-a-{tag}", f"nurse-b-{tag}", f"outsider-{tag}"]
    base = Path(f"/tmp/ic-shared-{tag}")  # every account must reach it (pytest's tmp_path is root's, 0700)
    base.mkdir(mode=0o755)
    os.chmod(base, 0o755)
    (base / "homes").mkdir(mode=0o777)
    os.chmod(base / "homes", 0o1777)
    subprocess.run(["groupadd", group], check=True)
    made: list[str] = []
    try:
        for name in accounts:
            extra = ["-G", group] if not name.startswith("outsider") else []
            subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", *extra, name], check=True)
            made.append(name)
        yield Workstation(group, *accounts, folder=base / "shared", config=base / "workstation.toml")
    finally:
        for name in made:
            subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_two_accounts_share_one_database_through_the_group_and_a_third_gets_words(workstation: Workstation) -> None:
    ws = workstation
    chosen = ws.run(None, "workstation", "share", "--group", ws.group, "--folder", str(ws.folder))  # the admin
    assert chosen.returncode == 0, chosen.stderr
    assert stat.S_IMODE(ws.folder.stat().st_mode) == 0o2770 and ws.folder.stat().st_gid == _gid(ws.group)
    admin = ws.run(None, "account", "create-admin", "--user", "boss")  # the first administrator, then the nurses
    assert admin.returncode == 0, admin.stderr
    _nurse_accounts(ws.folder / "charges.sqlite3", ws.nurse_a, ws.nurse_b)

    first = ws.run(ws.nurse_a, "record", "--user", ws.nurse_a, stdin=json.dumps(RECORD))
    assert first.returncode == 0, first.stderr
    second_record = RECORD | {"patient": {"mrn": "M2", "name": "John Roe", "date_of_birth": "1950-05-06"}}
    second = ws.run(ws.nurse_b, "record", "--user", ws.nurse_b, stdin=json.dumps(second_record))
    assert second.returncode == 0, second.stderr
    listed = ws.run(ws.nurse_a, "list", "--date", "2026-11-29")
    assert listed.returncode == 0, listed.stderr
    assert sorted(row["recorded_by"] for row in json.loads(listed.stdout)) == sorted([ws.nurse_a, ws.nurse_b])

    database = ws.folder / "charges.sqlite3"
    for path in [database, *ws.folder.iterdir()]:
        status = path.stat()
        assert stat.S_IMODE(status.st_mode) & 0o007 == 0, path  # nothing for other accounts
        assert status.st_gid == _gid(ws.group), path
        if path.is_file():
            assert stat.S_IMODE(status.st_mode) == 0o660, path

    refused = ws.run(ws.outsider, "list", "--date", "2026-11-29")
    assert refused.returncode == 6 and "Traceback" not in refused.stderr
    assert f"Your account ({ws.outsider}) cannot open this workstation's database" in refused.stderr
    assert "not in it" in refused.stderr and f"usermod -aG {ws.group} {ws.outsider}" in refused.stderr


def _nurse_accounts(database: Path, *names: str) -> None:
    from desktop.services import open_store
    from desktop.services.people.accounts import create_user
    from desktop.services.people.roles import Role

    store = open_store(f"sqlite:///{database}")
    try:
        for name in names:
            create_user(store, name, PASSWORD, Role.NURSE, "boss")
    finally:
        store.close()


def _gid(group: str) -> int:
    import grp

    return grp.getgrnam(group).gr_gid


@pytest.mark.parametrize("group", ["", "Bad Group", "-x", "a" * 40, "wheel;rm"])
def test_a_group_name_groupadd_would_refuse_gets_words_and_changes_nothing(group: str) -> None:
    from desktop.services.storage import workstation_setup

    with pytest.raises(ServiceError, match="is not a group name"):
        workstation_setup.share(group)
