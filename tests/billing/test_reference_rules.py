"""The engine with CMS's quarterly data (issue 14): the crosswalk says which code an NDC belongs to and what a vial
holds, premedications included; the MUE adjudication indicator decides line or date-of-service edits; payment
limits give dollars. Crosswalk rows, limits and MUE values here are made up in the published shape."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

import pytest

from desktop.billing.engine import compute, compute_visit
from desktop.billing.model import ClaimLine, DoseType, LineKind, PackageUse, PlaceOfService, Severity
from desktop.billing.reference import CrosswalkEntry, ReferenceData, allowance, dosage_amount, waste_units_due
from desktop.billing.tables import MueLimit, RuleSet
from tests.billing.conftest import DOS, administration, at, given, vials, visit_of

SOURCE = "CMS NDC-HCPCS crosswalk 2026 Q4"


def crosswalk(*entries: CrosswalkEntry, limits: dict[str, str] | None = None) -> ReferenceData:
    by_ndc: dict[str, list[CrosswalkEntry]] = {}
    for entry in entries:
        by_ndc.setdefault(entry.ndc11, []).append(entry)
    return ReferenceData(MappingProxyType({k: tuple(v) for k, v in by_ndc.items()}),
                         MappingProxyType({k: Decimal(v) for k, v in (limits or {}).items()}), SOURCE,
                         "CMS ASP pricing file 2026 Q4")


def entry(ndc11: str, hcpcs: str, dosage: str, per_package: str, quantity: str = "1") -> CrosswalkEntry:
    return CrosswalkEntry(ndc11, hcpcs, dosage, Decimal(quantity), Decimal(per_package), "TEST")


def codes(result, severity: Severity | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in result.findings if severity is None or f.severity is severity}


def message(result, code: str) -> str:  # type: ignore[no-untyped-def]
    return next(f.message for f in result.findings if f.code == code)


@pytest.mark.parametrize(("dosage", "measure", "amount"), [
    ("10 MG", "mg", Decimal(10)), ("UP TO 50 MG", "mg", Decimal(50)), ("25 MCG", "mcg", Decimal(25)),
    ("0.25 MG", "mcg", Decimal(250)), ("250 CC", "mL", Decimal(250)), ("1 G", "mg", Decimal(1000)),
    ("1 EA", "mg", None), ("10 MG", "mL", None),
])
def test_a_cms_dosage_in_the_drug_s_measure(dosage: str, measure: str, amount: Decimal | None) -> None:
    assert dosage_amount(dosage, measure) == amount


def test_label_amount_is_units_per_package_times_dosage_over_items() -> None:
    assert entry("63323050641", "J1100", "1 MG", "250", "25").label_amount("mg") == Decimal(10)  # carton of 25
    assert entry("58063079725", "J2469", "25 MCG", "10").label_amount("mcg") == Decimal(250)
    assert entry("00000000001", "J9999", "10 MG", "10", "3").label_amount("mg") is None  # 33.333...: not exact
    assert entry("00000000001", "J9999", "1 EA", "10").label_amount("mg") is None


def test_an_ndc_the_catalog_lacks_is_known_by_the_crosswalk(rules: RuleSet) -> None:
    unknown_vial = PackageUse(label_mg=Decimal(100), count=1, dose_type=DoseType.SINGLE, acquired_340b=False,
                              ndc="69999-0101-01")
    adm = administration("J9299", [unknown_vial], "100", "0")
    assert "NDC_NOT_IN_CATALOG" in codes(compute(adm, rules), Severity.WARNING)
    listed = replace(rules, reference=crosswalk(entry("69999010101", "J9299", "1 MG", "100")))
    assert codes(compute(adm, listed)) == set()
    elsewhere = replace(rules, reference=crosswalk(entry("69999010101", "J9271", "1 MG", "100")))
    result = compute(adm, elsewhere)
    assert "NDC_HCPCS_MISMATCH" in codes(result, Severity.ERROR)
    assert f"Keytruda (pembrolizumab, J9271) according to the {SOURCE}, not nivolumab" in message(
        result, "NDC_HCPCS_MISMATCH")
    assert [line.kind for line in result.lines] == [LineKind.ADMINISTRATION]  # no drug line until they agree


def test_an_ndc_under_two_codes_belongs_to_either(rules: RuleSet) -> None:
    both = replace(rules, reference=crosswalk(entry("00003377211", "J9271", "1 MG", "40"),
                                              entry("00003377211", "J9299", "1 MG", "40")))
    result = compute(administration("J9299", [vials(rules, "0003-3772-11", 1)], "40", "0"), both)
    assert "NDC_HCPCS_MISMATCH" not in codes(result)


def test_the_crosswalk_outranks_a_catalog_entry_that_names_another_code(rules: RuleSet) -> None:
    moved = replace(rules, reference=crosswalk(entry("00003377211", "J9228", "1 MG", "40")))
    result = compute(administration("J9299", [vials(rules, "0003-3772-11", 1)], "40", "0"), moved)
    assert "NDC_HCPCS_MISMATCH" in codes(result, Severity.ERROR)
    assert "Yervoy (ipilimumab, J9228)" in message(result, "NDC_HCPCS_MISMATCH")


def test_the_crosswalk_confirms_an_unverified_catalog_label_or_contradicts_it(rules: RuleSet) -> None:
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25")
    unchecked = "Catalog entry for NDC 0078-0669-13 not yet verified"
    assert any(unchecked in words for words in compute(adm, rules).explanations)
    agreeing = replace(rules, reference=crosswalk(entry("00078066913", "J9302", "10 MG", "10")))
    assert not any(unchecked in words for words in compute(adm, agreeing).explanations)
    disagreeing = replace(rules, reference=crosswalk(entry("00078066913", "J9302", "10 MG", "12")))
    result = compute(adm, disagreeing)
    assert "CROSSWALK_LABEL_MISMATCH" in codes(result, Severity.WARNING)
    assert any(unchecked in words for words in result.explanations)
    assert "CATALOG_UNVERIFIED" not in codes(result)  # provenance is an explanation, never a finding on each charge
    assert ("NDC 00078-0669-13 is recorded as 100 mg per vial, but the CMS NDC-HCPCS crosswalk 2026 Q4 gives 120 mg"
            in message(result, "CROSSWALK_LABEL_MISMATCH"))
    assert [line.units for line in result.lines if line.kind is not LineKind.ADMINISTRATION] == [28, 2]


def test_premedications_are_checked_against_the_crosswalk_too(rules: RuleSet) -> None:
    dex = given(rules, "J1100", "63323-506-41", 1, "10", start=at(8, 50), stop=at(8, 52), route="IV push")
    nivo = given(rules, "J9299", "0003-3734-13", 1, "240", start=at(9, 0), stop=at(9, 30))
    wrong = replace(rules, reference=crosswalk(entry("63323050641", "J1200", "50 MG", "1")))
    result = compute_visit(visit_of(dex, nivo), wrong)
    mismatch = [f for f in result.findings if f.code == "NDC_HCPCS_MISMATCH"]
    assert [f.administration for f in mismatch] == [0]


def mue(indicator: str, units: int = 300) -> MueLimit:
    return MueLimit("J9299", units, dt.date(2026, 10, 1), None, PlaceOfService.HOSPITAL_OUTPATIENT, indicator,
                    "CMS outpatient hospital services MUE table 2026 Q4")


def test_a_date_of_service_edit_sums_every_line_of_the_code_jw_included(rules: RuleSet) -> None:
    adm = administration("J9299", [vials(rules, "0003-3734-13", 1), vials(rules, "0003-3772-11", 2)], "300", "20")
    limited = replace(rules, mue_limits=(mue("3 Date of Service Edit: Clinical", 310),))
    result = compute(adm, limited)
    assert [(line.units, line.modifiers[:1]) for line in result.lines if line.kind is not LineKind.ADMINISTRATION] == [
        (240, ()), (60, ()), (20, ("JW",))]
    assert "320 units of J9299 (JW included) exceed the medically unlikely edit of 310 for this date" in message(
        result, "MUE_EXCEEDED")
    assert "adjudication indicator 3 Date of Service Edit: Clinical" in message(result, "MUE_EXCEEDED")


def test_a_line_edit_checks_each_line_on_its_own(rules: RuleSet) -> None:
    adm = administration("J9299", [vials(rules, "0003-3734-13", 1), vials(rules, "0003-3772-11", 2)], "300", "20")
    assert "MUE_EXCEEDED" not in codes(compute(adm, replace(rules, mue_limits=(mue("1 Line Edit", 240),))))
    over = compute(adm, replace(rules, mue_limits=(mue("1 Line Edit", 200),)))
    assert message(over, "MUE_EXCEEDED").startswith("A line of 240 units of J9299 exceeds the medically unlikely "
                                                    "edit of 200 per line")


def test_an_mue_of_zero_flags_any_unit(rules: RuleSet) -> None:
    adm = administration("J9299", [vials(rules, "0003-3772-11", 1)], "40", "0")
    assert "MUE_EXCEEDED" in codes(compute(adm, replace(rules, mue_limits=(mue("3 Date of Service Edit", 0),))))


def test_allowance_is_limit_times_units_for_drug_lines_only() -> None:
    data = crosswalk(limits={"J9302": "63.456"})
    assert data.allowance(ClaimLine("J9302", LineKind.ADMINISTERED, 28)) == Decimal("1776.77")  # 1,776.768
    assert data.allowance(ClaimLine("J9302", LineKind.DISCARDED, 2, ("JW",))) == Decimal("126.91")
    assert data.allowance(ClaimLine("96413", LineKind.ADMINISTRATION, 1)) is None
    assert data.allowance(ClaimLine("J9299", LineKind.ADMINISTERED, 1)) is None
    assert allowance(Decimal("0.005"), 1) == Decimal("0.01")  # half a cent rounds up


SINGLE, MULTIPLE = DoseType.SINGLE, DoseType.MULTIPLE


@pytest.mark.parametrize(("packages", "given_mg", "discarded", "free", "due"), [
    ([(Decimal(100), 3, SINGLE)], "275", "25", False, 2),  # J9302: 30 label units less 28 given
    ([(Decimal(100), 3, SINGLE)], "275", "5", False, 2),  # drug not accounted for still counts from the labels
    ([(Decimal(100), 2, SINGLE), (Decimal(100), 1, MULTIPLE)], "250", "45", False, 4),  # mixed: the discard
    ([(Decimal(100), 1, MULTIPLE)], "50", "50", False, 0),  # leftover in a multiple-dose vial is not waste
    ([(Decimal(100), 3, SINGLE)], "0", "300", False, 0),  # nothing given: no drug line, no JW
    ([(Decimal(100), 3, SINGLE)], "275", "25", True, 0),  # free drug
    ([], "50", "30", False, 3),
])
def test_waste_units_a_jw_line_could_carry(packages: list[tuple[Decimal, int, DoseType]], given_mg: str,
                                           discarded: str, free: bool, due: int) -> None:
    assert waste_units_due(packages, Decimal(given_mg), Decimal(discarded), Decimal(10), free) == due


def test_the_engine_reports_the_reference_versions_it_used(rules: RuleSet) -> None:
    dated = replace(rules, versions={**rules.versions, "crosswalk": "2026 Q4 0123abcd"})
    assert compute(administration("J9299", [vials(rules, "0003-3772-11", 1)], "40", "0", date_of_service=DOS),
                   dated).rule_versions["crosswalk"] == "2026 Q4 0123abcd"
