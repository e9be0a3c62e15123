"""Modifier decisions: the 340B modifier (JG/TB) by date and facility."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.billing.findings import finding
from desktop.billing.model import Administration, Finding
from desktop.billing.tables import PayerPolicy, RuleSet


@dataclass(frozen=True, slots=True)
class Modifier340b:
    modifier: str | None
    reason: str  # what the claim line says
    findings: tuple[Finding, ...] = ()
    provenance: str = ""  # the table row that decided it, for the explanations (not every claim line)


def modifier_340b(adm: Administration, policy: PayerPolicy, rules: RuleSet, index: int | None = None) -> Modifier340b:
    if not adm.packages or not all(p.acquired_340b for p in adm.packages):
        if any(p.acquired_340b for p in adm.packages):
            return Modifier340b(None, "340B: vials from mixed sources, no modifier until they are split")
        return Modifier340b(None, "Not 340B-acquired: no JG/TB modifier")
    if not policy.uses_340b_modifier:
        return Modifier340b(None, f"340B-acquired, but {policy.label} claims do not carry JG/TB (payer-class table)")
    for row in rules.modifiers_340b:
        if row.applies(adm.date_of_service, adm.facility_type):
            checked = "" if row.verified else ", not yet verified"
            return Modifier340b(
                row.modifier,
                f"{row.modifier}: 340B-acquired, {adm.facility_type.value} facility",
                provenance=f" (340B table: rule {row.describe()}{checked})",
            )
    message = (
        f"No 340B modifier applies on {adm.date_of_service.isoformat()} to facility type "
        f"{adm.facility_type.value}: the line goes without JG/TB."
    )
    return Modifier340b(None, message, (finding("NO_340B_MODIFIER", message, index, "packages"),))
