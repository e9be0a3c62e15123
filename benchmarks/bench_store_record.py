"""Benchmark: recording one administration through the services vs bare sqlite3 writing the same rows.

Each round records a one-drug visit for a new patient (as at a busy chair) with `record_administration`. The
bare baseline then writes, with plain sqlite3 (WAL, synchronous FULL, foreign keys on, BEGIN IMMEDIATE ... COMMIT),
exactly the rows that round added or changed in the services' database: the patient, the visit, the drug, its
packages and lines, the state change, the visit's codes, the audit events and the chain's head. So the ratio is
what the services cost above storing their result (the engine, checks, the ORM, hashing the chain), and it follows
any change of what a record stores. Wall clock and CPU time, medians of --rounds.

Run: .venv/bin/python -m benchmarks.bench_store_record [--rounds 300]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from db.models import Base
from desktop.services import open_store, record_administration
from tests.services.conftest import make_request

# Rows a record changes rather than adds (the chain's head), replayed as the state they were left in.
UPDATED = {"audit_head": "id"}

Rows = list[tuple[str, list[str], list[tuple[object, ...]]]]


def _tables() -> list[str]:
    """The store's tables, each after those it refers to (the order the rows are written back in)."""
    return [table.name for table in Base.metadata.sorted_tables]


def _high_marks(connection: sqlite3.Connection, tables: list[str]) -> dict[str, int]:
    return {table: connection.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0]
            for table in tables}


def _rows_since(connection: sqlite3.Connection, tables: list[str], marks: dict[str, int]) -> Rows:
    """What one record wrote: every row added after `marks`, and the updated rows as they are now."""
    written: Rows = []
    for table in tables:
        if table in UPDATED:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
        else:
            cursor = connection.execute(f'SELECT * FROM "{table}" WHERE rowid > ? ORDER BY rowid', (marks[table],))
        rows = cursor.fetchall()
        if rows:
            written.append((table, [column[0] for column in cursor.description], rows))
    return written


def bench_services(path: Path, rounds: int) -> tuple[list[float], list[float], list[Rows]]:
    store = open_store(f"sqlite:///{path}")
    watcher = sqlite3.connect(path)  # reads what each round wrote, outside the timing
    tables = _tables()
    walls, cpus, written = [], [], []
    for number in range(rounds):  # a patient each: a new visit each time, as at a busy chair
        request = make_request(mrn=f"MRN{number:05d}", request_id=str(uuid.uuid4()))
        marks = _high_marks(watcher, tables)
        start, cpu = time.perf_counter(), time.process_time()
        record_administration(store, request, "bench")
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        written.append(_rows_since(watcher, tables, marks))
    watcher.close()
    store.close()
    return walls, cpus, written


def bench_bare(path: Path, written: list[Rows]) -> tuple[list[float], list[float]]:
    """The same rows, round by round, each round in one transaction."""
    open_store(f"sqlite:///{path}").close()  # the same schema, indexes and triggers
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        connection.execute(f"PRAGMA {pragma}")
    walls, cpus = [], []
    for rows in written:
        start, cpu = time.perf_counter(), time.process_time()
        connection.execute("BEGIN IMMEDIATE")
        for table, columns, values in rows:
            if table in UPDATED:
                key = UPDATED[table]
                settings = ", ".join(f'"{c}" = ?' for c in columns if c != key)
                connection.executemany(f'UPDATE "{table}" SET {settings} WHERE "{key}" = ?', [
                    (*(v for c, v in zip(columns, row, strict=True) if c != key), row[columns.index(key)])
                    for row in values])
            else:
                names, marks = ", ".join(f'"{c}"' for c in columns), ", ".join("?" * len(columns))
                connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
        connection.execute("COMMIT")
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    connection.close()
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        walls, cpus, written = bench_services(Path(folder) / "services.sqlite3", args.rounds)
        bare_walls, bare_cpus = bench_bare(Path(folder) / "bare.sqlite3", written)
    rows = statistics.median(sum(len(values) for _table, _columns, values in round_rows) for round_rows in written)
    services, bare = statistics.median(walls), statistics.median(bare_walls)
    services_cpu, bare_cpu = statistics.median(cpus), statistics.median(bare_cpus)
    print(f"record one administration ({rows:.0f} rows written), median of {args.rounds}: services "
          f"{services * 1000:.2f} ms wall ({services_cpu * 1000:.2f} ms CPU), bare sqlite3 the same rows "
          f"{bare * 1000:.2f} ms wall ({bare_cpu * 1000:.2f} ms CPU), ratio {services / bare:.1f}x wall "
          f"(goal <= 3x), {services_cpu / bare_cpu:.1f}x CPU")


if __name__ == "__main__":
    main()
