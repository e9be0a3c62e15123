"""Start-up time of the frozen bundle against running from source: `--version` and `--self-test`, wall clock.

Usage: `make dist`, then `.venv/bin/python -m benchmarks.bench_startup_bundle [--runs N] [--bundle DIR]`.
Without a bundle it says so and measures the source only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT / "dist" / "infusion-charge"


def wall_times(command: list[str], runs: int, cwd: Path) -> list[float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True, timeout=300)  # warm the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True, timeout=300)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    args = parser.parse_args()
    commands = {"source": [sys.executable, "-m", "desktop.cli.main"]}
    executable = args.bundle / "infusion-charge"
    if executable.is_file():
        commands["bundle"] = [str(executable)]
    else:
        print(f"no bundle at {args.bundle} (run `make dist`): measuring the source only")
    print(f"{'command':<28}{'best s':>9}{'median s':>10}   ({args.runs} runs after one warm-up)")
    medians: dict[tuple[str, str], float] = {}
    for flag in ("--version", "--self-test"):
        for where, command in commands.items():
            times = wall_times([*command, flag], args.runs, ROOT)
            medians[where, flag] = statistics.median(times)
            print(f"{where + ' ' + flag:<28}{min(times):>9.3f}{medians[where, flag]:>10.3f}")
    if "bundle" in commands:
        for flag in ("--version", "--self-test"):
            print(f"bundle / source {flag}: {medians['bundle', flag] / medians['source', flag]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
