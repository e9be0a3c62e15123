"""Generator: a SQLite charge store holding N administrations (default 1,000,000: ten years of a large center)."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import time
from pathlib import Path

from desktop.services import open_store

FIRST_DAY = dt.date(2016, 11, 29)
DAYS = 3650
HCPCS = ("J9299", "J9022", "J9271", "J9228", "J9302", "J9173")
STATES = ("posted",) * 90 + ("verified",) * 4 + ("recorded",) * 3 + ("held",) * 2 + ("voided",)


def mrn(number: int) -> str:
    return f"M{number:07d}"


def generate(path: Path, administrations: int, seed: int = 1) -> None:
    """Create (or replace) the store at `path` through the app's migrations, then bulk-insert rows."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_store(f"sqlite:///{path}").close()
    rng = random.Random(seed)
    patients = max(1, administrations // 20)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")  # generation only; the app always runs FULL
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO patient (id, mrn, name, date_of_birth, created_at) VALUES (?, ?, ?, ?, '2016-01-01 00:00:00')",
        ((i, mrn(i), f"Patient {i:07d}", (dt.date(1940, 1, 1) + dt.timedelta(days=i % 20000)).isoformat())
         for i in range(1, patients + 1)),
    )

    def day_of(i: int) -> str:
        return (FIRST_DAY + dt.timedelta(days=(i * DAYS) // (administrations + 1))).isoformat()

    # One visit per administration (a visit of one drug), as the migration makes of older records.
    connection.executemany(
        "INSERT INTO visit (id, patient_id, date_of_service, place_of_service, payer_class, facility_type,"
        " diagnosis_codes, nurse, consent_recorded, code_revision, recorded_by, recorded_at, version)"
        " VALUES (?, ?, ?, 'hospital_outpatient', 'medicare', 'dsh', '[\"C34.90\"]', ?, 1, 0, 'gen', ?, 1)",
        ((i, rng.randrange(1, patients + 1), day_of(i), f"RN {i % 40}", f"{day_of(i)} 15:00:00")
         for i in range(1, administrations + 1)),
    )
    connection.executemany(
        "INSERT INTO administration (id, request_id, visit_id, position, hcpcs, administered_mg, discarded_mg,"
        " free_drug, explanations, rule_versions, state, recorded_by, recorded_at, version)"
        " VALUES (?, ?, ?, 0, ?, '219', '1', 0, '[]', '{}', ?, 'gen', ?, 1)",
        ((i, f"gen-{i}", i, rng.choice(HCPCS), rng.choice(STATES), f"{day_of(i)} 15:00:00")
         for i in range(1, administrations + 1)),
    )
    connection.executemany(
        "INSERT INTO charge_line (administration_id, position, hcpcs, kind, units, modifiers, reason, rule_versions,"
        " created_at) VALUES (?, ?, 'J9299', ?, ?, '', '', '{}', '2016-01-01 00:00:00')",
        ((i // 2 + 1, i % 2, "administered" if i % 2 == 0 else "discarded", 219 if i % 2 == 0 else 1)
         for i in range(administrations * 2)),
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
