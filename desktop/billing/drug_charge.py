"""One administration's drug lines: units given and discarded, JW/JZ, 340B, with findings and reasons."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.billing.amounts import amount_text, units_down, units_text, units_up
from desktop.billing.catalog import Drug
from desktop.billing.checks import (
    catalog_provenance,
    least_waste_findings,
    mismatched_ndcs,
    multiple_dose_findings,
    ndc_words,
    ordered_dose_findings,
    package_findings,
    reconciliation_findings,
    route_findings,
)
from desktop.billing.drug_lines import drug_lines, group_packages
from desktop.billing.findings import finding
from desktop.billing.model import Administration, ClaimLine, DoseType, Finding
from desktop.billing.modifiers import modifier_340b
from desktop.billing.tables import PayerPolicy, RuleSet


@dataclass(frozen=True, slots=True)
class DrugCharge:
    """What one administration contributes to the visit's claim."""

    index: int
    administration: Administration
    drug: Drug | None
    lines: tuple[ClaimLine, ...]
    findings: tuple[Finding, ...]
    explanations: tuple[str, ...]
    given: bool  # drug reached the patient (free drug included): its administration can be billed

    @property
    def name(self) -> str:
        return self.drug.generic if self.drug else self.administration.hcpcs


def charge_drug(adm: Administration, index: int, rules: RuleSet) -> DrugCharge:
    """Claim lines, findings and explanations for one administration (billing-rules.md sections 3-6)."""
    drug = rules.catalog.drug(adm.hcpcs)
    if drug is None:
        missing = finding("UNKNOWN_HCPCS", f"{adm.hcpcs} is not in the drug catalog.", index, "hcpcs")
        return DrugCharge(index, adm, None, (), (missing,), (), False)
    measure = drug.measure
    unit = drug.mg_per_unit
    findings = package_findings(adm, drug, rules.catalog, index, rules.reference)
    findings += route_findings(adm, drug, rules.routes, index)
    findings += ordered_dose_findings(adm, measure, index)
    explanations = [f"{drug.hcpcs} is {drug.descriptor}: one billing unit is {amount_text(unit, measure)}."]
    explanations += catalog_provenance(adm, drug, rules.catalog, rules.reference)

    single = [p for p in adm.packages if p.dose_type is DoseType.SINGLE]
    multiple = [p for p in adm.packages if p.dose_type is DoseType.MULTIPLE]
    single_total = sum((p.total_label_mg for p in single), Decimal(0))
    label_total = single_total + sum((p.total_label_mg for p in multiple), Decimal(0))
    if single and multiple:
        findings.append(
            finding(
                "MIXED_DOSE_TYPES",
                "Single-dose and multiple-dose vials are mixed: waste from the single-dose vials cannot be "
                "separated, so no JW line is billed. Record them as two administrations to bill the waste.",
                index, "packages",
            )
        )
    elif multiple and adm.discarded_mg > 0:
        findings.append(
            finding("MULTI_DOSE_LEFTOVER", "Leftover in a multiple-dose vial is not waste: no JW line.",
                    index, "discarded_mg")
        )
    if single and not multiple:
        findings += reconciliation_findings(adm, single_total, measure, index)
        findings += least_waste_findings(adm, drug, rules.catalog, single_total, index)
    elif multiple:
        findings += multiple_dose_findings(adm, label_total, measure, index)

    lines: list[ClaimLine] = []
    given = adm.administered_mg > 0
    wrong_code = mismatched_ndcs(adm, drug, rules.catalog, rules.reference)
    if not given:
        findings.append(
            finding(
                "NOTHING_ADMINISTERED",
                "No drug was given: there is no drug line to bill and no administration code. Save it as held "
                "with the reason (e.g. the patient did not receive the dose) so billing can review the waste.",
                index, "administered_mg",
            )
        )
    elif adm.free_drug:
        findings.append(
            finding("FREE_DRUG", "Free drug (manufacturer program): the drug is not billed; administration is.",
                    index, "packages")
        )
        explanations.append("Free-goods flag set: no billable drug line.")
    elif wrong_code:
        _, ndc, owner = wrong_code[0]
        explanations.append(
            f"No {drug.hcpcs} line: NDC {ndc_words(ndc)} belongs to {owner}, so units of {drug.generic} computed "
            "from it would mean nothing. Correct the vial or the drug, then the line is computed."
        )
    else:
        policy = rules.payer_policies[adm.payer_class]
        lines = _drug_lines(adm, drug, rules, policy, label_total, single_total, bool(single) and not multiple,
                            index, findings, explanations)
    return DrugCharge(index, adm, drug, tuple(lines), tuple(findings), tuple(explanations), given)


def _drug_lines(
    adm: Administration,
    drug: Drug,
    rules: RuleSet,
    policy: PayerPolicy,
    label_total: Decimal,
    single_total: Decimal,
    waste_applies: bool,
    index: int,
    findings: list[Finding],
    explanations: list[str],
) -> list[ClaimLine]:
    measure, unit = drug.measure, drug.mg_per_unit
    given = adm.administered_mg
    billable_given = min(given, label_total) if adm.packages else given  # the label caps payment
    administered_units = units_up(billable_given, unit)
    per_unit = f"{amount_text(unit, measure)} per unit, rounded up"
    if billable_given < given:
        admin_reason = (f"{units_text(administered_units)}: {amount_text(given, measure)} given, billed up to the "
                        f"{amount_text(billable_given, measure)} on the labels / {per_unit}")
    else:
        admin_reason = f"{units_text(administered_units)}: {amount_text(given, measure)} given / {per_unit}"
    explanations.append(f"Administered: {admin_reason}.")

    label_units = units_down(single_total, unit) if waste_applies else 0
    discarded_units = max(label_units - administered_units, 0)
    waste_text = _waste_text(adm, measure, single_total, billable_given, label_units, administered_units,
                             discarded_units)
    waste_modifier: str | None = None
    jw_line = False
    if not adm.packages:
        explanations.append("No vials recorded: the waste cannot be computed (no JW line, no JZ) until the vials "
                            "opened are added.")
    elif not waste_applies:
        kind = "Multiple-dose package" if label_total == sum(
            (p.total_label_mg for p in adm.packages if p.dose_type is DoseType.MULTIPLE), Decimal(0)
        ) else "Single- and multiple-dose packages mixed"
        explanations.append(f"{kind}: no JW line and no JZ modifier.")
    elif policy.waste_modifiers == "none":
        explanations.append("This payer class takes no JW/JZ modifiers: waste is not billed separately.")
    elif discarded_units > 0:
        jw_line = True
        explanations.append(waste_text + ".")
    elif policy.waste_modifiers == "required":
        waste_modifier = _jz(adm, rules, policy, measure, explanations)
    else:
        explanations.append("No billable waste; this payer class does not use JZ.")

    flag = modifier_340b(adm, policy, rules, index)
    findings += flag.findings
    explanations.append(flag.reason + flag.provenance)
    source_mods = (flag.modifier,) if flag.modifier else ()
    admin_mods = ((waste_modifier,) if waste_modifier else ()) + source_mods
    admin_line_reason = "; ".join(
        [admin_reason]
        + (["JZ: no billable amount discarded from single-dose vials"] if waste_modifier else [])
        + ([flag.reason] if flag.modifier else [])
    )
    jw_reason = "; ".join([waste_text] + ([flag.reason] if flag.modifier else []))
    return drug_lines(
        drug.hcpcs,
        group_packages(adm.packages, billable_given),
        administered_units,
        discarded_units if jw_line else 0,
        admin_mods,
        ("JW", *source_mods),
        (admin_line_reason, jw_reason),
        index,
        measure,
    )


def _jz(adm: Administration, rules: RuleSet, policy: PayerPolicy, measure: str,
        explanations: list[str]) -> str | None:
    """JZ on a date of service: not before it existed, optional in early 2023, required from 2023-07-01."""
    period = rules.jz_period(adm.date_of_service)
    day = adm.date_of_service.isoformat()
    if period is None or period.status == "none":
        explanations.append(f"No JZ: the JZ modifier did not exist on {day} (payer-class table: "
                            f"JZ {'periods' if period is None else period.describe()}).")
        return None
    if period.status == "optional" and not policy.jz_when_optional:
        explanations.append(f"No JZ: on {day} JZ was accepted but not yet required ({period.describe()}); "
                            f"{policy.label} is set not to use it then.")
        return None
    if adm.discarded_mg > 0:
        explanations.append(
            f"JZ: the {amount_text(adm.discarded_mg, measure)} discarded is inside the last unit "
            "billed, so there is no JW line (CMS JW/JZ FAQ); nothing billable was discarded."
        )
    else:
        explanations.append("JZ: nothing was discarded from the single-dose vials.")
    return "JZ"


def _waste_text(adm: Administration, measure: str, single_total: Decimal, billable_given: Decimal,
                label_units: int, administered_units: int, discarded_units: int) -> str:
    """The JW line's reason: from the documented discard when it accounts for the rest, else from the labels."""
    whole = "whole unit" if label_units == 1 else "whole units"
    opened = f"{amount_text(single_total, measure)} opened = {label_units} {whole}, less {administered_units} given"
    documented = adm.discarded_mg
    left = single_total - billable_given
    if documented == left:
        return (f"JW: {amount_text(documented, measure)} discarded from single-dose vials = "
                f"{units_text(discarded_units)} ({opened})")
    if documented < left:
        return (f"JW: {units_text(discarded_units)} of the labels unaccounted for ({opened}; only "
                f"{amount_text(documented, measure)} documented as discarded)")
    return (f"JW: {units_text(discarded_units)} from the labels ({opened}); the "
            f"{amount_text(documented, measure)} documented as discarded is more than the "
            f"{amount_text(left, measure)} left")
