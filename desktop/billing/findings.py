"""Finding codes with their severity, and constructors that phrase messages for nurses."""

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
    "OVERFILL": Severity.WARNING,
    "LEAST_WASTE": Severity.WARNING,
    "MIXED_DOSE_TYPES": Severity.WARNING,
    "MUE_EXCEEDED": Severity.WARNING,
    "DOSE_BELOW_ORDER": Severity.WARNING,
    "DOSE_ABOVE_ORDER": Severity.WARNING,
    "NDC_MISSING": Severity.WARNING,
    "FREE_DRUG": Severity.INFO,
    "NO_340B_MODIFIER": Severity.INFO,
    "CATALOG_UNVERIFIED": Severity.INFO,
    "MULTI_DOSE_LEFTOVER": Severity.INFO,
    "NO_INFUSION_TIME": Severity.INFO,
}


def finding(code: str, message: str) -> Finding:
    return Finding(code=code, severity=SEVERITY[code], message=message)
