"""The least-waste combination of package sizes for a dose (contractors expect it)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

from desktop.billing.amounts import mg_text

_MAX_STEPS = 200_000  # beyond this the search is skipped rather than slow down the preview


@dataclass(frozen=True, slots=True)
class Combination:
    sizes_mg: tuple[Decimal, ...]  # one entry per package, largest first
    measure: str = "mg"

    @property
    def total_mg(self) -> Decimal:
        return sum(self.sizes_mg, Decimal(0))

    def describe(self) -> str:
        counts: dict[Decimal, int] = {}
        for size in self.sizes_mg:
            counts[size] = counts.get(size, 0) + 1
        return " + ".join(f"{n} x {mg_text(size)} {self.measure}" for size, n in counts.items())


def best_combination(dose_mg: Decimal, sizes_mg: Iterable[Decimal], measure: str = "mg") -> Combination | None:
    """The combination of sizes whose total is the smallest amount >= the dose (fewest packages on ties)."""
    if dose_mg <= 0:
        return None
    return _best_of_sizes(dose_mg, sizes_mg if isinstance(sizes_mg, frozenset) else frozenset(sizes_mg), measure)


@lru_cache(maxsize=4096)
def _best_of_sizes(dose_mg: Decimal, sizes_mg: frozenset[Decimal], measure: str) -> Combination | None:
    sizes = tuple(sorted((s for s in sizes_mg if s > 0), reverse=True))
    return _best(dose_mg, sizes, measure) if sizes else None


@lru_cache(maxsize=4096)
def _best(dose_mg: Decimal, sizes: tuple[Decimal, ...], measure: str) -> Combination | None:
    # Work in whole multiples of the sizes' common step (e.g. 20 mg for 40/100/120/240 mg vials).
    decimals = max(-min(int(s.as_tuple().exponent), 0) for s in sizes)
    scale = Decimal(10) ** decimals
    whole = [int(s * scale) for s in sizes]
    step = math.gcd(*whole)
    steps = [w // step for w in whole]
    target = int((dose_mg * scale / step).to_integral_value(rounding=ROUND_CEILING))
    limit = target + max(steps)
    if limit > _MAX_STEPS:
        return None
    # fewest[t] = fewest packages totalling exactly t steps; last[t] = the size added last.
    fewest: list[int | None] = [None] * (limit + 1)
    last = [0] * (limit + 1)
    fewest[0] = 0
    for total in range(1, limit + 1):
        best: int | None = None
        for size in steps:
            if size <= total:
                prior = fewest[total - size]
                if prior is not None and (best is None or prior + 1 < best):
                    best, last[total] = prior + 1, size
        fewest[total] = best
    for total in range(target, limit + 1):
        if fewest[total] is not None:
            picked = []
            while total:
                picked.append(Decimal(last[total] * step) / scale)
                total -= last[total]
            return Combination(tuple(sorted(picked, reverse=True)), measure)
    return None
