"""Generator: a SQLite charge store holding N administrations (default 1,000,000: ten years of a large center).

Visits hold one to three drugs (70 % one, 20 % two, 10 % three); one visit of several drugs in ten has a drug in
another state than the others (e.g. the first drug posted, the second still recorded). A drug in 30 carries a
warning finding and a held drug an error, so the findings filter and counts have something to find.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from desktop.services import open_store

FIRST_DAY = dt.date(2016, 11, 29)
DAYS = 3650
HCPCS = ("J9299", "J9022", "J9271", "J9228", "J9302", "J9173")
STATES = ("posted",) * 90 + ("verified",) * 4 + ("recorded",) * 3 + ("held",) * 2 + ("voided",)
DRUGS_PER_VISIT = (1,) * 7 + (2,) * 2 + (3,)
MIXED_EVERY = 10  # one visit of several drugs in ten has a drug in another state
WARNING_EVERY = 30


def mrn(number: int) -> str:
    return f"M{number:07d}"


def _visits(administrations: int, rng: random.Random) -> Iterator[tuple[int, int, list[str], list[str]]]:
    """(visit id, first administration id, drug codes, drug states) until `administrations` drugs are made."""
    visit, administration = 0, 1
    while administration <= administrations:
        visit += 1
        count = min(rng.choice(DRUGS_PER_VISIT), administrations - administration + 1)
        codes = rng.sample(HCPCS, count)
        state = rng.choice(STATES)
        states = [state] * count
        if count > 1 and visit % MIXED_EVERY == 0:
            states[-1] = "recorded" if state != "recorded" else "verified"
        yield visit, administration, codes, states
        administration += count


def generate(path: Path, administrations: int, seed: int = 1) -> None:
    """Create (or replace) the store at `path` through the app's migrations, then bulk-insert rows."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_store(f"sqlite:///{path}").close()
    rng = random.Random(seed)
    patients = max(1, administrations // 20)
    visits = list(_visits(administrations, rng))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")  # generation only; the app always runs FULL
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO patient (id, mrn, name, date_of_birth, created_at) VALUES (?, ?, ?, ?, '2016-01-01 00:00:00')",
        ((i, mrn(i), f"Patient {i:07d}", (dt.date(1940, 1, 1) + dt.timedelta(days=i % 20000)).isoformat())
         for i in range(1, patients + 1)),
    )

    def day_of(visit: int) -> str:
        return (FIRST_DAY + dt.timedelta(days=(visit * DAYS) // (len(visits) + 1))).isoformat()

    connection.executemany(
        "INSERT INTO visit (id, patient_id, date_of_service, place_of_service, payer_class, facility_type,"
        " diagnosis_codes, nurse, consent_recorded, code_revision, recorded_by, recorded_at, version)"
        " VALUES (?, ?, ?, 'hospital_outpatient', 'medicare', 'dsh', '[\"C34.90\"]', ?, 1, 0, 'gen', ?, 1)",
        ((v, rng.randrange(1, patients + 1), day_of(v), f"RN {v % 40}", f"{day_of(v)} 15:00:00")
         for v, _first, _codes, _states in visits),
    )
    drugs = [(first + n, v, n, code, state) for v, first, codes, states in visits
             for n, (code, state) in enumerate(zip(codes, states, strict=True))]
    connection.executemany(
        "INSERT INTO administration (id, request_id, visit_id, position, hcpcs, administered_mg, discarded_mg,"
        " free_drug, explanations, rule_versions, state, recorded_by, recorded_at, version)"
        " VALUES (?, ?, ?, ?, ?, '219', '1', 0, '[]', '{}', ?, 'gen', ?, 1)",
        ((i, f"gen-{i}", v, n, code, state, f"{day_of(v)} 15:00:00") for i, v, n, code, state in drugs),
    )
    connection.executemany(
        "INSERT INTO charge_line (administration_id, position, hcpcs, kind, units, modifiers, reason, rule_versions,"
        " created_at) VALUES (?, ?, 'J9299', ?, ?, '', '', '{}', '2016-01-01 00:00:00')",
        ((i // 2 + 1, i % 2, "administered" if i % 2 == 0 else "discarded", 219 if i % 2 == 0 else 1)
         for i in range(administrations * 2)),
    )
    connection.executemany(
        "INSERT INTO finding (administration_id, position, code, severity, message) VALUES (?, 0, ?, ?, '')",
        ((i, "UNACCOUNTED_DRUG" if state == "held" else "LEAST_WASTE", "error" if state == "held" else "warning")
         for i, _v, _n, _code, state in drugs if state == "held" or i % WARNING_EVERY == 0),
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--administrations", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    generate(args.path, args.administrations)
    print(f"{args.administrations} administrations in {args.path} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
