"""Drug claim lines: administered and JW units, split into one line per NDC for loop 2410."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.billing.amounts import mg_text, quantity3, split_whole
from desktop.billing.model import ClaimLine, LineKind, NdcDetail, PackageUse
from desktop.billing.ndc import to_ndc11


@dataclass(frozen=True, slots=True)
class NdcGroup:
    """All packages of one NDC (or one uncatalogued size), with the mg given and wasted from them."""

    first: PackageUse
    label_mg: Decimal
    given_mg: Decimal
    wasted_mg: Decimal


def group_packages(packages: tuple[PackageUse, ...], administered_mg: Decimal) -> list[NdcGroup]:
    """Fill the dose from the packages in the order recorded; what is left in each is its waste."""
    totals: dict[str, tuple[PackageUse, Decimal]] = {}
    for package in packages:
        key = package.ndc or f"label:{package.label_mg}:{package.dose_type.value}"
        first, total = totals.get(key, (package, Decimal(0)))
        totals[key] = (first, total + package.total_label_mg)
    groups = []
    remaining = administered_mg
    for first, total in totals.values():
        given = min(total, remaining)
        remaining -= given
        groups.append(NdcGroup(first, total, given, total - given))
    if remaining > 0 and groups:  # overfill: the extra mg came from the last package drawn
        last = groups[-1]
        groups[-1] = NdcGroup(last.first, last.label_mg, last.given_mg + remaining, last.wasted_mg)
    return groups


def ndc_detail(package: PackageUse, mg: Decimal) -> NdcDetail | None:
    if package.ndc is None:
        return None
    unit = package.ndc_unit or "UN"
    if unit == "ML" and package.volume_ml is not None:
        quantity = mg * package.volume_ml / package.label_mg
    elif unit == "ME":
        quantity = mg
    elif unit == "GR":
        quantity = mg / 1000
    else:  # UN (and F2 without an IU strength): packages' worth
        unit = "UN" if unit != "F2" else unit
        quantity = mg / package.label_mg
    return NdcDetail(ndc11=to_ndc11(package.ndc), qualifier="N4", unit=unit, quantity=quantity3(quantity))


def drug_lines(
    hcpcs: str,
    groups: list[NdcGroup],
    administered_units: int,
    discarded_units: int,
    administered_modifiers: tuple[str, ...],
    discarded_modifiers: tuple[str, ...],
    reasons: tuple[str, str],
) -> list[ClaimLine]:
    given_shares = split_whole(administered_units, [g.given_mg for g in groups])
    wasted_shares = split_whole(discarded_units, [g.wasted_mg for g in groups])
    lines = []
    for group, units in zip(groups, given_shares, strict=True):
        if units:
            lines.append(
                ClaimLine(hcpcs, LineKind.ADMINISTERED, units, administered_modifiers,
                          ndc_detail(group.first, group.given_mg), _ndc_reason(reasons[0], group, len(groups)))
            )
    for group, units in zip(groups, wasted_shares, strict=True):
        if units:
            lines.append(
                ClaimLine(hcpcs, LineKind.DISCARDED, units, discarded_modifiers,
                          ndc_detail(group.first, group.wasted_mg), _ndc_reason(reasons[1], group, len(groups)))
            )
    return lines


def _ndc_reason(reason: str, group: NdcGroup, group_count: int) -> str:
    if group_count == 1:
        return reason
    name = group.first.ndc or f"{mg_text(group.first.label_mg)} mg packages"
    return f"{reason} (this line: the share from NDC {name})"
