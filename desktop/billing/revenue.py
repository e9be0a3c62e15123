"""Revenue codes of a hospital outpatient claim (UB-04 / 837I): drugs 0636, chemo administration 0335, IV 0260."""

from __future__ import annotations

from desktop.billing.model import ClaimLine, LineKind, PlaceOfService

DRUG_REVENUE_CODE = "0636"  # drugs requiring detailed coding
CHEMO_ADMINISTRATION_REVENUE_CODE = "0335"  # chemotherapy administration, IV
IV_THERAPY_REVENUE_CODE = "0260"  # IV therapy: therapeutic and hydration administration
CHEMO_ADMINISTRATION_CODES = frozenset({"96401", "96402", "96409", "96411", "96413", "96415", "96416", "96417"})


def revenue_code(line: ClaimLine, place: PlaceOfService) -> str | None:
    """The line's revenue code (billing-rules §8); physician offices bill without one."""
    if place is not PlaceOfService.HOSPITAL_OUTPATIENT:
        return None
    if line.kind is not LineKind.ADMINISTRATION:
        return DRUG_REVENUE_CODE
    return CHEMO_ADMINISTRATION_REVENUE_CODE if line.hcpcs in CHEMO_ADMINISTRATION_CODES else IV_THERAPY_REVENUE_CODE
