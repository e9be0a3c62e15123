"""Importing CMS reference data: a 10,000-row NDC-HCPCS crosswalk and a 1,000-row ASP pricing file (preview and
apply) as ratios to reading the same CSV bytes with the `csv` module, measured in the same run.

The files are generated in the published format (tests/interop/cms_samples.py: preamble, header, ISO-8859-1,
thousands separators). The baseline decodes the bytes and lists every row with csv.reader: what a one-off
script would do before any checking. Preview = read + check every row + compare with the version in force +
catalog needs, on a real SQLite file; apply = one transaction inserting every row with its audit event (each
round on a new database). "Second quarter" previews the file against the 10,000 rows already stored.
The issue asks the preview to appear within 2 s: the absolute seconds are printed beside the ratios.

Run: .venv/bin/python -m benchmarks.bench_reference [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desktop.services import open_store
from desktop.services.facility.reference import apply_import, preview_import
from tests.interop.cms_samples import CATALOG_ROWS, crosswalk_bytes, made_up_rows, price_bytes

Q1, Q2 = dt.date(2026, 1, 1), dt.date(2026, 4, 1)
PREVIEW_BUDGET_S = 2.0


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median(action: Callable[[], object], rounds: int) -> float:
    return statistics.median(seconds(action) for _ in range(rounds))


def bare_csv(data: bytes) -> int:
    return len(list(csv.reader(io.StringIO(data.decode("iso-8859-1"), newline=""))))


def measure(name: str, data: bytes, second: bytes | None, folder: Path, rounds: int) -> list[tuple[str, float]]:
    """Seconds of the bare csv.reader, the preview and the apply of one file (and of the next quarter's preview
    against the stored version), each the median of `rounds`."""
    found = [(f"{name} csv.reader", median(lambda: bare_csv(data), rounds))]
    store = open_store(f"sqlite:///{folder / f'{name}.sqlite3'}")
    found.append((f"{name} preview", median(lambda: preview_import(store, data, f"{name}.csv"), rounds)))
    applies = []
    for index in range(rounds):
        fresh = open_store(f"sqlite:///{folder / f'{name}-{index}.sqlite3'}")
        preview = preview_import(fresh, data, f"{name}.csv")
        applies.append(seconds(lambda: apply_import(fresh, preview, "bench")))  # noqa: B023 - run at once
        fresh.close()
    found.append((f"{name} apply", statistics.median(applies)))
    if second is not None:
        apply_import(store, preview_import(store, data, f"{name}.csv"), "bench")
        found.append((f"{name} preview, next quarter vs stored",
                      median(lambda: preview_import(store, second, f"{name}-next.csv"), rounds)))
    store.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--crosswalk-rows", type=int, default=10_000)
    parser.add_argument("--price-rows", type=int, default=1_000)
    args = parser.parse_args()
    crosswalk = crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(args.crosswalk_rows - len(CATALOG_ROWS))], Q1)
    later = crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(args.crosswalk_rows - len(CATALOG_ROWS), 5001)], Q2)
    prices = price_bytes([(f"J{i:04d}", "10 MG", f"{1 + i * 0.137:,.3f}") for i in range(args.price_rows)], Q1)
    print(f"crosswalk {args.crosswalk_rows:,} rows ({len(crosswalk) / 2**20:.1f} MB), pricing {args.price_rows:,} "
          f"rows; median of {args.rounds} rounds, seconds and ratio to csv.reader on the same bytes")
    with tempfile.TemporaryDirectory() as folder:
        for name, data, second in (("crosswalk", crosswalk, later), ("pricing", prices, None)):
            results = measure(name, data, second, Path(folder), args.rounds)
            baseline = results[0][1]
            for label, value in results:
                print(f"  {label:<34} {value:8.3f} s   x{value / baseline:7.1f}")
            worst = max(value for label, value in results if "preview" in label)
            verdict = "within" if worst <= PREVIEW_BUDGET_S else "OVER"
            print(f"  slowest {name} preview {worst:.3f} s: {verdict} the {PREVIEW_BUDGET_S:.0f} s the issue allows")


if __name__ == "__main__":
    main()
