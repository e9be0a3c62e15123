"""Start-up benchmark: a cold process each round, the real entry point, against a bare PySide6 window.

Measured from the moment the process is started (wall clock, interpreter start included), median of --rounds:
  * bare: a QApplication and a shown QMainWindow whose event loop has turned (the floor of any Qt program);
  * first window, first run: `infusion-charge` on a database file that does not exist: the first-run wizard;
  * first window, sign-in: on a database with an account: the sign-in window, shown and taking input;
  * ready: the same start once the store is open and the main window's modules are loaded behind the sign-in
    window (what a person typing a user name and password gives it time for);
  * sign-in to main window: from pressing Sign in (once ready) until the main window is shown and takes input,
    password check included;
  * signing in at once: from start to the main window when Sign in is pressed the moment the window shows.
Goals (issue 16): first window <= 2x bare; main window <= 0.3 s after signing in.

The children write their byte code to a cache of this run (one unmeasured start fills it), as an installed
program has it: PYTHONDONTWRITEBYTECODE would otherwise make every round compile the app from source.

Run: .venv/bin/python -m benchmarks.bench_startup [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "bench.admin", "correct horse battery"

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv); w = QMainWindow(); w.resize(1024, 700); w.show()
QTimer.singleShot(0, lambda: (print("bare", time.perf_counter(), flush=True), app.quit())); app.exec()
"""
# The application as a person starts it (desktop.cli.main), followed through desktop.ui.app's start-up stages.
APP = """
import sys, time
from desktop.ui.app import STARTUP_WATCHERS
url, user, password, press_at = sys.argv[1:5]

def watch(stage, window):
    print(stage, time.perf_counter(), flush=True)
    if stage == "first-run":
        window.reject()  # the wizard's time is measured; nothing to set up
    elif stage == press_at and stage in ("sign-in", "ready"):
        form = window.form
        form.username.setText(user)
        form.password.setText(password)
        print("press", time.perf_counter(), flush=True)
        form.submit.click()
    elif stage == "main":
        window.close()

STARTUP_WATCHERS.append(watch)
from desktop.cli.main import main
sys.exit(main(["--database-url", url]))
"""


def _environment(cache: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"), PYTHONPATH=str(ROOT),
               PYTHONPYCACHEPREFIX=str(cache), INFUSION_CHARGE_LOG_FOLDER=str(cache / "log"))
    return env


def _child(code: str, env: dict[str, str], *args: str) -> dict[str, float]:
    """Seconds from starting the process to each stage the child printed."""
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120, check=False)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"the child failed ({run.returncode}):\n{run.stderr[-2000:]}")
    stages = {}
    for line in run.stdout.splitlines():
        name, _, stamp = line.partition(" ")
        if stamp:
            stages[name] = float(stamp) - started  # perf_counter is the system's monotonic clock (all platforms)
    return stages


def _database_with_an_account(folder: Path) -> str:
    from desktop.services.people.accounts import create_first_administrator
    from desktop.services.storage.store import open_store

    url = f"sqlite:///{folder / 'signin.sqlite3'}"
    store = open_store(url)
    create_first_administrator(store, USER, PASSWORD, "Bench Administrator")
    store.close()
    return url


def measure(rounds: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        found.setdefault(name, []).append(seconds)

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        env = _environment(folder / "pycache")
        url = _database_with_an_account(folder)
        _child(BARE, env)
        _child(APP, env, url, USER, PASSWORD, "ready")  # fills the byte-code cache
        for number in range(rounds):
            note("bare", _child(BARE, env)["bare"])
            fresh = _child(APP, env, f"sqlite:///{folder / f'new{number}.sqlite3'}", USER, PASSWORD, "none")
            note("first_run", fresh["first-run"])
            typed = _child(APP, env, url, USER, PASSWORD, "ready")
            note("sign_in", typed["sign-in"])
            note("store", typed["store"])
            note("ready", typed["ready"])
            note("press_to_main", typed["main"] - typed["press"])
            note("signed_to_main", typed["main"] - typed["signed"])
            at_once = _child(APP, env, url, USER, PASSWORD, "sign-in")
            note("at_once", at_once["main"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="cold starts of each kind (at least 5)")
    args = parser.parse_args()
    rounds = max(args.rounds, 5)
    found = measure(rounds)
    median = {name: statistics.median(values) for name, values in found.items()}
    bare = median["bare"]
    print(f"cold start, median of {rounds} (wall clock from process start, interpreter included):")
    print(f"  bare PySide6 window:            {bare:.3f} s")
    for name, words in (("first_run", "first window, first run (wizard)"), ("sign_in", "first window, sign-in")):
        print(f"  {words + ':':<32}{median[name]:.3f} s, ratio {median[name] / bare:.2f} (goal <= 2)")
    print(f"  store open behind it:           {median['store']:.3f} s; main window modules loaded: "
          f"{median['ready']:.3f} s")
    print(f"  Sign in pressed -> main window: {median['press_to_main']:.3f} s, of which after the password check: "
          f"{median['signed_to_main']:.3f} s (goal <= 0.3 s)")
    print(f"  Sign in pressed at once:        main window at {median['at_once']:.3f} s, ratio "
          f"{median['at_once'] / bare:.2f}")


if __name__ == "__main__":
    main()
