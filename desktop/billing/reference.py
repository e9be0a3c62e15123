"""CMS's quarterly reference data in force on a date of service: the NDC-HCPCS crosswalk and ASP payment limits.

The services select the files effective on the date of service and hand them to the engine inside the
RuleSet (`RuleSet.reference`); the engine only reads them: which codes an NDC is billed under, how much one
package holds, and what Medicare allows per billing unit. MUE values travel as `MueLimit`s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType

from desktop.billing.amounts import units_down, units_up
from desktop.billing.model import ClaimLine, DoseType, LineKind

# A CMS "HCPCS dosage" is an amount and a unit ("10 MG", "UP TO 50 MG", "250 CC", "25 MCG"); these are the units
# the program's measures (mg, mcg, mL) can be converted from, as a factor into each measure.
_DOSAGE = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*(MCG|MG|GM|G|ML|CC|L)\b", re.IGNORECASE)
_FACTORS: dict[str, dict[str, Decimal]] = {
    "mg": {"MG": Decimal(1), "MCG": Decimal("0.001"), "G": Decimal(1000), "GM": Decimal(1000)},
    "mcg": {"MCG": Decimal(1), "MG": Decimal(1000), "G": Decimal(1000000), "GM": Decimal(1000000)},
    "mL": {"ML": Decimal(1), "CC": Decimal(1), "L": Decimal(1000)},
}
DRUG_LINE_KINDS = (LineKind.ADMINISTERED, LineKind.DISCARDED)


def dosage_amount(dosage: str, measure: str) -> Decimal | None:
    """The amount of one billing unit in `measure` (mg, mcg or mL), read from CMS's dosage text; None when the
    text has no amount in a unit that converts to it (e.g. "1 EA", or "10 MG" for a drug measured in mL)."""
    match = _DOSAGE.search(dosage)
    if match is None:
        return None
    factor = _FACTORS.get(measure, {}).get(match.group(2).upper())
    return None if factor is None else Decimal(match.group(1)) * factor


@dataclass(frozen=True, slots=True)
class CrosswalkEntry:
    """One row of CMS's ASP NDC-HCPCS crosswalk: this NDC (11 digits) is billed under this code."""

    ndc11: str
    hcpcs: str
    dosage: str  # the code's billing unit as CMS writes it, e.g. "10 MG"
    package_quantity: Decimal | None  # PKG QTY: items (vials) in the NDC package
    units_per_package: Decimal | None  # BILLUNITSPKG: billing units in the whole NDC package
    drug_name: str = ""

    def label_amount(self, measure: str) -> Decimal | None:
        """What one item (vial) holds in `measure`: BILLUNITSPKG x dosage / PKG QTY (billing-rules §9); None when
        the row does not say it exactly (no dosage amount in that measure, no quantity, more than 3 decimals)."""
        per_unit = dosage_amount(self.dosage, measure)
        quantity = self.package_quantity
        if per_unit is None or self.units_per_package is None or not quantity:
            return None
        exact = Fraction(self.units_per_package) * Fraction(per_unit) / Fraction(quantity)
        if exact <= 0 or (exact * 1000).denominator != 1:
            return None
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.001")).normalize()


def _empty() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ReferenceData:
    """The crosswalk and the payment limits in force on one date of service (empty: none imported)."""

    crosswalk: Mapping[str, tuple[CrosswalkEntry, ...]] = field(default_factory=_empty)  # type: ignore[arg-type]
    payment_limits: Mapping[str, Decimal] = field(default_factory=_empty)  # type: ignore[arg-type]
    crosswalk_source: str = ""  # e.g. "CMS ASP NDC-HCPCS crosswalk, 2026 Q1"
    limits_source: str = ""  # e.g. "CMS ASP pricing file, 2026 Q1"

    def entries(self, ndc11: str) -> tuple[CrosswalkEntry, ...]:
        return self.crosswalk.get(ndc11, ())

    def codes_for(self, ndc11: str) -> tuple[str, ...]:
        """The codes the crosswalk lists this NDC under (an NDC may be billed under more than one)."""
        return tuple(entry.hcpcs for entry in self.entries(ndc11))

    def entry(self, ndc11: str, hcpcs: str) -> CrosswalkEntry | None:
        return next((e for e in self.entries(ndc11) if e.hcpcs == hcpcs), None)

    def payment_limit(self, hcpcs: str) -> Decimal | None:
        """Dollars Medicare allows per billing unit of the code, or None when no limit is known."""
        return self.payment_limits.get(hcpcs.strip().upper())

    def allowance(self, line: ClaimLine) -> Decimal | None:
        """Expected Medicare allowance of a drug line (a JW line is paid the same way): limit x units, in cents."""
        if line.kind not in DRUG_LINE_KINDS:
            return None
        return allowance(self.payment_limit(line.hcpcs), line.units)


def allowance(limit: Decimal | None, units: int) -> Decimal | None:
    """Payment limit x units, rounded to the cent (None when there is no limit)."""
    if limit is None:
        return None
    return (limit * units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


NO_REFERENCE = ReferenceData()


def waste_units_due(packages: Sequence[tuple[Decimal, int, DoseType]], administered_mg: Decimal,
                    discarded_mg: Decimal, per_unit: Decimal, free_drug: bool = False) -> int:
    """Whole billing units of waste a JW line can carry for one administration (billing-rules §3-4), from the
    packages opened as (label amount, count, dose type): single-dose packages only, the units in the labels less
    the units given (drug not accounted for included); single- and multiple-dose mixed, or no packages, the whole
    units documented as discarded (documented, but the engine cannot bill them); multiple-dose only, none
    (leftover is not waste); nothing given or free drug, none (no drug line to go with it)."""
    if administered_mg <= 0 or free_drug:
        return 0
    single = sum((label * count for label, count, kind in packages if kind is DoseType.SINGLE), Decimal(0))
    multiple = any(kind is DoseType.MULTIPLE for _, _, kind in packages)
    if single and not multiple:
        return max(units_down(single, per_unit) - units_up(min(administered_mg, single), per_unit), 0)
    if multiple and not single:
        return 0
    return units_down(discarded_mg, per_unit)
