"""Checks on what was opened and documented: crosswalk, expiry, route, sources, reconciliation."""

from __future__ import annotations

from decimal import Decimal

from desktop.billing.amounts import amount_text
from desktop.billing.catalog import Catalog, Drug
from desktop.billing.findings import finding
from desktop.billing.least_waste import best_combination
from desktop.billing.model import Administration, DoseType, Finding, PackageUse
from desktop.billing.ndc import NdcFormatError, format_ndc11, to_ndc11
from desktop.billing.reference import NO_REFERENCE, ReferenceData
from desktop.billing.routes import RouteTable


def ndc_words(ndc: str) -> str:
    """An NDC as people compare it with the claim: the 11-digit 5-4-2 form where the shape allows."""
    try:
        return format_ndc11(to_ndc11(ndc))
    except NdcFormatError:
        return ndc


def _ndc11(ndc: str) -> str | None:
    try:
        return to_ndc11(ndc)
    except NdcFormatError:
        return None


def ndc_owner(package: PackageUse, catalog: Catalog, reference: ReferenceData = NO_REFERENCE,
              hcpcs: str | None = None) -> str | None:
    """The HCPCS code this NDC is billed under: CMS's crosswalk for the date of service first (`hcpcs` when it
    lists the NDC under that code too, since an NDC may belong to several), else the catalog; None: neither
    lists it."""
    codes = reference.codes_for(_ndc11(package.ndc) or "") if package.ndc else ()
    if codes:
        return hcpcs if hcpcs in codes else codes[0]
    if package.hcpcs:
        return package.hcpcs
    if package.ndc is None:
        return None
    entry = catalog.package(package.ndc)
    return None if entry is None else entry.hcpcs


def mismatched_ndcs(adm: Administration, drug: Drug, catalog: Catalog,
                    reference: ReferenceData = NO_REFERENCE) -> list[tuple[int, str, str]]:
    """(package index, NDC, its code) for every vial listed under another code than the line's."""
    found = []
    for i, package in enumerate(adm.packages):
        owner = ndc_owner(package, catalog, reference, drug.hcpcs)
        if package.ndc is not None and owner is not None and owner != drug.hcpcs:
            found.append((i, package.ndc, owner))
    return found


def crosswalk_label(package: PackageUse, drug: Drug, reference: ReferenceData) -> Decimal | None:
    """What one vial of this NDC holds by CMS's crosswalk under the drug's code (None: not said there)."""
    ndc11 = _ndc11(package.ndc) if package.ndc else None
    entry = reference.entry(ndc11, drug.hcpcs) if ndc11 else None
    return None if entry is None else entry.label_amount(drug.measure)


def package_findings(adm: Administration, drug: Drug, catalog: Catalog, index: int,
                     reference: ReferenceData = NO_REFERENCE) -> list[Finding]:
    found: list[Finding] = []
    if not adm.packages:
        found.append(finding("NO_PACKAGES", "No vials are recorded: add each package opened for this dose.",
                             index, "packages"))
    seen: set[tuple[str, str]] = set()  # one NDC in two rows is one finding, not two

    def add(code: str, message: str, field: str) -> None:
        if (code, message) not in seen:
            seen.add((code, message))
            found.append(finding(code, message, index, field))

    for i, package in enumerate(adm.packages):
        name = package.ndc or f"{amount_text(package.label_mg, drug.measure)} package"
        owner = ndc_owner(package, catalog, reference, drug.hcpcs)
        source = reference.crosswalk_source if reference.codes_for(_ndc11(package.ndc or "") or "") else ""
        if package.ndc is not None and owner is not None and owner != drug.hcpcs:
            other = catalog.drug(owner)
            owner_text = f"{other.brand} ({other.generic}, {other.hcpcs})" if other else owner
            where = f" according to the {source}" if source else ""
            add("NDC_HCPCS_MISMATCH",
                f"NDC {name} is {owner_text}{where}, not {drug.generic} ({drug.hcpcs}): check the vial and the "
                "drug being billed. No drug line is computed until they agree.", f"packages[{i}].ndc")
        elif package.ndc is not None and owner is None:
            crosswalk = " or in CMS's NDC-HCPCS crosswalk" if reference.crosswalk_source else ""
            add("NDC_NOT_IN_CATALOG",
                f"NDC {ndc_words(package.ndc)} is not listed under {drug.hcpcs} ({drug.generic}) in the catalog"
                f"{crosswalk}: check the vial label against {drug.hcpcs} before billing, or add the NDC to the "
                "catalog.", f"packages[{i}].ndc")
        cms_label = crosswalk_label(package, drug, reference) if owner == drug.hcpcs else None
        if cms_label is not None and cms_label != package.label_mg:
            add("CROSSWALK_LABEL_MISMATCH",
                f"NDC {ndc_words(package.ndc or '')} is recorded as {amount_text(package.label_mg, drug.measure)} "
                f"per vial, but the {reference.crosswalk_source or 'CMS NDC-HCPCS crosswalk'} gives "
                f"{amount_text(cms_label, drug.measure)}: check the vial label, then correct the catalog or the "
                "package recorded; units are computed from the amount recorded.", f"packages[{i}].ndc")
        if package.expiry and package.expiry < adm.date_of_service:
            add("PACKAGE_EXPIRED",
                f"Vial {name} lot {package.lot or '(none)'} expired on {package.expiry.isoformat()}, "
                f"before the date of service {adm.date_of_service.isoformat()}.", f"packages[{i}].expiry")
        if package.ndc is None:
            add("NDC_MISSING", f"The {name} has no NDC: the claim line will go without NDC data.",
                f"packages[{i}].ndc")
    sources = {p.acquired_340b for p in adm.packages}
    if len(sources) > 1:
        found.append(
            finding(
                "MIXED_340B_SOURCE",
                "Some vials are 340B and some are not: record the 340B vials and the other vials as two "
                "administrations, each with its own amount given and discarded, so each line gets the right "
                "modifier.",
                index, "packages",
            )
        )
    return found


def route_findings(adm: Administration, drug: Drug, routes: RouteTable, index: int) -> list[Finding]:
    """The route written, against the vocabulary and the routes the code allows."""
    if adm.route is None or not adm.route.strip():
        return []
    route = routes.find(adm.route)
    if route is None:
        return [finding("UNKNOWN_ROUTE",
                        f"The route {adm.route.strip()!r} is not one the program knows: use one of "
                        f"{routes.names()}.", index, "route")]
    if route.code in drug.routes:
        return []
    allowed = " or ".join(r.name.lower() for code in drug.routes if (r := routes.by_code(code)))
    if route.code == "SC" and "IV" in drug.routes:
        return [finding("SUBCUTANEOUS_ON_IV_CODE",
                        f"{drug.hcpcs} is for intravenous {drug.generic}; a subcutaneous product has its own code.",
                        index, "route")]
    return [finding("ROUTE_NOT_ALLOWED",
                    f"{route.name} ({route.code}) is not a route of {drug.hcpcs} ({drug.generic}), which is given "
                    f"{allowed}: check the route, or the code being billed.", index, "route")]


def reconciliation_findings(adm: Administration, single_total: Decimal, measure: str, index: int) -> list[Finding]:
    """Single-dose packages: given + discarded must equal what the labels say was opened."""
    given, discarded = adm.administered_mg, adm.discarded_mg
    accounted = given + discarded
    if accounted < single_total:
        missing = single_total - accounted
        return [
            finding(
                "UNACCOUNTED_DRUG",
                f"{amount_text(missing, measure)} is not accounted for: {amount_text(single_total, measure)} was "
                f"opened, {amount_text(given, measure)} given and {amount_text(discarded, measure)} discarded. "
                "Document the rest as given or discarded.",
                index, "discarded_mg",
            )
        ]
    if accounted <= single_total:
        return []
    if given > single_total:
        return [
            finding(
                "OVERFILL",
                f"{amount_text(given, measure)} given is more than the {amount_text(single_total, measure)} on the "
                "labels: overfill was used or a number is wrong. Billing stops at the label amount.",
                index, "administered_mg",
            )
        ]
    left = single_total - given
    return [
        finding(
            "OVERFILL",
            f"{amount_text(discarded, measure)} discarded, but only {amount_text(left, measure)} was left in the "
            f"vials after {amount_text(given, measure)} given ({amount_text(single_total, measure)} on the labels): "
            "overfill was discarded or a number is wrong. Billing stops at the label amount.",
            index, "discarded_mg",
        )
    ]


def multiple_dose_findings(adm: Administration, label_total: Decimal, measure: str, index: int) -> list[Finding]:
    """Multiple-dose vials: what was given cannot be more than the vials hold."""
    if adm.administered_mg <= label_total:
        return []
    return [
        finding(
            "MULTI_DOSE_OVERDRAWN",
            f"{amount_text(adm.administered_mg, measure)} was given, but the vials recorded hold only "
            f"{amount_text(label_total, measure)}: check the amount given and the vials opened. Billing stops at "
            "the label amount.",
            index, "administered_mg",
        )
    ]


ORDER_TOLERANCE = Decimal("0.01")  # a 1% difference is rounding in preparation, not a different dose


def ordered_dose_findings(adm: Administration, measure: str, index: int) -> list[Finding]:
    """The dose given against the order: payers deny when the documented dose and the units disagree."""
    ordered, given = adm.ordered_dose_mg, adm.administered_mg
    if ordered is None or ordered <= 0 or given <= 0 or abs(given - ordered) <= ordered * ORDER_TOLERANCE:
        return []
    if given < ordered:
        return [
            finding(
                "DOSE_BELOW_ORDER",
                f"{amount_text(given, measure)} was given but {amount_text(ordered, measure)} was ordered: document "
                "why (for example the infusion was stopped); payers may expect a modifier on the administration "
                "line.",
                index, "administered_mg",
            )
        ]
    return [
        finding(
            "DOSE_ABOVE_ORDER",
            f"{amount_text(given, measure)} was given but only {amount_text(ordered, measure)} was ordered: check "
            "the amounts or document the changed order.",
            index, "administered_mg",
        )
    ]


def least_waste_findings(adm: Administration, drug: Drug, catalog: Catalog, single_total: Decimal,
                         index: int) -> list[Finding]:
    sizes = catalog.single_dose_sizes(drug.hcpcs)
    opened = {p.label_mg for p in adm.packages if p.dose_type is DoseType.SINGLE}
    best = best_combination(adm.administered_mg, sizes if opened <= sizes else sizes | opened, drug.measure)
    if best is None or single_total <= best.total_mg:
        return []
    opened_waste = single_total - adm.administered_mg
    best_waste = best.total_mg - adm.administered_mg
    measure = drug.measure
    return [
        finding(
            "LEAST_WASTE",
            f"{amount_text(single_total, measure)} was opened for a {amount_text(adm.administered_mg, measure)} "
            f"dose ({amount_text(opened_waste, measure)} waste); {best.describe()} would waste "
            f"{amount_text(best_waste, measure)}. Contractors may deny waste beyond the least-waste combination.",
            index, "packages",
        )
    ]


def catalog_provenance(adm: Administration, drug: Drug, catalog: Catalog,
                       reference: ReferenceData = NO_REFERENCE) -> list[str]:
    """Where each vial's catalog entry comes from when nobody has checked it yet and CMS's crosswalk does not
    confirm its label amount: for the details view and the catalog page, not a finding on every charge of that
    vial (CATALOG_UNVERIFIED is no longer raised)."""
    words: list[str] = []
    for package in adm.packages:
        entry = catalog.package(package.ndc) if package.ndc else None
        if entry is None or entry.verified or crosswalk_label(package, drug, reference) == package.label_mg:
            continue
        text = f"Catalog entry for NDC {entry.ndc} not yet verified ({entry.source}): compare it with the vial label."
        if text not in words:
            words.append(text)
    return words
