"""Engine speed: compute N administrations from JSON, as a ratio to only parsing the same JSON.

Run: .venv/bin/python -m benchmarks.bench_engine [--count 100000]
"""

from __future__ import annotations

import argparse
import json
import random
from decimal import Decimal

from benchmarks.timing import best_of
from desktop.billing.engine import compute
from desktop.billing.tables import load_rules
from desktop.interop.calc_json import loads, parse_administration

PAYERS = ["medicare", "medicare_advantage", "medicaid", "commercial", "self_pay"]


def make_inputs(count: int, seed: int = 7) -> list[str]:
    rules = load_rules()
    single = [p for p in rules.catalog.packages if p.dose_type.value == "single"]
    pick = random.Random(seed)
    bodies = []
    for _ in range(count):
        package = pick.choice(single)
        vials = pick.randint(1, 4)
        total = package.label_mg * vials
        given = (total * Decimal(pick.randint(50, 100)) / 100).quantize(Decimal("0.1"))
        bodies.append(json.dumps({
            "date_of_service": f"20{pick.randint(18, 26)}-0{pick.randint(1, 9)}-1{pick.randint(0, 9)}",
            "hcpcs": package.hcpcs,
            "payer_class": pick.choice(PAYERS),
            "facility_type": pick.choice(["dsh", "rural_sch", "cah", "other"]),
            "packages": [{"ndc": package.ndc, "count": vials, "acquired_340b": pick.random() < 0.4,
                          "lot": "L" + str(pick.randint(1000, 9999)), "expiry": "2028-01"}],
            "administered_mg": str(given),
            "discarded_mg": str(total - given),
            "infusion_minutes": pick.randint(10, 240),
        }))
    return bodies




def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rules = load_rules()
    bodies = make_inputs(args.count)

    def baseline() -> None:
        for body in bodies:
            json.loads(body)

    def engine() -> None:
        for body in bodies:
            compute(parse_administration(loads(body), rules), rules)

    bare = best_of(baseline, args.repeats)
    full = best_of(engine, args.repeats)
    print(f"administrations: {args.count}")
    print(f"bare json.loads loop: {bare:.3f} s ({bare / args.count * 1e6:.1f} us each)")
    print(f"parse + compute:      {full:.3f} s ({full / args.count * 1e6:.1f} us each)")
    print(f"ratio engine/bare:    {full / bare:.1f}x")


if __name__ == "__main__":
    main()
