"""Medically Unlikely Edits: a visit's units of one code (JW lines included) against the published value."""

from __future__ import annotations

from desktop.billing.findings import finding
from desktop.billing.model import ClaimLine, Finding, LineKind, Visit
from desktop.billing.tables import RuleSet


def mue_findings(visit: Visit, lines: list[ClaimLine], rules: RuleSet) -> list[Finding]:
    if not rules.mue_limits:
        return []
    units: dict[str, int] = {}
    first_index: dict[str, int | None] = {}
    for line in lines:
        if line.kind is not LineKind.ADMINISTRATION:
            units[line.hcpcs] = units.get(line.hcpcs, 0) + line.units
            first_index.setdefault(line.hcpcs, line.administration)
    found = []
    place = visit.place_of_service
    for hcpcs, total in units.items():
        limit = next((m for m in rules.mue_limits if m.applies(hcpcs, visit.date_of_service, place)), None)
        if limit is None or total <= limit.max_units:
            continue
        table = f"{place.words} MUE" if limit.setting is not None else "MUE"
        source = f" ({limit.source})" if limit.source else ""
        found.append(finding(
            "MUE_EXCEEDED",
            f"{total} units of {hcpcs} (JW included) exceed the medically unlikely edit of {limit.max_units} for this "
            f"date ({table}{source}): the line may be denied without supporting documentation.",
            first_index[hcpcs], "administered_mg"))
    return found
