"""Each finding the engine can raise: its code, severity and plain-English message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.billing.engine import compute
from desktop.billing.model import Administration, FacilityType, LineKind, PayerClass, Severity
from desktop.billing.tables import MueLimit, RuleSet
from tests.billing.conftest import DOS, administration, vials


def codes(result, severity: Severity | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in result.findings if severity is None or f.severity is severity}


def test_unaccounted_drug_is_an_error(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "10"), rules)
    assert "UNACCOUNTED_DRUG" in codes(result, Severity.ERROR)
    message = next(f.message for f in result.findings if f.code == "UNACCOUNTED_DRUG")
    assert "15 mg is not accounted for" in message


def test_overfill_is_a_warning_and_billing_stops_at_the_label(rules: RuleSet) -> None:
    result = compute(administration("J9299", [vials(rules, "0003-3774-12", 1)], "102", "3"), rules)
    assert "OVERFILL" in codes(result, Severity.WARNING)
    drug = [line for line in result.lines if line.kind is LineKind.ADMINISTERED]
    assert [line.units for line in drug] == [100]


def test_nothing_administered_gives_no_drug_line(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 1)], "0", "100"), rules)
    assert "NOTHING_ADMINISTERED" in codes(result, Severity.ERROR)
    assert all(line.kind is LineKind.ADMINISTRATION for line in result.lines)


def test_atezolizumab_ndc_on_ofatumumab_line_is_a_crosswalk_error(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "50242-917-01", 1)], "1200", "0"), rules)
    assert "NDC_HCPCS_MISMATCH" in codes(result, Severity.ERROR)
    message = next(f.message for f in result.findings if f.code == "NDC_HCPCS_MISMATCH")
    assert "Tecentriq" in message and "J9022" in message and "J9302" in message


def test_expired_vial_is_an_error_but_expiry_on_the_day_is_fine(rules: RuleSet) -> None:
    expired = vials(rules, "0078-0669-13", 3, expiry=DOS - dt.timedelta(days=1))
    assert "PACKAGE_EXPIRED" in codes(compute(administration("J9302", [expired], "275", "25"), rules), Severity.ERROR)
    same_day = vials(rules, "0078-0669-13", 3, expiry=DOS)
    assert "PACKAGE_EXPIRED" not in codes(compute(administration("J9302", [same_day], "275", "25"), rules))


def test_least_waste_warning_for_nivolumab_219mg(rules: RuleSet) -> None:
    one_240 = compute(administration("J9299", [vials(rules, "0003-3734-13", 1)], "219", "21"), rules)
    assert "LEAST_WASTE" in codes(one_240, Severity.WARNING)
    message = next(f.message for f in one_240.findings if f.code == "LEAST_WASTE")
    assert "21 mg waste" in message and "would waste 1 mg" in message
    best = compute(
        administration("J9299", [vials(rules, "0003-3774-12", 1), vials(rules, "0003-3756-14", 1)], "219", "1"), rules
    )
    assert "LEAST_WASTE" not in codes(best)


def test_mixed_ndcs_split_into_one_line_per_ndc(rules: RuleSet) -> None:
    result = compute(
        administration("J9299", [vials(rules, "0003-3774-12", 1), vials(rules, "0003-3756-14", 1)], "219", "1"), rules
    )
    drug = [(line.kind, line.units, line.ndc.ndc11 if line.ndc else None) for line in result.lines
            if line.kind is not LineKind.ADMINISTRATION]
    assert drug == [
        (LineKind.ADMINISTERED, 100, "00003377412"),
        (LineKind.ADMINISTERED, 119, "00003375614"),
        (LineKind.DISCARDED, 1, "00003375614"),
    ]


def test_subcutaneous_route_on_an_iv_code_is_an_error(rules: RuleSet) -> None:
    adm = administration("J9022", [vials(rules, "50242-917-01", 1)], "1200", "0", route="SC")
    assert "SUBCUTANEOUS_ON_IV_CODE" in codes(compute(adm, rules), Severity.ERROR)


def test_no_packages_is_an_error(rules: RuleSet) -> None:
    assert "NO_PACKAGES" in codes(compute(administration("J9302", [], "100", "0"), rules), Severity.ERROR)


def test_unknown_hcpcs_is_an_error(rules: RuleSet) -> None:
    result = compute(
        Administration(DOS, "J0000", PayerClass.MEDICARE, FacilityType.DSH, (), 0, 0),  # type: ignore[arg-type]
        rules,
    )
    assert codes(result) == {"UNKNOWN_HCPCS"} and result.lines == ()


def test_free_drug_suppresses_the_drug_lines(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25", free_drug=True), rules)
    assert "FREE_DRUG" in codes(result, Severity.INFO)
    assert [line.hcpcs for line in result.lines] == ["96413"]


def test_mue_limit_from_data(rules: RuleSet) -> None:
    limited = RuleSet(rules.catalog, rules.payer_policies, rules.modifiers_340b,
                      (MueLimit("J9302", 25, dt.date(2026, 10, 1), None),), rules.versions)
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25"), limited)
    assert "MUE_EXCEEDED" in codes(result, Severity.WARNING)
    assert "30 units" in next(f.message for f in result.findings if f.code == "MUE_EXCEEDED")


def test_unverified_catalog_entry_is_noted(rules: RuleSet) -> None:
    result = compute(administration("J9023", [vials(rules, "44087-3535-01", 1)], "200", "0"), rules)
    # In the details (explanations), not a finding on every charge of the vial (issue 12 item 8).
    assert "CATALOG_UNVERIFIED" not in codes(result, Severity.INFO)
    assert any("44087-3535-01 not yet verified" in e for e in result.explanations)


def test_every_message_is_plain_words(rules: RuleSet) -> None:
    adm = administration("J9302", [vials(rules, "50242-917-01", 1, expiry=DOS - dt.timedelta(days=3))], "0", "5",
                         minutes=-5)
    for found in compute(adm, rules).findings:
        assert found.message[0].isupper() or found.message[0].isdigit()
        assert "Traceback" not in found.message and len(found.message) > 20


def test_dose_below_and_above_the_order(rules: RuleSet) -> None:
    from dataclasses import replace

    adm = administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25")
    below = compute(replace(adm, ordered_dose_mg=Decimal("300")), rules)
    assert "DOSE_BELOW_ORDER" in codes(below, Severity.WARNING)
    assert "275 mg was given but 300 mg was ordered" in next(f.message for f in below.findings
                                                             if f.code == "DOSE_BELOW_ORDER")
    above = compute(replace(adm, ordered_dose_mg=Decimal("250")), rules)
    assert "DOSE_ABOVE_ORDER" in codes(above, Severity.WARNING)
    within = compute(replace(adm, ordered_dose_mg=Decimal("277")), rules)  # under 1%: preparation rounding
    assert not {"DOSE_BELOW_ORDER", "DOSE_ABOVE_ORDER"} & codes(within)
