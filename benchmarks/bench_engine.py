"""Engine speed: parse + compute N administrations from JSON, as a ratio to only parsing the same JSON, and
three-drug visits against the same drugs one by one.

Run: .venv/bin/python -m benchmarks.bench_engine [--count 100000] [--rounds 5]
Each figure is the median of `rounds` runs; the ratios compare figures of the same run.
"""

from __future__ import annotations

import argparse
import json
import random
from decimal import Decimal
from typing import Any

from benchmarks.timing import median_of
from desktop.billing.engine import compute
from desktop.billing.tables import load_rules
from desktop.interop.calc_json import loads, parse_administration

PAYERS = ["medicare", "medicare_advantage", "medicaid", "commercial", "self_pay"]


def _drug(package: Any, pick: random.Random) -> dict[str, Any]:
    vials = pick.randint(1, 4)
    total = package.label_mg * vials
    given = (total * Decimal(pick.randint(50, 100)) / 100).quantize(Decimal("0.1"))
    return {
        "hcpcs": package.hcpcs,
        "packages": [{"ndc": package.ndc, "count": vials, "acquired_340b": pick.random() < 0.4,
                      "lot": "L" + str(pick.randint(1000, 9999)), "expiry": "2028-01"}],
        "administered_mg": str(given),
        "discarded_mg": str(total - given),
        "infusion_minutes": pick.randint(10, 240),
    }


def make_inputs(count: int, seed: int = 7) -> list[str]:
    rules = load_rules()
    single = [p for p in rules.catalog.packages if p.dose_type.value == "single"]
    pick = random.Random(seed)
    bodies = []
    for _ in range(count):
        package = pick.choice(single)
        bodies.append(json.dumps({
            "date_of_service": f"20{pick.randint(18, 26)}-0{pick.randint(1, 9)}-1{pick.randint(0, 9)}",
            "payer_class": pick.choice(PAYERS),
            "facility_type": pick.choice(["dsh", "rural_sch", "cah", "other"]),
        } | _drug(package, pick)))
    return bodies


def make_visits(count: int, seed: int = 11) -> list[str]:
    """Visits of a dexamethasone push, nivolumab and ipilimumab with times, as the chair records them."""
    rules = load_rules()
    pick = random.Random(seed)
    drugs = [rules.catalog.package(n) for n in ("63323-506-41", "0003-3734-13", "0003-2327-11")]
    times = [("08:50", "08:52"), ("09:00", "09:30"), ("10:00", "10:30")]
    bodies = []
    for _ in range(count):
        administrations = []
        for package, (start, stop) in zip(drugs, times, strict=True):
            drug = _drug(package, pick)
            del drug["infusion_minutes"]
            administrations.append(drug | {"infusion_start": f"2026-11-29T{start}:00-06:00",
                                           "infusion_stop": f"2026-11-29T{stop}:00-06:00"})
        bodies.append(json.dumps({"date_of_service": "2026-11-29", "payer_class": pick.choice(PAYERS),
                                  "facility_type": "dsh", "administrations": administrations}))
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rules = load_rules()
    bodies = make_inputs(args.count)

    def baseline() -> None:
        for body in bodies:
            json.loads(body)

    def engine() -> None:
        for body in bodies:
            compute(parse_administration(loads(body), rules), rules)

    bare = median_of(baseline, args.rounds)
    full = median_of(engine, args.rounds)
    each = 1e6 / args.count
    print(f"administrations: {args.count}, median of {args.rounds} rounds")
    print(f"bare json.loads loop: {bare:.3f} s ({bare * each:.1f} us each)")
    print(f"parse + compute:      {full:.3f} s ({full * each:.1f} us each)")
    print(f"ratio engine/bare:    {full / bare:.1f}x")

    try:
        from desktop.billing.engine import compute_visit
        from desktop.interop.calc_json import parse_visit
    except ImportError:  # an engine from before visits
        return
    visits = make_visits(max(args.count // 10, 1))

    def visit_engine() -> None:
        for body in visits:
            compute_visit(parse_visit(loads(body), rules), rules)

    visit_time = median_of(visit_engine, args.rounds) / len(visits)
    print(f"3-drug visit:         {visit_time * 1e6:.1f} us each = {visit_time / (full / args.count):.1f}x one "
          "administration")


if __name__ == "__main__":
    main()
