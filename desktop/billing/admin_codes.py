"""Administration (infusion) codes from documented infusion minutes: 96409, 96413, 96415."""

from __future__ import annotations

from desktop.billing.findings import finding
from desktop.billing.model import ClaimLine, Finding, LineKind

PUSH_MAX_MINUTES = 15
FIRST_HOUR = 60
HALF_HOUR = 30
MAX_MINUTES = 24 * 60


def administration_lines(minutes: int | None) -> tuple[tuple[ClaimLine, ...], tuple[Finding, ...]]:
    if minutes is None:
        message = "No infusion start and stop times: administration codes are not computed."
        return (), (finding("NO_INFUSION_TIME", message),)
    if minutes <= 0 or minutes > MAX_MINUTES:
        return (), (
            finding(
                "INVALID_INFUSION_TIME",
                f"An infusion of {minutes} minutes is not possible: check the start and stop times.",
            ),
        )
    if minutes <= PUSH_MAX_MINUTES:
        return (
            ClaimLine("96409", LineKind.ADMINISTRATION, 1, reason=f"{minutes} min is 15 minutes or less: IV push"),
        ), ()
    lines = [ClaimLine("96413", LineKind.ADMINISTRATION, 1, reason=f"{minutes} min infusion: first hour")]
    beyond = minutes - FIRST_HOUR
    extra_hours = 0
    if beyond > 0:
        extra_hours = beyond // FIRST_HOUR + (1 if beyond % FIRST_HOUR > HALF_HOUR else 0)
    if extra_hours:
        lines.append(
            ClaimLine(
                "96415",
                LineKind.ADMINISTRATION,
                extra_hours,
                reason=f"{beyond} min beyond the first hour: {extra_hours} additional hour(s), "
                "each counted only past 30 minutes",
            )
        )
    return tuple(lines), ()
