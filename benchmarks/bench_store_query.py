"""Benchmark: list one day (drugs; visits with their drugs, as Today shows them) / find a patient by MRN in a large
store, services vs hand-written SQL."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
from pathlib import Path

from benchmarks.bench_store_generate import DAYS, FIRST_DAY, generate, mrn
from benchmarks.timing import median_of
from desktop.services import find_patients, list_administrations, open_store
from desktop.services.visits.visit_queries import list_visits

DAY_SQL = (
    "SELECT a.id, a.version, a.state, v.date_of_service, p.mrn, p.name, a.hcpcs, a.administered_mg, "
    "(SELECT coalesce(sum(c.units), 0) FROM charge_line c WHERE c.administration_id = a.id "
    "AND c.kind IN ('administered', 'discarded')), a.recorded_by, a.recorded_at, a.hold_reason, a.replaces_id "
    "FROM administration a JOIN visit v ON v.id = a.visit_id JOIN patient p ON p.id = v.patient_id "
    "WHERE v.date_of_service = ? "
    "ORDER BY v.date_of_service DESC, a.id DESC"
)
VISITS_SQL = (
    "SELECT v.id, v.version, v.date_of_service, p.mrn, p.name, v.nurse, v.chair, v.recorded_at FROM visit v "
    "JOIN patient p ON p.id = v.patient_id WHERE v.date_of_service = ? ORDER BY v.recorded_at DESC, v.id DESC"
)
VISIT_DRUGS_SQL = (
    "SELECT a.id, a.version, a.state, a.hcpcs, a.administered_mg, (SELECT coalesce(sum(c.units), 0) "
    "FROM charge_line c WHERE c.administration_id = a.id AND c.kind IN ('administered', 'discarded')), "
    "a.recorded_by, a.recorded_at, a.hold_reason, a.replaces_id, a.visit_id FROM administration a "
    "WHERE a.visit_id IN ({ids}) ORDER BY a.visit_id, a.position, a.id"
)
MRN_SQL = "SELECT id, mrn, name, date_of_birth FROM patient WHERE mrn >= ? AND mrn < ? ORDER BY mrn LIMIT 20"
# The service's contract is "MRN prefix, then name contains": the hand-written equivalent runs both.
NAME_SQL = (
    "SELECT id, mrn, name, date_of_birth FROM patient WHERE lower(name) LIKE ? AND id NOT IN (?) "
    "ORDER BY name, mrn LIMIT ?"
)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, help="the store (generated when missing)")
    parser.add_argument("--administrations", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    if not args.path.exists():
        generate(args.path, args.administrations)
    store = open_store(f"sqlite:///{args.path}")
    raw = sqlite3.connect(args.path)
    count = raw.execute("SELECT count(*) FROM administration").fetchone()[0]
    patients = raw.execute("SELECT count(*) FROM patient").fetchone()[0]
    rng = random.Random(7)
    days = [FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)) for _ in range(args.rounds)]
    mrns = [mrn(rng.randrange(1, patients + 1)) for _ in range(args.rounds)]
    day_iter, mrn_iter = iter(days * 4), iter(mrns * 2)

    svc_day = median_of(lambda: list_administrations(store, next(day_iter)), args.rounds)
    sql_day = median_of(lambda: raw.execute(DAY_SQL, (next(day_iter).isoformat(),)).fetchall(), args.rounds)
    svc_visits = median_of(lambda: list_visits(store, next(day_iter)), args.rounds)

    def hand_visits() -> object:
        visits = raw.execute(VISITS_SQL, (next(day_iter).isoformat(),)).fetchall()
        ids = [v[0] for v in visits]
        return visits, raw.execute(VISIT_DRUGS_SQL.format(ids=",".join("?" * len(ids))), ids).fetchall()

    sql_visits = median_of(hand_visits, args.rounds)
    svc_mrn = median_of(lambda: find_patients(store, next(mrn_iter)), args.rounds)
    opened = median_of(lambda: open_store(f"sqlite:///{args.path}").close(), 3)

    def hand_mrn() -> object:
        wanted = next(mrn_iter)
        found = raw.execute(MRN_SQL, (wanted, wanted + "\U0010ffff")).fetchall()
        return found + raw.execute(NAME_SQL, (f"%{wanted.lower()}%", found[0][0], 20 - len(found))).fetchall()

    sql_mrn = median_of(hand_mrn, args.rounds)
    per_day = len(list_administrations(store, days[0]))
    store.close()
    raw.close()
    print(f"store of {count} administrations, {patients} patients (~{per_day} per day); medians of {args.rounds}")
    print(f"list one day:   services {svc_day * 1000:.2f} ms, hand SQL {sql_day * 1000:.2f} ms, "
          f"ratio {svc_day / sql_day:.1f}x")
    print(f"visits of a day: services {svc_visits * 1000:.2f} ms, hand SQL {sql_visits * 1000:.2f} ms, "
          f"ratio {svc_visits / sql_visits:.1f}x")
    print(f"find by MRN:    services {svc_mrn * 1000:.2f} ms, hand SQL {sql_mrn * 1000:.2f} ms, "
          f"ratio {svc_mrn / sql_mrn:.1f}x")
    print(f"open the store (migration check + quick integrity check): {opened * 1000:.0f} ms")


if __name__ == "__main__":
    main()
