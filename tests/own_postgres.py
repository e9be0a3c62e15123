"""A PostgreSQL cluster of the test's own (start-postgres.sh), so a test may stop, start, freeze and thaw it."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class OwnPostgres:
    url: str
    folder: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _pg_ctl(self, *args: str) -> None:
        owner = self.data.stat().st_uid
        binary = _pg_bin() / "pg_ctl"
        command = [str(binary), "-D", str(self.data), *args]
        if os.getuid() == 0 and owner != 0:
            import pwd

            command = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        # The same port and socket folder as before: postmaster.opts keeps the first start's command line.
        options = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        options = [o for o in options if o not in ("-D", str(self.data))]
        self._pg_ctl("-l", str(self.folder / "server.log"), "-o", shlex.join(options), "-w", "-t", "60", "start")

    def _processes(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().splitlines()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self) -> list[int]:
        """SIGSTOP the server and all its backends: TCP still connects, nothing answers."""
        frozen = self._processes()
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        return frozen

    def thaw(self, frozen: list[int]) -> None:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)


def _pg_bin() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise FileNotFoundError("no PostgreSQL server binaries")


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[OwnPostgres]:
    try:
        _pg_bin()
    except FileNotFoundError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but there are no PostgreSQL server binaries for a cluster of the test's own")
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin) for a cluster of the test's own")
    state = Path(tempfile.mkdtemp(prefix="own-pg-state-")) / "last"
    env = {**os.environ, "INFUSION_CHARGE_PG_STATE": str(state)}
    started = subprocess.run(["bash", str(ROOT / ".ci" / "start-postgres.sh")], env=env, capture_output=True,
                             text=True, timeout=180)
    if started.returncode != 0:
        pytest.fail(f"start-postgres.sh failed: {started.stderr[-2000:]}")
    exports = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    cluster = OwnPostgres(exports["INFUSION_CHARGE_TEST_PG_URL"], Path(exports["INFUSION_CHARGE_TEST_PG_DIR"]))
    try:
        yield cluster
    finally:
        subprocess.run(["bash", str(ROOT / ".ci" / "stop-postgres.sh"), str(cluster.folder)], env=env,
                       capture_output=True, timeout=120)
        state.unlink(missing_ok=True)
        state.parent.rmdir()
