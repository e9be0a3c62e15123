"""Finding codes with their severity, and the constructor that phrases messages for nurses.

What each code means, one paragraph each, is in the user guide: resources/docs/findings.md (a test checks
that every code here has its paragraph there, with its weight).
"""

from __future__ import annotations

from desktop.billing.model import Finding, Severity

# Stable codes: stored with acknowledgements and printed on tickets, so never renamed.
SEVERITY: dict[str, Severity] = {
    "UNKNOWN_HCPCS": Severity.ERROR,
    "NO_PACKAGES": Severity.ERROR,
    "NDC_HCPCS_MISMATCH": Severity.ERROR,
    "PACKAGE_EXPIRED": Severity.ERROR,
    "SUBCUTANEOUS_ON_IV_CODE": Severity.ERROR,
    "MIXED_340B_SOURCE": Severity.ERROR,
    "UNACCOUNTED_DRUG": Severity.ERROR,
    "NOTHING_ADMINISTERED": Severity.ERROR,
    "INVALID_INFUSION_TIME": Severity.ERROR,
    "ROUTE_NOT_ALLOWED": Severity.ERROR,
    "UNKNOWN_ROUTE": Severity.ERROR,
    "MULTI_DOSE_OVERDRAWN": Severity.ERROR,
    "DUPLICATE_ADMINISTRATION": Severity.ERROR,
    "DUPLICATE_SERIAL": Severity.ERROR,
    "OVERLAPPING_INFUSIONS": Severity.ERROR,
    "DIFFERENT_DATES_OF_SERVICE": Severity.ERROR,
    "NO_ADMINISTRATIONS": Severity.ERROR,
    "OVERFILL": Severity.WARNING,
    "LEAST_WASTE": Severity.WARNING,
    "MIXED_DOSE_TYPES": Severity.WARNING,
    "MUE_EXCEEDED": Severity.WARNING,
    "DOSE_BELOW_ORDER": Severity.WARNING,
    "DOSE_ABOVE_ORDER": Severity.WARNING,
    "NDC_MISSING": Severity.WARNING,
    "NDC_NOT_IN_CATALOG": Severity.WARNING,
    "CROSSWALK_LABEL_MISMATCH": Severity.WARNING,
    "DATE_OF_SERVICE_IN_FUTURE": Severity.WARNING,
    "FREE_DRUG": Severity.INFO,
    "NO_340B_MODIFIER": Severity.INFO,
    "CATALOG_UNVERIFIED": Severity.INFO,
    "MULTI_DOSE_LEFTOVER": Severity.INFO,
    "NO_INFUSION_TIME": Severity.INFO,
    "SPLIT_DOSE": Severity.INFO,
}


def finding(code: str, message: str, administration: int | None = None, field: str | None = None) -> Finding:
    return Finding(code=code, severity=SEVERITY[code], message=message, administration=administration, field=field)
