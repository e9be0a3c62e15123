"""The throwaway PostgreSQL scripts: `make test` starts a cluster and always stops it; only a stopped one is deleted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CI = ROOT / ".ci"

# These start clusters of their own with PostgreSQL's server programs, which `make test` installs with the rest.
pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("postgres_url")]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No server given, no CI flag, and a state file of our own (never the last cluster someone else started)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFUSION_CHARGE_TEST_PG") and k != "CI"}
    env["INFUSION_CHARGE_PG_STATE"] = str(tmp_path / "pg.last")
    env.update(extra)
    return env


def exports(text: str) -> dict[str, str]:
    pairs = (line.removeprefix("export ").split("=", 1) for line in text.splitlines() if line.startswith("export "))
    return dict(pairs)


def port_open(url: str) -> bool:
    host_port = url.rsplit("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex((host, int(port))) == 0


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[dict[str, str]]:
    started = subprocess.run([str(CI / "start-postgres.sh")], capture_output=True, text=True, timeout=120,
                             env=clean_env(tmp_path))
    assert started.returncode == 0, started.stderr
    found = exports(started.stdout)
    yield found
    folder = found["INFUSION_CHARGE_TEST_PG_DIR"]
    if Path(folder).exists():  # the test failed half-way: never leave a server behind
        pid = postmaster_pid(folder)
        if pid:
            os.kill(pid, signal.SIGCONT)
        subprocess.run([str(CI / "stop-postgres.sh"), folder], capture_output=True, timeout=300,
                       env=clean_env(tmp_path))


def postmaster_pid(folder: str) -> int | None:
    pid_file = Path(folder) / "data" / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def stop(folder: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CI / "stop-postgres.sh"), folder], capture_output=True, text=True, timeout=300,
                          env=clean_env(tmp_path, **extra))


def test_stop_waits_for_the_server_says_so_and_then_deletes_its_folder(cluster: dict[str, str],
                                                                       tmp_path: Path) -> None:
    folder, url = cluster["INFUSION_CHARGE_TEST_PG_DIR"], cluster["INFUSION_CHARGE_TEST_PG_URL"]
    assert port_open(url)
    stopped = stop(folder, tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout == ""  # stdout stays free for callers; pg_ctl's words go to stderr
    assert "server stopped" in stopped.stderr and f"{folder} deleted" in stopped.stderr
    assert not Path(folder).exists()
    assert not port_open(url)


def test_a_server_that_does_not_stop_keeps_its_folder(cluster: dict[str, str], tmp_path: Path) -> None:
    folder = cluster["INFUSION_CHARGE_TEST_PG_DIR"]
    pid = postmaster_pid(folder)
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # a frozen postmaster: neither a fast nor an immediate stop can finish
    try:
        stuck = stop(folder, tmp_path, PG_STOP_TIMEOUT="2")
    finally:
        os.kill(pid, signal.SIGCONT)  # it wakes up to the stop requests it was sent
    assert stuck.returncode == 1
    assert "stopping immediately" in stuck.stderr
    assert "still running; its folder is kept" in stuck.stderr
    assert (Path(folder) / "data" / "PG_VERSION").exists()
    stopped = stop(folder, tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert not Path(folder).exists()


# Started the way a terminal starts `make test`: Ctrl+C not ignored (a job started in the background without job
# control inherits SIGINT ignored, and bash cannot trap a signal ignored when it started).
AS_FROM_A_TERMINAL = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                      "os.execv(sys.argv[1], sys.argv[1:])")


def _wrapper(tmp_path: Path, script: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", AS_FROM_A_TERMINAL, str(CI / "with-postgres.sh"), "bash", "-c",
                             script], text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=clean_env(tmp_path, **extra), start_new_session=True)


def test_make_test_runs_with_a_cluster_it_stops_even_when_the_tests_fail(tmp_path: Path) -> None:
    check = f"{sys.executable} -c 'import os, psycopg; psycopg.connect(os.environ[\"INFUSION_CHARGE_TEST_PG_URL\"]" \
            ".replace(\"+psycopg\", \"\")).close()'"
    run = _wrapper(tmp_path, f"{check} && echo $INFUSION_CHARGE_TEST_PG_DIR && exit 3")
    out, err = run.communicate(timeout=300)
    assert run.returncode == 3, err  # the command's own status
    folder = out.strip()
    assert folder and not Path(folder).exists(), err
    assert "stopped when they end" in err and f"{folder} deleted" in err


def test_ctrl_c_during_the_tests_stops_the_cluster(tmp_path: Path) -> None:
    marker = tmp_path / "folder"
    run = _wrapper(tmp_path, f"echo $INFUSION_CHARGE_TEST_PG_DIR > {marker}; sleep 60")
    deadline = time.monotonic() + 120
    while not (marker.exists() and marker.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.1)
    folder = marker.read_text().strip()
    assert Path(folder).exists()
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl+C in the terminal sends to the whole foreground group
    _out, err = run.communicate(timeout=300)
    assert run.returncode == 130
    assert not Path(folder).exists(), err


def test_without_a_server_the_tests_run_and_say_why_once(tmp_path: Path) -> None:
    no_server = str(tmp_path / "no-postgresql")  # PG_BIN that holds no server programs
    run = _wrapper(tmp_path, "echo \"$INFUSION_CHARGE_TEST_PG_MISSING\"", PG_BIN=no_server)
    out, _err = run.communicate(timeout=120)
    assert run.returncode == 0
    assert out.strip().startswith("no PostgreSQL server binaries found")
    # The suite then skips its PostgreSQL tests and says so on one line of its summary.
    env = clean_env(tmp_path, INFUSION_CHARGE_TEST_PG_MISSING=out.strip())
    suite = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                            "tests/services/test_settings.py"], capture_output=True, text=True, cwd=ROOT,
                           env=env, timeout=300)
    assert suite.returncode == 0, suite.stdout
    said = [line for line in suite.stdout.splitlines() if "PostgreSQL tests not run" in line]
    assert len(said) == 1, suite.stdout
    assert said[0].startswith("SKIPPED [") and "no PostgreSQL server binaries found" in said[0]
    assert "SKIPPED" not in suite.stdout.replace(said[0], "")


def test_under_ci_a_missing_server_fails_at_once(tmp_path: Path) -> None:
    run = _wrapper(tmp_path, "echo ran", PG_BIN=str(tmp_path / "no-postgresql"), CI="true")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1
    assert "ran" not in out
    assert "under CI=true its tests must run" in err.splitlines()[-1]
