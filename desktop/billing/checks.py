"""Checks on what was opened and documented: crosswalk, expiry, sources, reconciliation."""

from __future__ import annotations

from decimal import Decimal

from desktop.billing.amounts import mg_text
from desktop.billing.catalog import Catalog, Drug
from desktop.billing.findings import finding
from desktop.billing.least_waste import best_combination
from desktop.billing.model import Administration, DoseType, Finding

SUBCUTANEOUS_ROUTES = frozenset({"sc", "subq", "subcut", "subcutaneous", "sq"})


def package_findings(adm: Administration, drug: Drug, catalog: Catalog) -> list[Finding]:
    found: list[Finding] = []
    if not adm.packages:
        found.append(finding("NO_PACKAGES", "No vials are recorded: add each package opened for this dose."))
    for package in adm.packages:
        name = package.ndc or f"{mg_text(package.label_mg)} mg package"
        if package.hcpcs and package.hcpcs != drug.hcpcs:
            owner = catalog.drug(package.hcpcs)
            owner_text = f"{owner.brand} ({owner.generic}, {owner.hcpcs})" if owner else package.hcpcs
            found.append(
                finding(
                    "NDC_HCPCS_MISMATCH",
                    f"NDC {name} is {owner_text}, not {drug.generic} ({drug.hcpcs}): "
                    "check the vial and the drug being billed.",
                )
            )
        if package.expiry and package.expiry < adm.date_of_service:
            found.append(
                finding(
                    "PACKAGE_EXPIRED",
                    f"Vial {name} lot {package.lot or '(none)'} expired on {package.expiry.isoformat()}, "
                    f"before the date of service {adm.date_of_service.isoformat()}.",
                )
            )
        if package.ndc is None:
            found.append(
                finding("NDC_MISSING", f"The {name} has no NDC: the claim line will go without NDC data.")
            )
        else:
            entry = catalog.package(package.ndc)
            if entry is not None and not entry.verified:
                found.append(
                    finding(
                        "CATALOG_UNVERIFIED",
                        f"The catalog entry for NDC {entry.ndc} is not verified ({entry.source}): "
                        "compare it with the vial label.",
                    )
                )
    if adm.route and adm.route.strip().lower() in SUBCUTANEOUS_ROUTES and drug.route.upper() == "IV":
        found.append(
            finding(
                "SUBCUTANEOUS_ON_IV_CODE",
                f"{drug.hcpcs} is for intravenous {drug.generic}; a subcutaneous product has its own code.",
            )
        )
    sources = {p.acquired_340b for p in adm.packages}
    if len(sources) > 1:
        found.append(
            finding(
                "MIXED_340B_SOURCE",
                "Some vials are 340B and some are not: record the 340B vials and the other vials as two "
                "administrations, each with its own mg given and discarded, so each line gets the right modifier.",
            )
        )
    return found


def reconciliation_findings(adm: Administration, single_total: Decimal) -> list[Finding]:
    """Single-dose packages: given + discarded must equal what the labels say was opened."""
    accounted = adm.administered_mg + adm.discarded_mg
    if accounted < single_total:
        missing = single_total - accounted
        return [
            finding(
                "UNACCOUNTED_DRUG",
                f"{mg_text(missing)} mg is not accounted for: {mg_text(single_total)} mg was opened, "
                f"{mg_text(adm.administered_mg)} mg given and {mg_text(adm.discarded_mg)} mg discarded. "
                "Document the rest as given or discarded.",
            )
        ]
    if accounted > single_total:
        extra = accounted - single_total
        return [
            finding(
                "OVERFILL",
                f"Given plus discarded is {mg_text(extra)} mg more than the {mg_text(single_total)} mg on the labels: "
                "overfill was used or a number is wrong. Billing stops at the label amount.",
            )
        ]
    return []


ORDER_TOLERANCE = Decimal("0.01")  # a 1% difference is rounding in preparation, not a different dose


def ordered_dose_findings(adm: Administration) -> list[Finding]:
    """The dose given against the order: payers deny when the documented dose and the units disagree."""
    ordered, given = adm.ordered_dose_mg, adm.administered_mg
    if ordered is None or ordered <= 0 or given <= 0 or abs(given - ordered) <= ordered * ORDER_TOLERANCE:
        return []
    if given < ordered:
        return [
            finding(
                "DOSE_BELOW_ORDER",
                f"{mg_text(given)} mg was given but {mg_text(ordered)} mg was ordered: document why (for example "
                "the infusion was stopped); payers may expect a modifier on the administration line.",
            )
        ]
    return [
        finding(
            "DOSE_ABOVE_ORDER",
            f"{mg_text(given)} mg was given but only {mg_text(ordered)} mg was ordered: check the amounts "
            "or document the changed order.",
        )
    ]


def least_waste_findings(adm: Administration, drug: Drug, catalog: Catalog, single_total: Decimal) -> list[Finding]:
    sizes = [p.label_mg for p in catalog.packages_for(drug.hcpcs) if p.dose_type is DoseType.SINGLE]
    sizes += [p.label_mg for p in adm.packages if p.dose_type is DoseType.SINGLE]
    best = best_combination(adm.administered_mg, sizes)
    if best is None or single_total <= best.total_mg:
        return []
    opened_waste = single_total - adm.administered_mg
    best_waste = best.total_mg - adm.administered_mg
    return [
        finding(
            "LEAST_WASTE",
            f"{mg_text(single_total)} mg was opened for a {mg_text(adm.administered_mg)} mg dose "
            f"({mg_text(opened_waste)} mg waste); {best.describe()} would waste {mg_text(best_waste)} mg. "
            "Contractors may deny waste beyond the least-waste combination.",
        )
    ]
