"""Medically Unlikely Edits: a visit's units of one code (JW lines included) against the published value.

The MUE adjudication indicator says how the value is applied: 1 (line edit) to each claim line on its own,
2 and 3 (date of service edits, policy or clinical) to all lines of the code on the date summed. An unknown
indicator is treated as a date of service edit, the stricter reading.
"""

from __future__ import annotations

from desktop.billing.findings import finding
from desktop.billing.model import ClaimLine, Finding, LineKind, Visit
from desktop.billing.tables import MueLimit, RuleSet


def line_edit(limit: MueLimit) -> bool:
    """MAI 1: the value applies to each claim line, not to the date."""
    return limit.indicator.strip().startswith("1")


def mue_findings(visit: Visit, lines: list[ClaimLine], rules: RuleSet) -> list[Finding]:
    if not rules.mue_limits:
        return []
    drug_lines = [line for line in lines if line.kind is not LineKind.ADMINISTRATION]
    found = []
    place = visit.place_of_service
    for hcpcs in dict.fromkeys(line.hcpcs for line in drug_lines):
        limit = next((m for m in rules.mue_limits if m.applies(hcpcs, visit.date_of_service, place)), None)
        if limit is None:
            continue
        of_code = [line for line in drug_lines if line.hcpcs == hcpcs]
        table = f"{place.words} MUE" if limit.setting is not None else "MUE"
        source = f" ({limit.source})" if limit.source else ""
        indicator = f", adjudication indicator {limit.indicator}" if limit.indicator else ""
        if line_edit(limit):
            for line in of_code:
                if line.units > limit.max_units:
                    found.append(finding(
                        "MUE_EXCEEDED",
                        f"A line of {line.units} units of {hcpcs} exceeds the medically unlikely edit of "
                        f"{limit.max_units} per line ({table}{source}{indicator}): the line may be denied without "
                        "supporting documentation.", line.administration, "administered_mg"))
            continue
        total = sum(line.units for line in of_code)
        if total <= limit.max_units:
            continue
        found.append(finding(
            "MUE_EXCEEDED",
            f"{total} units of {hcpcs} (JW included) exceed the medically unlikely edit of {limit.max_units} for this "
            f"date ({table}{source}{indicator}): the line may be denied without supporting documentation.",
            of_code[0].administration, "administered_mg"))
    return found
