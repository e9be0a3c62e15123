"""The words a biller reads (issue 13 items 8-12): they never contradict the line, and name what is wrong."""

from __future__ import annotations

from desktop.billing.engine import compute, compute_visit
from desktop.billing.model import LineKind
from desktop.billing.tables import RuleSet
from tests.billing.conftest import administration, at, given, loose, vials, visit_of


def message(result, code: str) -> str:  # type: ignore[no-untyped-def]
    return next(f.message for f in result.findings if f.code == code)


def test_jw_units_from_the_labels_say_they_are_unaccounted_for(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "0"), rules)
    jw = next(line for line in result.lines if line.kind is LineKind.DISCARDED)
    assert jw.units == 2
    assert jw.reason.startswith("JW: 2 units of the labels unaccounted for (300 mg opened = 30 whole units, less 28 "
                                "given; only 0 mg documented as discarded)")
    assert "0 mg discarded" not in jw.reason
    assert "UNACCOUNTED_DRUG" in {f.code for f in result.findings}  # still blocks


def test_jw_words_when_the_discard_is_documented(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25"), rules)
    jw = next(line for line in result.lines if line.kind is LineKind.DISCARDED)
    assert jw.reason.startswith("JW: 25 mg discarded from single-dose vials = 2 units (300 mg opened = 30 whole units, "
                                "less 28 given)")


def test_overfill_names_the_discard(rules: RuleSet) -> None:
    result = compute(administration("J9299", [vials(rules, "0003-3774-12", 1)], "95", "10"), rules)
    assert message(result, "OVERFILL").startswith("10 mg discarded, but only 5 mg was left in the vials after 95 mg "
                                                  "given (100 mg on the labels)")
    jw = next(line for line in result.lines if line.kind is LineKind.DISCARDED)
    assert "the 10 mg documented as discarded is more than the 5 mg left" in jw.reason


def test_overfill_given_names_the_amount_given(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 1)], "120", "0"), rules)
    found = next(f for f in result.findings if f.code == "OVERFILL")
    assert found.message.startswith("120 mg given is more than the 100 mg on the labels")
    assert found.field == "administered_mg"


def test_a_dose_capped_at_the_label_restates_the_documented_dose(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 1)], "120", "0"), rules)
    line = result.lines[0]
    assert line.units == 10
    assert line.reason.startswith("10 units: 120 mg given, billed up to the 100 mg on the labels / 10 mg per unit")


def test_split_ndc_lines_each_begin_with_their_own_units(rules: RuleSet) -> None:
    result = compute(
        administration("J9299", [vials(rules, "0003-3774-12", 1), vials(rules, "0003-3756-14", 1)], "219", "1"), rules
    )
    reasons = [line.reason for line in result.lines if line.kind is not LineKind.ADMINISTRATION]
    assert reasons[0].startswith("100 units of the 219, for the 100 mg given from NDC 0003-3774-12.")
    assert reasons[1].startswith("119 units of the 219, for the 119 mg given from NDC 0003-3756-14.")
    assert reasons[2].startswith("1 unit of the 1, for the 1 mg left from NDC 0003-3756-14.")
    assert all("All NDCs: " in text for text in reasons)
    assert not any("1 units" in text for text in reasons + list(result.explanations))


def test_one_unit_is_singular(example_rules: RuleSet) -> None:
    result = compute(administration("J1745", [loose("100", 1)], "90", "10"), example_rules)
    jw = next(line for line in result.lines if line.kind is LineKind.DISCARDED)
    assert "= 1 unit (" in jw.reason and "1 units" not in jw.reason


def test_no_vials_says_so_and_never_multiple_dose(rules: RuleSet) -> None:
    result = compute(administration("J9302", [], "100", "0"), rules)
    assert "NO_PACKAGES" in {f.code for f in result.findings}
    assert not any("Multiple-dose" in text for text in result.explanations)
    assert any(text.startswith("No vials recorded: the waste cannot be computed") for text in result.explanations)


def test_stop_before_start_asks_for_the_times(rules: RuleSet) -> None:
    adm = given(rules, "J9299", "0003-3734-13", 1, "240", start=at(10, 0), stop=at(9, 0))
    found = next(f for f in compute_visit(visit_of(adm), rules).findings if f.code == "INVALID_INFUSION_TIME")
    assert found.message == ("The stop time 09:00 of nivolumab is not after its start time 10:00: check the start and "
                             "stop times.")
    assert found.field == "infusion_stop"


def test_a_missing_stop_time_is_named(rules: RuleSet) -> None:
    adm = given(rules, "J9299", "0003-3734-13", 1, "240", start=at(9, 0))
    found = next(f for f in compute_visit(visit_of(adm), rules).findings if f.code == "NO_INFUSION_TIME")
    assert found.field == "infusion_stop" and "No infusion stop time for nivolumab" in found.message


def test_mcg_and_ml_drugs_say_their_unit_of_measure(rules: RuleSet) -> None:
    palonosetron = given(rules, "J2469", "58063-797-25", 1, "250", start=at(8, 50), stop=at(8, 51))
    result = compute_visit(visit_of(palonosetron), rules)
    assert result.lines[0].units == 10
    assert result.lines[0].reason.startswith("10 units: 250 mcg given / 25 mcg per unit, rounded up")
    saline = given(rules, "J7050", None, 1, "500", label="1000", start=at(9, 0), stop=at(10, 0))
    result = compute_visit(visit_of(saline), rules)
    words = " ".join([line.reason for line in result.lines] + list(result.explanations)
                     + [f.message for f in result.findings])
    assert result.lines[0].units == 2 and "500 mL given / 250 mL per unit" in words
    assert " mg" not in words.replace("mL", "")
    assert "500 mL is not accounted for: 1,000 mL was opened" in words
