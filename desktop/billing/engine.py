"""The billing engine: one administration in, claim lines with reasons and findings out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from desktop.billing.admin_codes import administration_lines
from desktop.billing.amounts import mg_text, units_down, units_up
from desktop.billing.checks import (
    least_waste_findings,
    ordered_dose_findings,
    package_findings,
    reconciliation_findings,
)
from desktop.billing.drug_lines import drug_lines, group_packages
from desktop.billing.findings import finding
from desktop.billing.model import Administration, ChargeResult, ClaimLine, DoseType, Finding, LineKind, Visit
from desktop.billing.modifiers import modifier_340b
from desktop.billing.tables import RuleSet


def compute(adm: Administration, rules: RuleSet) -> ChargeResult:
    """Claim lines, findings and explanations for one administration (billing-rules.md sections 3-6)."""
    drug = rules.catalog.drug(adm.hcpcs)
    if drug is None:
        return ChargeResult(
            (), (finding("UNKNOWN_HCPCS", f"{adm.hcpcs} is not in the drug catalog."),), (), dict(rules.versions)
        )
    policy = rules.payer_policies[adm.payer_class]
    unit = drug.mg_per_unit
    findings: list[Finding] = package_findings(adm, drug, rules.catalog)
    findings += ordered_dose_findings(adm)
    explanations = [f"{drug.hcpcs} is {drug.descriptor}: one billing unit is {mg_text(unit)} mg."]

    single = [p for p in adm.packages if p.dose_type is DoseType.SINGLE]
    multiple = [p for p in adm.packages if p.dose_type is DoseType.MULTIPLE]
    single_total = sum((p.total_label_mg for p in single), Decimal(0))
    waste_applies = bool(single) and not multiple  # multiple-dose leftover is never waste
    if single and multiple:
        findings.append(
            finding(
                "MIXED_DOSE_TYPES",
                "Single-dose and multiple-dose vials are mixed: waste from the single-dose vials cannot be "
                "separated, so no JW line is billed. Record them as two administrations to bill the waste.",
            )
        )
    elif multiple and adm.discarded_mg > 0:
        findings.append(
            finding("MULTI_DOSE_LEFTOVER", "Leftover in a multiple-dose vial is not waste: no JW line.")
        )
    if waste_applies:
        findings += reconciliation_findings(adm, single_total)
        findings += least_waste_findings(adm, drug, rules.catalog, single_total)

    lines: list[ClaimLine] = []
    if adm.administered_mg <= 0:
        findings.append(
            finding(
                "NOTHING_ADMINISTERED",
                "No drug was given: there is no drug line to bill. Save it as held with the reason "
                "(e.g. the patient did not receive the dose) so billing can review the waste.",
            )
        )
    elif adm.free_drug:
        findings.append(
            finding("FREE_DRUG", "Free drug (manufacturer program): the drug is not billed; administration is.")
        )
        explanations.append("Free-goods flag set: no billable drug line.")
    else:
        lines += _drug_lines(
            adm, rules, policy.waste_modifiers, waste_applies, single_total, unit, findings, explanations
        )

    admin_lines, admin_findings = administration_lines(adm.infusion_minutes)
    lines += admin_lines
    findings += admin_findings
    return ChargeResult(tuple(lines), tuple(findings), tuple(explanations), dict(rules.versions))


def _drug_lines(
    adm: Administration,
    rules: RuleSet,
    waste_policy: str,
    waste_applies: bool,
    single_total: Decimal,
    unit: Decimal,
    findings: list[Finding],
    explanations: list[str],
) -> list[ClaimLine]:
    given = adm.administered_mg
    billable_given = min(given, single_total) if waste_applies else given  # the label caps payment
    administered_units = units_up(billable_given, unit)
    admin_reason = (
        f"{administered_units} units: {mg_text(billable_given)} mg given / {mg_text(unit)} mg per unit, rounded up"
    )
    explanations.append(f"Administered: {admin_reason}.")
    if billable_given < given:
        explanations.append(f"Only the {mg_text(single_total)} mg on the labels is billable.")

    label_units = units_down(single_total, unit) if waste_applies else 0
    discarded_units = max(label_units - administered_units, 0)
    waste_text = (
        f"JW: {mg_text(adm.discarded_mg)} mg discarded from single-dose vials = {discarded_units} units "
        f"({mg_text(single_total)} mg opened = {label_units} whole units, less {administered_units} given)"
    )
    waste_modifier: str | None = None
    jw_line = False
    if not waste_applies:
        explanations.append("Multiple-dose package: no JW line and no JZ modifier.")
    elif waste_policy == "none":
        explanations.append("This payer class takes no JW/JZ modifiers: waste is not billed separately.")
    elif discarded_units > 0:
        jw_line = True
        explanations.append(waste_text + ".")
    elif waste_policy == "required":
        waste_modifier = "JZ"
        if adm.discarded_mg > 0:
            explanations.append(
                f"JZ: the {mg_text(adm.discarded_mg)} mg discarded is inside the last unit billed, so there is "
                "no JW line (CMS JW/JZ FAQ); nothing billable was discarded."
            )
        else:
            explanations.append("JZ: nothing was discarded from the single-dose vials.")
    else:
        explanations.append("No billable waste; this payer class does not use JZ.")

    policy = rules.payer_policies[adm.payer_class]
    flag = modifier_340b(adm, policy, rules)
    findings += flag.findings
    explanations.append(flag.reason)
    source_mods = (flag.modifier,) if flag.modifier else ()
    admin_mods = ((waste_modifier,) if waste_modifier else ()) + source_mods
    admin_line_reason = "; ".join(
        [admin_reason]
        + (["JZ: no billable amount discarded from single-dose vials"] if waste_modifier else [])
        + ([flag.reason] if flag.modifier else [])
    )
    jw_reason = "; ".join([waste_text] + ([flag.reason] if flag.modifier else []))
    lines = drug_lines(
        adm.hcpcs,
        group_packages(adm.packages, billable_given),
        administered_units,
        discarded_units if jw_line else 0,
        admin_mods,
        ("JW", *source_mods),
        (admin_line_reason, jw_reason),
    )
    findings += _mue_findings(adm, rules, sum(line.units for line in lines))
    return lines


def _mue_findings(adm: Administration, rules: RuleSet, drug_units: int) -> list[Finding]:
    for limit in rules.mue_limits:
        in_force = limit.effective_from <= adm.date_of_service and (
            limit.effective_to is None or adm.date_of_service <= limit.effective_to
        )
        if limit.hcpcs == adm.hcpcs and in_force and drug_units > limit.max_units:
            return [
                finding(
                    "MUE_EXCEEDED",
                    f"{drug_units} units of {adm.hcpcs} (JW included) exceed the medically unlikely edit of "
                    f"{limit.max_units} for this date: the line may be denied without supporting documentation.",
                )
            ]
    return []


# INTERIM (visits branch): the billing engineer replaces these with billing-rules section 8.
def compute_visit(visit: Visit, rules: RuleSet) -> ChargeResult:
    """Every administration's drug lines and findings, and the visit's administration codes."""
    lines: list[ClaimLine] = []
    codes: list[ClaimLine] = []
    findings: list[Finding] = []
    explanations: list[str] = []
    order = sorted(range(len(visit.administrations)),
                   key=lambda i: (visit.administrations[i].infusion_start is None,
                                  visit.administrations[i].infusion_start or 0, i))
    initial_done = False
    for index in order:
        result = compute(visit.administrations[index], rules)
        for line in result.lines:
            if line.kind is not LineKind.ADMINISTRATION:
                lines.append(replace(line, administration=index))
            elif not initial_done or line.hcpcs == "96415":
                codes.append(replace(line, administration=index))
            elif line.hcpcs in ("96413", "96409"):
                codes.append(replace(line, hcpcs="96417", administration=index,
                                     reason="another drug of the visit, given after the first: sequential"))
        initial_done = initial_done or any(c.hcpcs in ("96413", "96409") for c in codes)
        findings += [replace(f, administration=index) for f in result.findings]
        explanations += list(result.explanations)
    return ChargeResult(tuple(lines + codes), tuple(findings), tuple(explanations), dict(rules.versions))


def duplicate_findings(candidate: Administration, others: Sequence[tuple[str, Administration]]) -> tuple[Finding, ...]:
    """INTERIM: the same drug stored in another record of the patient on the date."""
    return ()
