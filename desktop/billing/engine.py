"""The billing engine: a visit (or one administration, a visit of one) in, claim lines with reasons and findings out."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from desktop.billing.admin_codes import administration_codes
from desktop.billing.drug_charge import DrugCharge, charge_drug
from desktop.billing.model import Administration, ChargeResult, ClaimLine, Finding, PlaceOfService, Visit
from desktop.billing.mue import mue_findings
from desktop.billing.tables import RuleSet
from desktop.billing.visit_checks import duplicate_findings, visit_findings

__all__ = ["compute", "compute_visit", "duplicate_findings", "visit_of_one"]


def visit_of_one(adm: Administration, place: PlaceOfService = PlaceOfService.HOSPITAL_OUTPATIENT) -> Visit:
    return Visit(date_of_service=adm.date_of_service, payer_class=adm.payer_class, facility_type=adm.facility_type,
                 administrations=(adm,), place_of_service=place)


def compute(adm: Administration, rules: RuleSet, *, today: dt.date | None = None) -> ChargeResult:
    """One administration: exactly a visit of one (hospital outpatient)."""
    return compute_visit(visit_of_one(adm), rules, today=today)


def compute_visit(visit: Visit, rules: RuleSet, *, today: dt.date | None = None) -> ChargeResult:
    """Every drug line of every administration, the visit's administration codes (billing-rules §8), findings and
    explanations. `today` (default: the computer's date) is when a date of service counts as still to come."""
    findings: list[Finding] = visit_findings(visit, rules.catalog, today or dt.date.today())
    charges = [charge_drug(_of_visit(adm, visit), i, rules) for i, adm in enumerate(visit.administrations)]
    lines: list[ClaimLine] = [line for charge in charges for line in charge.lines]
    for charge in charges:
        findings += charge.findings
    findings += mue_findings(visit, lines, rules)
    code_lines, code_findings, code_explanations = administration_codes(visit, charges)
    return ChargeResult(
        tuple(lines + code_lines),
        tuple(findings + code_findings),
        tuple(_explanations(charges) + code_explanations),
        dict(rules.versions),
    )


def _of_visit(adm: Administration, visit: Visit) -> Administration:
    """Payer class and facility type are entered once per visit: they apply to every drug of it."""
    if adm.payer_class is visit.payer_class and adm.facility_type is visit.facility_type:
        return adm
    return replace(adm, payer_class=visit.payer_class, facility_type=visit.facility_type)


def _explanations(charges: list[DrugCharge]) -> list[str]:
    if len(charges) == 1:
        return list(charges[0].explanations)
    return [f"{charge.name}: {text}" for charge in charges for text in charge.explanations]
