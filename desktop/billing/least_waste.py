"""The least-waste combination of package sizes for a dose (contractors expect it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

_MAX_STEPS = 400_000  # beyond this the search is skipped rather than slow down the preview


@dataclass(frozen=True, slots=True)
class Combination:
    sizes_mg: tuple[Decimal, ...]  # one entry per package, largest first

    @property
    def total_mg(self) -> Decimal:
        return sum(self.sizes_mg, Decimal(0))

    def describe(self) -> str:
        from desktop.billing.amounts import mg_text

        counts: dict[Decimal, int] = {}
        for size in self.sizes_mg:
            counts[size] = counts.get(size, 0) + 1
        return " + ".join(f"{n} x {mg_text(size)} mg" for size, n in counts.items())


def best_combination(dose_mg: Decimal, sizes_mg: Iterable[Decimal]) -> Combination | None:
    """The combination of sizes whose total is the smallest amount >= the dose (fewest packages on ties)."""
    sizes = sorted({s for s in sizes_mg if s > 0}, reverse=True)
    if not sizes or dose_mg <= 0:
        return None
    exponent = min(min(s.as_tuple().exponent for s in [*sizes, dose_mg]), 0)
    scale = Decimal(10) ** -int(exponent)
    steps = [int(s * scale) for s in sizes]
    target = int((dose_mg * scale).to_integral_value(rounding="ROUND_CEILING"))
    limit = target + max(steps)
    if limit > _MAX_STEPS:
        return None
    # fewest[t] = fewest packages totalling exactly t; last[t] = the size added last.
    fewest: list[int | None] = [None] * (limit + 1)
    last = [0] * (limit + 1)
    fewest[0] = 0
    for total in range(1, limit + 1):
        for step in steps:
            prior = fewest[total - step] if total >= step else None
            if prior is not None and (fewest[total] is None or prior + 1 < fewest[total]):  # type: ignore[operator]
                fewest[total] = prior + 1
                last[total] = step
    for total in range(target, limit + 1):
        if fewest[total] is not None:
            picked = []
            while total:
                picked.append(Decimal(last[total]) / scale)
                total -= last[total]
            return Combination(tuple(sorted(picked, reverse=True)))
    return None
