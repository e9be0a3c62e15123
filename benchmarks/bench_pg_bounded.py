"""Benchmark: the cost of the client-side limit on every PostgreSQL round trip (db/pg_connection.py).

A one-row SELECT through BoundedConnection (every wait bounded, so a silent server is given up) against the same
statement through a plain psycopg connection, in the same run; printed as a ratio. Needs a server:
`INFUSION_CHARGE_TEST_PG_URL` (skipped without it).
"""

from __future__ import annotations

import argparse
import os

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.timing import median_of
from db.pg_connection import connect
from db.workstation import StoreTimeouts


def conninfo(url: str) -> dict[str, object]:
    parsed = make_url(url)
    return {"host": parsed.host, "port": parsed.port, "user": parsed.username, "password": parsed.password,
            "dbname": parsed.database}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("INFUSION_CHARGE_TEST_PG_URL")
    if not url:
        print("bench_pg_bounded: skipped (no INFUSION_CHARGE_TEST_PG_URL)")
        return
    params = conninfo(url)
    bare = psycopg.connect(**params, autocommit=True)  # type: ignore[arg-type]
    bounded = connect(StoreTimeouts(), **params)
    bounded.autocommit = True

    def run(connection: psycopg.Connection[object]) -> None:
        with connection.cursor() as cursor:
            for _ in range(args.statements):
                cursor.execute("SELECT 1")
                cursor.fetchone()

    bare_s = median_of(lambda: run(bare), args.rounds)
    bounded_s = median_of(lambda: run(bounded), args.rounds)
    per = 1e6 / args.statements
    print(f"bench_pg_bounded: bare {bare_s * per:.1f} us/statement, bounded {bounded_s * per:.1f} us/statement, "
          f"ratio {bounded_s / bare_s:.3f}")
    bare.close()
    bounded.close()


if __name__ == "__main__":
    main()
