"""Visit-level checks: duplicates (in the visit and against stored records), dates, serials, no drug, the future."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from desktop.billing.engine import compute_visit, duplicate_findings
from desktop.billing.model import Administration, ChargeResult, Severity
from desktop.billing.tables import RuleSet
from tests.billing.conftest import DOS, at, given, visit_of

NINE, NINE_THIRTY = at(9, 0), at(9, 30)


def nivolumab(rules: RuleSet, start: dt.datetime | None = NINE, stop: dt.datetime | None = NINE_THIRTY,
              **extra: object) -> Administration:
    return given(rules, "J9299", "0003-3734-13", 1, "240", start=start, stop=stop, **extra)


def found(result: ChargeResult, code: str) -> list:  # type: ignore[type-arg]
    return [f for f in result.findings if f.code == code]


def test_the_same_drug_at_overlapping_times_is_a_duplicate(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), nivolumab(rules, at(9, 10), at(9, 40))), rules)
    [duplicate] = found(result, "DUPLICATE_ADMINISTRATION")
    assert duplicate.severity is Severity.ERROR and duplicate.administration == 1
    assert duplicate.message == (
        "nivolumab (J9299) (09:10-09:40) is already recorded at the same time: administration 1 of this visit "
        "(09:00-09:30). Remove the repeat, or record it as a split dose with a reason."
    )


def test_the_same_drug_without_times_is_a_duplicate(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules, None, None), nivolumab(rules, None, None)), rules)
    assert len(found(result, "DUPLICATE_ADMINISTRATION")) == 1


def test_a_split_dose_with_a_reason_is_an_info_finding_quoting_it(rules: RuleSet) -> None:
    second = nivolumab(rules, at(9, 10), at(9, 40), split_dose_reason="second bag after a line change")
    result = compute_visit(visit_of(nivolumab(rules), second), rules)
    assert not found(result, "DUPLICATE_ADMINISTRATION")
    [split] = found(result, "SPLIT_DOSE")
    assert split.severity is Severity.INFO and '"second bag after a line change"' in split.message


def test_the_same_drug_at_separate_times_is_not_a_duplicate_but_gets_no_second_code(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), nivolumab(rules, at(11, 0), at(11, 30))), rules)
    assert not found(result, "DUPLICATE_ADMINISTRATION")
    assert [line.hcpcs for line in result.lines if line.hcpcs.startswith("96")] == ["96413"]
    assert any("the same drug as nivolumab (09:00-09:30)" in text for text in result.explanations)


def test_duplicate_findings_against_stored_records(rules: RuleSet) -> None:
    stored = [("visit #12: nivolumab, 09:04-09:34", nivolumab(rules, at(9, 4), at(9, 34))),
              ("visit #13: ipilimumab, 10:00-10:30", given(rules, "J9228", "0003-2327-11", 1, "50",
                                                          start=at(10, 0), stop=at(10, 30)))]
    [duplicate] = duplicate_findings(nivolumab(rules), stored)
    assert duplicate.code == "DUPLICATE_ADMINISTRATION"
    assert "visit #12: nivolumab, 09:04-09:34" in duplicate.message
    assert duplicate_findings(nivolumab(rules, at(13, 0), at(13, 30)), stored) == ()
    other_day = replace(nivolumab(rules), date_of_service=DOS + dt.timedelta(days=1))
    assert duplicate_findings(other_day, stored) == ()
    [split] = duplicate_findings(nivolumab(rules, split_dose_reason="pump alarm, restarted"), stored)
    assert split.code == "SPLIT_DOSE" and "pump alarm, restarted" in split.message
    assert "visit #12" in split.message


def test_an_administration_on_another_date_is_an_error(rules: RuleSet) -> None:
    other = given(rules, "J9228", "0003-2327-11", 1, "50", date_of_service=DOS + dt.timedelta(days=1))
    [wrong] = found(compute_visit(visit_of(nivolumab(rules), other), rules), "DIFFERENT_DATES_OF_SERVICE")
    assert wrong.administration == 1 and wrong.field == "date_of_service"
    two_days = DOS - dt.timedelta(days=2)
    early_start = nivolumab(rules, at(9, 0, two_days), at(9, 30, two_days))
    [wrong] = found(compute_visit(visit_of(early_start), rules), "DIFFERENT_DATES_OF_SERVICE")
    assert wrong.field == "infusion_start" and "started on 2026-11-27" in wrong.message
    evening_in_utc = nivolumab(rules, dt.datetime(2026, 11, 30, 0, 30, tzinfo=dt.UTC),
                               dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC))  # 18:30 in Chicago on the 29th
    assert not found(compute_visit(visit_of(evening_in_utc), rules), "DIFFERENT_DATES_OF_SERVICE")


def test_a_visit_with_no_drug_is_an_error(rules: RuleSet) -> None:
    result = compute_visit(visit_of(), rules)
    assert [f.code for f in result.findings] == ["NO_ADMINISTRATIONS"] and result.lines == ()


def test_the_same_serial_twice_in_a_visit_is_an_error(rules: RuleSet) -> None:
    vial = rules.catalog.package("0003-3734-13").opened(1, False, serial="SN123")  # type: ignore[union-attr]
    first = replace(nivolumab(rules), packages=(vial,))
    second = replace(given(rules, "J9299", "0003-3734-13", 1, "240", start=at(11, 0), stop=at(11, 30)),
                     packages=(vial,))
    [repeat] = found(compute_visit(visit_of(first, second), rules), "DUPLICATE_SERIAL")
    assert repeat.field == "packages[0].serial" and "in administrations 1 and 2" in repeat.message


def test_a_date_of_service_after_today_is_a_warning(rules: RuleSet) -> None:
    today = DOS
    assert not found(compute_visit(visit_of(nivolumab(rules)), rules, today=today), "DATE_OF_SERVICE_IN_FUTURE")
    [future] = found(compute_visit(visit_of(nivolumab(rules)), rules, today=today - dt.timedelta(days=1)),
                     "DATE_OF_SERVICE_IN_FUTURE")
    assert future.severity is Severity.WARNING and future.administration is None
    assert "2026-11-29 is after today (2026-11-28)" in future.message


def test_the_visits_payer_class_and_facility_apply_to_every_drug(rules: RuleSet) -> None:
    from desktop.billing.model import FacilityType, PayerClass

    commercial = replace(nivolumab(rules), payer_class=PayerClass.COMMERCIAL, facility_type=FacilityType.CAH)
    result = compute_visit(visit_of(commercial), rules)  # the visit is Medicare, DSH
    assert result.lines[0].modifiers == ("JZ",)


def test_a_duplicate_names_the_other_times_in_the_same_zone(rules: RuleSet) -> None:
    stored_in_utc = nivolumab(rules, at(9, 0).astimezone(dt.UTC), at(9, 30).astimezone(dt.UTC))
    result = compute_visit(visit_of(stored_in_utc, nivolumab(rules)), rules)
    [duplicate] = found(result, "DUPLICATE_ADMINISTRATION")
    assert "(09:00-09:30) is already recorded at the same time: administration 1 of this visit (09:00-09:30)" in (
        duplicate.message)
