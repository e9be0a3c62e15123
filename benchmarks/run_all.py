"""`make bench`: every benchmark in this folder, each in its own process, one after another; each prints its ratio
against the bare baseline it measured in the same run. At the end the ratio lines again, with the machine and its
load, for the README's table.

The review, export and query benchmarks read one store of 1,000,000 administrations, generated once when missing:
$BENCH_STORE, default infusion-bench-1m.sqlite3 in the temp folder. `--only NAME` (repeatable) runs some of them.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"bench_store_generate"}  # makes the large store the others read
READ_THE_STORE = {"bench_review", "bench_export", "bench_store_query"}


def benchmarks() -> list[str]:
    return [path.stem for path in sorted(HERE.glob("bench_*.py")) if path.stem not in NOT_BENCHMARKS]


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    said = ", ".join(f"{value:.1f}" for value in load) or "unknown"
    return (f"{platform.node()}: {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python "
            f"{platform.python_version()}; load average (1, 5, 15 min) {said}")


def run(name: str, store: Path) -> tuple[int, list[str]]:
    """Runs one benchmark, showing its output as it comes; returns its exit code and its lines."""
    command = [sys.executable, "-m", f"benchmarks.{name}"]
    if name in READ_THE_STORE:
        command.append(str(store))
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    lines: list[str] = []
    with subprocess.Popen(command, cwd=HERE.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if "propagateSizeHints" in line:  # the offscreen platform's note, once per window
                continue
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
    return child.returncode, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=benchmarks(), help="run only this benchmark")
    args = parser.parse_args()
    store = Path(os.environ.get("BENCH_STORE") or Path(tempfile.gettempdir()) / "infusion-bench-1m.sqlite3")
    chosen = args.only or benchmarks()
    print(f"== machine at the start: {machine()}", flush=True)
    if READ_THE_STORE & set(chosen) and not store.exists():
        print(f"== generating the store of 1,000,000 administrations: {store}", flush=True)
        subprocess.run([sys.executable, "-m", "benchmarks.bench_store_generate", str(store)], cwd=HERE.parent,
                       check=True)
    summary: list[str] = []
    failed: list[str] = []
    for name in chosen:
        print(f"\n== {name}", flush=True)
        started = time.monotonic()
        code, lines = run(name, store)
        if code != 0:
            failed.append(name)
        summary += [f"{name}: {line.strip()}" for line in lines if "ratio" in line]
        print(f"== {name}: {'failed' if code else 'done'} in {time.monotonic() - started:.0f} s", flush=True)
    print(f"\n== ratios against the bare baselines of this run ({machine()})")
    print("\n".join(summary))
    if failed:
        print(f"== failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
