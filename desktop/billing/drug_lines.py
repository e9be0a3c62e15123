"""Drug claim lines: administered and JW units, split into one line per NDC for loop 2410."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.billing.amounts import amount_text, quantity3, split_whole, units_text
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
    administration: int,
    measure: str,
) -> list[ClaimLine]:
    given_shares = split_whole(administered_units, [g.given_mg for g in groups])
    wasted_shares = split_whole(discarded_units, [g.wasted_mg for g in groups])
    split = len(groups) > 1
    lines = []
    for group, units in zip(groups, given_shares, strict=True):
        if units:
            reason = _share_reason(reasons[0], units, administered_units, group.given_mg, "given", group,
                                   measure) if split else reasons[0]
            lines.append(ClaimLine(hcpcs, LineKind.ADMINISTERED, units, administered_modifiers,
                                   ndc_detail(group.first, group.given_mg), reason, administration))
    for group, units in zip(groups, wasted_shares, strict=True):
        if units:
            reason = _share_reason(reasons[1], units, discarded_units, group.wasted_mg, "left", group,
                                   measure) if split else reasons[1]
            lines.append(ClaimLine(hcpcs, LineKind.DISCARDED, units, discarded_modifiers,
                                   ndc_detail(group.first, group.wasted_mg), reason, administration))
    return lines


def _share_reason(whole: str, units: int, total: int, amount: Decimal, verb: str, group: NdcGroup,
                  measure: str) -> str:
    """A line of a split drug begins with its own units, then the reason for the drug as a whole."""
    name = group.first.ndc or f"{amount_text(group.first.label_mg, measure)} packages"
    return f"{units_text(units)} of the {total}, for the {amount_text(amount, measure)} {verb} from NDC {name}. " \
           f"All NDCs: {whole}"
