"""Issue 13's audit classes, at their boundaries: JZ by date, 2024 340B grantees, unknown NDCs, routes, precision,
plausibility, MUE data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from desktop.billing.amounts import units_down, units_up
from desktop.billing.engine import compute, compute_visit
from desktop.billing.model import DoseType, FacilityType, LineKind, PackageUse, PayerClass, PlaceOfService, Severity
from desktop.billing.tables import MueLimit, PayerPolicy, RuleSet
from tests.billing.conftest import administration, at, given, loose, vials, visit_of


def codes(result, severity: Severity | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in result.findings if severity is None or f.severity is severity}


def drug_lines(result):  # type: ignore[no-untyped-def]
    return [(line.units, line.modifiers) for line in result.lines if line.kind is not LineKind.ADMINISTRATION]


# ---------------------------------------------------------------- 1. JZ is date-effective

@pytest.mark.parametrize(
    ("day", "modifiers", "words"),
    [
        (dt.date(2021, 6, 1), (), "the JZ modifier did not exist on 2021-06-01"),
        (dt.date(2022, 12, 31), (), "the JZ modifier did not exist on 2022-12-31"),
        (dt.date(2023, 1, 1), (), "on 2023-01-01 JZ was accepted but not yet required"),
        (dt.date(2023, 6, 30), (), "on 2023-06-30 JZ was accepted but not yet required"),
        (dt.date(2023, 7, 1), ("JZ",), "JZ: nothing was discarded"),
        (dt.date(2026, 11, 29), ("JZ",), "JZ: nothing was discarded"),
    ],
)
def test_jz_by_date_of_service(rules: RuleSet, day: dt.date, modifiers: tuple[str, ...], words: str) -> None:
    result = compute(administration("J9271", [vials(rules, "0006-3026-02", 2)], "200", "0", date_of_service=day),
                     rules)
    assert drug_lines(result) == [(200, modifiers)]
    assert any(words in text for text in result.explanations)


def test_jz_in_the_optional_months_when_a_payer_class_asks_for_it(rules: RuleSet) -> None:
    medicare = rules.payer_policies[PayerClass.MEDICARE]
    eager = rules.with_payer_policy(replace(medicare, jz_when_optional=True))
    for day, expected in [(dt.date(2022, 12, 31), ()), (dt.date(2023, 1, 1), ("JZ",)), (dt.date(2023, 6, 30), ("JZ",))]:
        adm = administration("J9271", [vials(rules, "0006-3026-02", 2)], "200", "0", date_of_service=day)
        assert drug_lines(compute(adm, eager)) == [(200, expected)], day


def test_jw_is_unchanged_before_jz_existed(rules: RuleSet) -> None:
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25", date_of_service=dt.date(2022, 6, 1))
    assert drug_lines(compute(adm, rules)) == [(28, ()), (2, ("JW",))]


def test_jz_periods_come_from_the_payer_class_table(rules: RuleSet) -> None:
    assert [(p.effective_from, p.effective_to, p.status) for p in rules.jz_periods][1:] == [
        (dt.date(2023, 1, 1), dt.date(2023, 6, 30), "optional"), (dt.date(2023, 7, 1), None, "required"),
    ]


# ---------------------------------------------------------------- 2. 340B modifiers, every facility type

EXPECTED_340B = {
    dt.date(2023, 12, 31): {"dsh": "JG", "other": "JG", "rural_sch": "TB", "childrens": "TB", "cancer": "TB",
                            "cah": None, "grantee": None},
    dt.date(2024, 1, 1): {"dsh": "JG", "other": "JG", "grantee": "JG", "rural_sch": "TB", "childrens": "TB",
                          "cancer": "TB", "cah": "TB"},
    dt.date(2024, 12, 31): {"dsh": "JG", "other": "JG", "grantee": "JG", "rural_sch": "TB", "childrens": "TB",
                            "cancer": "TB", "cah": "TB"},
    dt.date(2025, 1, 1): dict.fromkeys(("dsh", "other", "grantee", "rural_sch", "childrens", "cancer", "cah"), "TB"),
}


@pytest.mark.parametrize("day", sorted(EXPECTED_340B))
@pytest.mark.parametrize("facility", list(FacilityType))
def test_340b_modifier_for_every_facility_type_at_the_boundaries(rules: RuleSet, day: dt.date,
                                                                 facility: FacilityType) -> None:
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3, acquired_340b=True)], "275", "25",
                         facility=facility, date_of_service=day)
    result = compute(adm, rules)
    expected = EXPECTED_340B[day][facility.value]
    assert drug_lines(result) == [(28, (expected,) if expected else ()), (2, ("JW", expected) if expected else ("JW",))]
    if expected:
        assert f"{expected}: 340B-acquired, {facility.value} facility" in result.lines[0].reason
        assert "verified" not in result.lines[0].reason  # provenance is in the explanations, not on every line
        assert any("340B table: rule" in text for text in result.explanations)
    else:
        assert "NO_340B_MODIFIER" in codes(result)


# ---------------------------------------------------------------- 3. NDCs the catalog does not place under the code

def unknown_vial(ndc: str = "50242-919-01", label: str = "1200") -> PackageUse:
    return PackageUse(label_mg=Decimal(label), count=1, dose_type=DoseType.SINGLE, acquired_340b=False, ndc=ndc)


def test_an_ndc_the_catalog_does_not_list_is_a_warning_naming_ndc_and_code(rules: RuleSet) -> None:
    result = compute(administration("J9302", [unknown_vial(label="300")], "275", "25"), rules)
    [warning] = [f for f in result.findings if f.code == "NDC_NOT_IN_CATALOG"]
    assert warning.severity is Severity.WARNING and warning.field == "packages[0].ndc"
    assert "NDC 50242-0919-01 is not listed under J9302 (ofatumumab)" in warning.message
    assert drug_lines(result) == [(28, ()), (2, ("JW",))]  # still computed from the label given


def test_an_ndc_listed_under_another_code_is_an_error_and_no_line(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "50242-917-01", 1)], "1200", "0"), rules)
    assert "NDC_HCPCS_MISMATCH" in codes(result, Severity.ERROR)
    assert drug_lines(result) == []
    assert any(text.startswith("No J9302 line: NDC 50242-0917-01 belongs to J9022") for text in result.explanations)


def test_a_catalog_ndc_given_without_its_code_is_still_checked(rules: RuleSet) -> None:
    bare = replace(vials(rules, "50242-917-01", 1), hcpcs=None)  # e.g. a stored package row
    assert "NDC_HCPCS_MISMATCH" in codes(compute(administration("J9302", [bare], "1200", "0"), rules))


def test_one_ndc_in_two_rows_gives_one_finding(rules: RuleSet) -> None:
    rows = [unknown_vial(label="100"), unknown_vial(label="100")]
    result = compute(administration("J9302", rows, "200", "0"), rules)
    assert [f.code for f in result.findings].count("NDC_NOT_IN_CATALOG") == 1
    unverified = [vials(rules, "0078-0669-13", 1), vials(rules, "0078-0669-13", 2, lot="L2")]
    result = compute(administration("J9302", unverified, "300", "0"), rules)
    # Provenance is a detail, said once in the explanations, not a finding on every charge (issue 12 item 8).
    assert "CATALOG_UNVERIFIED" not in [f.code for f in result.findings]
    assert sum("0078-0669-13 not yet verified" in e for e in result.explanations) == 1


# ---------------------------------------------------------------- 4. routes

@pytest.mark.parametrize("route", ["SC", "Sub-Q", "s.c.", "subcutaneous injection", "SQ", "subcut"])
def test_every_spelling_of_subcutaneous_on_an_iv_code_is_an_error(rules: RuleSet, route: str) -> None:
    adm = administration("J9022", [vials(rules, "50242-917-01", 1)], "1200", "0", route=route)
    assert "SUBCUTANEOUS_ON_IV_CODE" in codes(compute(adm, rules), Severity.ERROR)


@pytest.mark.parametrize("route", ["IV", "i.v.", "IV push", "intravenous infusion", "IVPB", " iv "])
def test_intravenous_spellings_pass(rules: RuleSet, route: str) -> None:
    adm = administration("J9022", [vials(rules, "50242-917-01", 1)], "1200", "0", route=route)
    assert not {"ROUTE_NOT_ALLOWED", "UNKNOWN_ROUTE", "SUBCUTANEOUS_ON_IV_CODE"} & codes(compute(adm, rules))


@pytest.mark.parametrize(("route", "words"), [("IM", "Intramuscular (IM) is not a route of J9022"),
                                              ("intrathecal", "Intrathecal (IT) is not a route of J9022"),
                                              ("bladder instillation", "Intravesical (INTRAVESICAL)")])
def test_a_known_route_the_code_does_not_allow_is_an_error(rules: RuleSet, route: str, words: str) -> None:
    adm = administration("J9022", [vials(rules, "50242-917-01", 1)], "1200", "0", route=route)
    [error] = [f for f in compute(adm, rules).findings if f.code == "ROUTE_NOT_ALLOWED"]
    assert error.severity is Severity.ERROR and error.field == "route" and words in error.message
    assert "which is given intravenous" in error.message


def test_a_route_the_code_allows_besides_iv(rules: RuleSet) -> None:
    adm = given(rules, "J1100", "63323-506-41", 1, "10", route="I.M.")
    assert not {"ROUTE_NOT_ALLOWED", "UNKNOWN_ROUTE"} & codes(compute_visit(visit_of(adm), rules))


@pytest.mark.parametrize("route", ["banana", "IV-ish", "by magic"])
def test_an_unknown_route_is_an_error_listing_the_vocabulary(rules: RuleSet, route: str) -> None:
    adm = administration("J9022", [vials(rules, "50242-917-01", 1)], "1200", "0", route=route)
    [error] = [f for f in compute(adm, rules).findings if f.code == "UNKNOWN_ROUTE"]
    assert "IV (Intravenous), SC (Subcutaneous), IM (Intramuscular)" in error.message


# ---------------------------------------------------------------- 5. precision

@pytest.mark.parametrize(
    ("amount", "unit", "up", "down"),
    [
        ("10.0000000000000000000000000001", "10", 2, 1),
        ("9.9999999999999999999999999999", "10", 1, 0),
        ("10", "10", 1, 1),
        ("0.001", "10", 1, 0),
        ("250", "25", 10, 10),
        ("0.25", "0.025", 10, 10),
        ("1" + "0" * 40 + ".5", "1", 10**40 + 1, 10**40),
    ],
)
def test_units_are_exact_never_rounded_before_the_ceiling(amount: str, unit: str, up: int, down: int) -> None:
    assert units_up(Decimal(amount), Decimal(unit)) == up
    assert units_down(Decimal(amount), Decimal(unit)) == down


def test_a_dose_a_hair_over_a_unit_bills_the_next_unit(example_rules: RuleSet) -> None:
    result = compute(administration("J1745", [loose("20", 1)], "10.0000000000000000000000000001", "0"), example_rules)
    assert result.lines[0].units == 2


# ---------------------------------------------------------------- 6. plausibility

def test_a_multiple_dose_vial_cannot_give_more_than_it_holds(rules: RuleSet) -> None:
    result = compute(administration("J9355", [vials(rules, "50242-134-68", 1)], "50000", "0"), rules)
    [error] = [f for f in result.findings if f.code == "MULTI_DOSE_OVERDRAWN"]
    assert error.severity is Severity.ERROR
    assert "50,000 mg was given, but the vials recorded hold only 440 mg" in error.message
    assert drug_lines(result) == [(44, ())]  # billing stops at the label


@pytest.mark.parametrize(("amount", "flagged"), [("440", False), ("439.999", False), ("440.001", True), ("880", True)])
def test_multiple_dose_reconciliation_boundary(rules: RuleSet, amount: str, flagged: bool) -> None:
    result = compute(administration("J9355", [vials(rules, "50242-134-68", 1)], amount, "0"), rules)
    assert ("MULTI_DOSE_OVERDRAWN" in codes(result)) is flagged
    two = compute(administration("J9355", [vials(rules, "50242-134-68", 2)], amount, "0"), rules)
    assert "MULTI_DOSE_OVERDRAWN" not in codes(two)


@pytest.mark.parametrize("minutes", [5, 60, 240])
def test_nothing_given_gets_no_administration_code(rules: RuleSet, minutes: int) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 1)], "0", "100", minutes=minutes), rules)
    assert result.lines == () and "NOTHING_ADMINISTERED" in codes(result, Severity.ERROR)


@pytest.mark.parametrize(("days_ahead", "warned"), [(-1, False), (0, False), (1, True), (3650, True)])
def test_a_date_of_service_after_today_is_a_warning(rules: RuleSet, days_ahead: int, warned: bool) -> None:
    today = dt.date(2026, 11, 29)
    adm = administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25",
                         date_of_service=today + dt.timedelta(days=days_ahead))
    assert ("DATE_OF_SERVICE_IN_FUTURE" in codes(compute(adm, rules, today=today), Severity.WARNING)) is warned


# ---------------------------------------------------------------- 7. MUE data

def test_the_shipped_mue_table_holds_only_published_values(rules: RuleSet) -> None:
    assert rules.mue_limits == ()  # no published value was found: empty, never guessed (resources/mue.toml says so)


def test_mue_by_setting_and_summed_over_the_visit(rules: RuleSet) -> None:
    day = dt.date(2026, 11, 29)
    limits = (MueLimit("J9299", 300, day, None, PlaceOfService.HOSPITAL_OUTPATIENT, "3 Date of Service Edit: Clinical",
                       "CMS Outpatient Hospital Services MUE table (test value)"),
              MueLimit("J9299", 500, day, None, PlaceOfService.OFFICE))
    limited = replace(rules, mue_limits=limits)
    first = given(rules, "J9299", "0003-3734-13", 1, "240", start=at(9, 0), stop=at(9, 30))
    second = given(rules, "J9299", "0003-3774-12", 1, "100", start=at(11, 0), stop=at(11, 30))
    hospital = compute_visit(visit_of(first, second), limited)
    [mue] = [f for f in hospital.findings if f.code == "MUE_EXCEEDED"]
    assert "340 units of J9299 (JW included) exceed the medically unlikely edit of 300" in mue.message
    assert "hospital outpatient MUE" in mue.message and mue.administration == 0
    office = compute_visit(visit_of(first, second, place=PlaceOfService.OFFICE), limited)
    assert "MUE_EXCEEDED" not in codes(office)
    assert "MUE_EXCEEDED" not in codes(compute_visit(visit_of(first), limited))
    ended = replace(limited, mue_limits=(replace(limits[0], effective_to=day - dt.timedelta(days=1)),))
    assert "MUE_EXCEEDED" not in codes(compute_visit(visit_of(first, second), ended))


def test_no_payer_policy_change_loses_the_dated_tables(rules: RuleSet) -> None:
    changed = rules.with_payer_policy(PayerPolicy(PayerClass.COMMERCIAL, "Commercial", "none", False))
    assert changed.jz_periods == rules.jz_periods and changed.routes is rules.routes
