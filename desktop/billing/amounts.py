"""Exact arithmetic on milligrams and billing units (Decimal, whole units)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache


def _ratio(amount: Decimal, per_unit: Decimal) -> tuple[int, int]:
    """amount / per_unit as an exact fraction (numerator, positive denominator): no 28-digit rounding."""
    top, bottom = amount.as_integer_ratio()
    unit_top, unit_bottom = per_unit.as_integer_ratio()
    numerator, denominator = top * unit_bottom, bottom * unit_top
    return (-numerator, -denominator) if denominator < 0 else (numerator, denominator)


def units_up(mg: Decimal, mg_per_unit: Decimal) -> int:
    """Units for a dose: a part of a unit counts as a whole one (CMS: next highest unit), computed exactly."""
    numerator, denominator = _ratio(mg, mg_per_unit)
    return -(-numerator // denominator)


def units_down(mg: Decimal, mg_per_unit: Decimal) -> int:
    """Whole units contained in an amount (used for waste: it rounds down), computed exactly."""
    numerator, denominator = _ratio(mg, mg_per_unit)
    return numerator // denominator


def amount_text(amount: Decimal, measure: str) -> str:
    """An amount with its unit of measure: "275 mg", "250 mcg", "1,000 mL"."""
    return f"{mg_text(amount)} {measure}"


def units_text(units: int) -> str:
    """1 unit, 2 units."""
    return f"{units} unit" if units == 1 else f"{units} units"


@lru_cache(maxsize=4096)  # the same labels, units and doses recur on every line: format each once
def mg_text(mg: Decimal) -> str:
    """An amount as a person writes it: 275, 2.4, 1,000 (no trailing zeros)."""
    normal = mg.normalize()
    if normal == normal.to_integral_value():
        return f"{int(normal):,}"
    return f"{normal:,f}"


def quantity3(value: Decimal) -> Decimal:
    """A claim quantity: at most three decimals (837P CTP04)."""
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def split_whole(total: int, weights: Sequence[Decimal]) -> list[int]:
    """Share `total` whole units by weight (largest remainder; ties go to the earlier share)."""
    if len(weights) == 1:  # one NDC: the whole total (the usual case)
        return [total if total > 0 and weights[0] > 0 else 0]
    weight_sum = sum(weights, Decimal(0))
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    quotas = [Decimal(total) * w / weight_sum for w in weights]
    shares = [int(q.to_integral_value(rounding=ROUND_FLOOR)) for q in quotas]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares
