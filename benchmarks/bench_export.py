"""Exporting one busy month (~20,000 administrations) as a ratio to writing the same rows as plain CSV.

The baseline is a hand-written sqlite3 query of the same claim lines (administration, patient, charge line)
written with csv.writer: what a one-off script would do. The export loads frozen views through the services,
then renders CSV (every row), FHIR R5 and HL7 v2.5.1. HL7 (hl7apy builds and strictly validates each message)
and FHIR (pydantic models) are timed on a --sample of administrations and extrapolated, stated as such.

Run: .venv/bin/python -m benchmarks.bench_export [PATH] [--days 73] [--sample 500]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_store_generate import DAYS, FIRST_DAY, generate
from desktop.interop.csv_export import to_csv
from desktop.interop.fhir_export import to_fhir_json
from desktop.interop.hl7_export import to_hl7
from desktop.services import open_store
from desktop.services.exports import ExportScope, load_export_records

LINES_SQL = (
    "SELECT a.id, a.state, v.date_of_service, p.mrn, p.name, p.date_of_birth, v.payer, v.payer_class, "
    "v.diagnosis_codes, c.position, c.hcpcs, c.modifiers, c.units, c.kind, c.ndc_qualifier, c.ndc11, "
    "c.ndc_quantity, c.ndc_unit, v.nurse, v.prior_authorization, a.replaces_id, a.void_reason "
    "FROM administration a JOIN visit v ON v.id = a.visit_id JOIN patient p ON p.id = v.patient_id "
    "JOIN charge_line c ON c.administration_id = a.id "
    "WHERE v.date_of_service >= ? AND v.date_of_service <= ? ORDER BY v.date_of_service, a.id, c.position"
)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def peak_mib(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, nargs="?", default=Path(tempfile.gettempdir()) / "infusion-bench-1m.sqlite3")
    parser.add_argument("--administrations", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=73, help="period length (73 days of the 1M store: ~20,000)")
    parser.add_argument("--sample", type=int, default=500, help="administrations timed for HL7 and FHIR")
    args = parser.parse_args()
    if not args.path.exists():
        generate(args.path, args.administrations)
    store = open_store(f"sqlite:///{args.path}")
    end = FIRST_DAY + dt.timedelta(days=DAYS - 2)
    start = end - dt.timedelta(days=args.days - 1)
    raw = sqlite3.connect(args.path)

    def plain_csv() -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(raw.execute(LINES_SQL, (start.isoformat(), end.isoformat())))
        return buffer.getvalue()

    def export_csv() -> str:
        return to_csv(load_export_records(store, start, end, ExportScope.ALL))

    t_plain, plain = timed(plain_csv)
    t_load, records = timed(lambda: load_export_records(store, start, end, ExportScope.ALL))
    t_render, text = timed(lambda: to_csv(records))  # type: ignore[arg-type]
    t_csv = t_load + t_render
    count, lines = len(records), sum(len(r.lines) for r in records)  # type: ignore[arg-type]
    sample = records[: args.sample]  # type: ignore[index]
    now = dt.datetime.now(dt.UTC)
    t_hl7, _ = timed(lambda: to_hl7(sample, now))
    t_fhir, _ = timed(lambda: to_fhir_json(sample, now))
    per_hl7, per_fhir = t_hl7 / len(sample), t_fhir / len(sample)
    print(f"{count:,} administrations, {lines:,} claim lines, dates {start} to {end} (scope all; "
          f"{sum(r.reversal for r in records):,} reversals)")  # type: ignore[union-attr]
    print(f"plain CSV (sqlite3 + csv.writer): {t_plain:.2f} s, {len(plain) / 2**20:.1f} MiB, "
          f"peak {peak_mib(plain_csv):.0f} MiB")
    print(f"export CSV: {t_csv:.2f} s (load {t_load:.2f} s + render {t_render:.2f} s), {len(text) / 2**20:.1f} MiB, "  # type: ignore[arg-type]
          f"peak {peak_mib(export_csv):.0f} MiB; ratio {t_csv / t_plain:.1f}x")
    print(f"export HL7 DFT^P03 (hl7apy, strict validation): {per_hl7 * 1000:.1f} ms per administration on "
          f"{len(sample)}; {count:,} extrapolated: {t_load + per_hl7 * count:.0f} s, "
          f"ratio ~{(t_load + per_hl7 * count) / t_plain:.0f}x")
    print(f"export FHIR R5 Bundle (fhir.resources): {per_fhir * 1000:.2f} ms per administration on {len(sample)}; "
          f"{count:,} extrapolated: {t_load + per_fhir * count:.0f} s, "
          f"ratio ~{(t_load + per_fhir * count) / t_plain:.0f}x")
    store.close()
    raw.close()


if __name__ == "__main__":
    main()
