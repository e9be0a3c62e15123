"""Runs every benchmark script in this folder, one after another, printing their reports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    failed = 0
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        print(f"== {script.stem}", flush=True)
        run = subprocess.run([sys.executable, "-m", f"benchmarks.{script.stem}"], check=False)
        failed += run.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
