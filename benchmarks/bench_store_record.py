"""Benchmark: recording one administration through the services vs the same rows with bare sqlite3."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from desktop.billing.engine import compute
from desktop.billing.tables import load_rules
from desktop.services import open_store, record_administration
from tests.services.conftest import make_request


def bench_services(path: Path, rounds: int) -> list[float]:
    store = open_store(f"sqlite:///{path}")
    timings = []
    for number in range(rounds):  # a patient each: a new visit each time, as at a busy chair
        request = make_request(mrn=f"MRN{number:05d}", request_id=str(uuid.uuid4()))
        start = time.perf_counter()
        record_administration(store, request, "bench")
        timings.append(time.perf_counter() - start)
    store.close()
    return timings


def bench_bare(path: Path, rounds: int) -> list[float]:
    """The same rows (visit, administration, 2 packages, 3 lines, history, audit event, head) and one commit."""
    open_store(f"sqlite:///{path}").close()  # schema only
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute("INSERT INTO patient (mrn, name, date_of_birth, created_at) VALUES "
                       "('MRN001', 'Jane Doe', '1960-01-02', '2026-01-01')")
    request = make_request()
    computed = compute(request.administration, load_rules()).lines
    lines = [line for line in computed if line.kind.value != "administration"]
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        now = dt.datetime.now(dt.UTC).isoformat()
        connection.execute("BEGIN IMMEDIATE")
        patient_id = connection.execute("SELECT id FROM patient WHERE mrn = 'MRN001'").fetchone()[0]
        visit_id = connection.execute(
            "INSERT INTO visit (patient_id, date_of_service, payer_class, facility_type, diagnosis_codes,"
            " consent_recorded, code_revision, recorded_by, recorded_at, version) VALUES (?, '2026-11-29',"
            " 'medicare', 'dsh', '[\"C34.90\"]', 0, 0, 'bench', ?, 1)", (patient_id, now)).lastrowid
        cur = connection.execute(
            "INSERT INTO administration (request_id, visit_id, position, hcpcs, administered_mg, discarded_mg,"
            " free_drug, explanations, rule_versions, state, recorded_by, recorded_at, version) VALUES (?, ?, 0,"
            " 'J9299', '219', '1', 0, '[]', '{}', 'recorded', 'bench', ?, 1)",
            (str(uuid.uuid4()), visit_id, now))
        admin_id = cur.lastrowid
        for i in range(2):
            connection.execute("INSERT INTO package_opened (administration_id, position, ndc, count, label_mg, "
                               "dose_type, acquired_340b) VALUES (?, ?, '0003-3774-12', 1, '100', 'single', 0)",
                               (admin_id, i))
        for i, line in enumerate(lines):
            connection.execute("INSERT INTO charge_line (administration_id, position, hcpcs, kind, units, modifiers,"
                               " reason, rule_versions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?)",
                               (admin_id, i, line.hcpcs, line.kind.value, line.units, ",".join(line.modifiers),
                                line.reason, now))
        connection.execute("INSERT INTO state_change (administration_id, to_state, changed_by, changed_at) "
                           "VALUES (?, 'recorded', 'bench', ?)", (admin_id, now))
        last_id, last_hash = connection.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
        body = json.dumps({"id": last_id + 1, "after": {"id": admin_id}, "prev": last_hash}, sort_keys=True)
        digest = hashlib.sha256(body.encode()).hexdigest()
        connection.execute("INSERT INTO audit_event (id, occurred_at, actor, action, entity, entity_id, after_json,"
                           " prev_hash, hash) VALUES (?, ?, 'bench', 'create', 'administration', ?, ?, ?, ?)",
                           (last_id + 1, now, str(admin_id), body, last_hash, digest))
        connection.execute("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", (last_id + 1, digest))
        connection.execute("COMMIT")
        timings.append(time.perf_counter() - start)
    connection.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        services = statistics.median(bench_services(Path(folder) / "services.sqlite3", args.rounds))
        bare = statistics.median(bench_bare(Path(folder) / "bare.sqlite3", args.rounds))
    print(f"record one administration, median of {args.rounds}: services {services * 1000:.2f} ms, "
          f"bare sqlite3 {bare * 1000:.2f} ms, ratio {services / bare:.1f}x")


if __name__ == "__main__":
    main()
