"""JW/JZ by payer class and dose type, and the 340B modifier table with its date boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.billing.engine import compute
from desktop.billing.model import FacilityType, LineKind, PayerClass
from desktop.billing.tables import RuleSet
from tests.billing.conftest import administration, loose, vials


def modifiers_by_kind(result):  # type: ignore[no-untyped-def]
    return {line.kind: line.modifiers for line in result.lines if line.kind is not LineKind.ADMINISTRATION}


@pytest.mark.parametrize("payer", [PayerClass.MEDICARE, PayerClass.MEDICARE_ADVANTAGE, PayerClass.MEDICAID])
def test_required_payers_get_jz_when_nothing_billable_is_discarded(rules: RuleSet, payer: PayerClass) -> None:
    result = compute(administration("J9271", [vials(rules, "0006-3026-02", 2)], "200", "0", payer=payer), rules)
    assert modifiers_by_kind(result) == {LineKind.ADMINISTERED: ("JZ",)}


@pytest.mark.parametrize("payer", [PayerClass.COMMERCIAL, PayerClass.SELF_PAY])
def test_jw_only_payers_get_jw_but_never_jz(rules: RuleSet, payer: PayerClass) -> None:
    no_waste = compute(administration("J9271", [vials(rules, "0006-3026-02", 2)], "200", "0", payer=payer), rules)
    assert modifiers_by_kind(no_waste) == {LineKind.ADMINISTERED: ()}
    waste = compute(administration("J9271", [vials(rules, "0006-3026-02", 2)], "180", "20", payer=payer), rules)
    assert [(line.units, line.modifiers) for line in waste.lines if line.kind is LineKind.DISCARDED] == [(20, ("JW",))]


def test_payer_class_with_no_waste_modifiers(rules: RuleSet) -> None:
    from desktop.billing.tables import PayerPolicy

    custom = rules.with_payer_policy(PayerPolicy(PayerClass.COMMERCIAL, "Commercial", "none", False))
    result = compute(administration("J9271", [vials(rules, "0006-3026-02", 2)], "180", "20",
                                    payer=PayerClass.COMMERCIAL), custom)
    assert modifiers_by_kind(result) == {LineKind.ADMINISTERED: ()}


def test_multiple_dose_package_never_gets_jw_or_jz(rules: RuleSet) -> None:
    result = compute(administration("J9355", [vials(rules, "50242-134-68", 1)], "300", "140"), rules)
    assert modifiers_by_kind(result) == {LineKind.ADMINISTERED: ()}
    assert result.lines[0].units == 30
    assert "MULTI_DOSE_LEFTOVER" in {f.code for f in result.findings}
    assert not result.has_errors


@pytest.mark.parametrize(
    ("date_of_service", "facility", "expected"),
    [
        (dt.date(2017, 12, 31), FacilityType.DSH, None),
        (dt.date(2018, 1, 1), FacilityType.DSH, "JG"),
        (dt.date(2018, 1, 1), FacilityType.RURAL_SCH, "TB"),
        (dt.date(2018, 1, 1), FacilityType.CAH, None),
        (dt.date(2023, 12, 31), FacilityType.DSH, "JG"),
        (dt.date(2023, 12, 31), FacilityType.CAH, None),
        (dt.date(2024, 1, 1), FacilityType.DSH, "JG"),
        (dt.date(2024, 1, 1), FacilityType.CAH, "TB"),
        (dt.date(2024, 1, 1), FacilityType.GRANTEE, "JG"),
        (dt.date(2024, 12, 31), FacilityType.OTHER, "JG"),
        (dt.date(2024, 12, 31), FacilityType.CHILDRENS, "TB"),
        (dt.date(2025, 1, 1), FacilityType.DSH, "TB"),
        (dt.date(2025, 1, 1), FacilityType.CANCER, "TB"),
    ],
)
def test_340b_modifier_by_date_and_facility(rules: RuleSet, date_of_service: dt.date,
                                            facility: FacilityType, expected: str | None) -> None:
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3, acquired_340b=True)], "275", "25",
                         facility=facility, date_of_service=date_of_service)
    result = compute(adm, rules)
    administered, discarded = result.lines[0], result.lines[1]
    if expected is None:
        assert administered.modifiers == () and discarded.modifiers == ("JW",)
        assert "NO_340B_MODIFIER" in {f.code for f in result.findings}
    else:
        assert administered.modifiers == (expected,)
        assert discarded.modifiers == ("JW", expected)  # the JW line carries it too
        assert expected in administered.reason


def test_340b_modifier_with_jz(rules: RuleSet) -> None:
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3, acquired_340b=True)], "300", "0")
    assert compute(adm, rules).lines[0].modifiers == ("JZ", "TB")


@pytest.mark.parametrize("payer", [PayerClass.MEDICAID, PayerClass.COMMERCIAL, PayerClass.SELF_PAY])
def test_340b_modifier_only_for_medicare_classes(rules: RuleSet, payer: PayerClass) -> None:
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3, acquired_340b=True)], "275", "25", payer=payer)
    result = compute(adm, rules)
    assert all("TB" not in line.modifiers and "JG" not in line.modifiers for line in result.lines)
    assert any("do not carry JG/TB" in text for text in result.explanations)


def test_non_340b_drug_gets_no_340b_modifier(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25"), rules)
    assert all(not {"TB", "JG"} & set(line.modifiers) for line in result.lines)


def test_mixed_340b_sources_are_an_error_never_one_modifier(rules: RuleSet) -> None:
    adm = administration(
        "J9302",
        [vials(rules, "0078-0669-13", 2, acquired_340b=True), vials(rules, "0078-0669-13", 1, lot="L2")],
        "275", "25",
    )
    result = compute(adm, rules)
    assert "MIXED_340B_SOURCE" in {f.code for f in result.findings if f.severity == "error"}
    assert all(not {"TB", "JG"} & set(line.modifiers) for line in result.lines)


def test_mixed_dose_types_bill_no_jw(rules: RuleSet) -> None:
    adm = administration("J9355", [vials(rules, "50242-134-68", 1), vials(rules, "50242-132-01", 1)], "560", "30")
    result = compute(adm, rules)
    assert "MIXED_DOSE_TYPES" in {f.code for f in result.findings}
    drug = [line for line in result.lines if line.kind is not LineKind.ADMINISTRATION]
    assert {line.kind for line in drug} == {LineKind.ADMINISTERED}  # one line per NDC, no JW
    assert sum(line.units for line in drug) == 56


def test_loose_package_without_ndc(example_rules: RuleSet) -> None:
    result = compute(administration("J1745", [loose("100", 1)], "90", "10"), example_rules)
    assert result.lines[0].ndc is None
    assert "NDC_MISSING" in {f.code for f in result.findings}
