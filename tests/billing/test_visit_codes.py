"""Billing-rules §8 as worked examples: one initial service per visit, add-ons, concurrency, hydration, DST."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from desktop.billing.engine import compute, compute_visit
from desktop.billing.model import Administration, ChargeResult, LineKind, PlaceOfService, Visit
from desktop.billing.revenue import revenue_code
from desktop.billing.tables import RuleSet
from tests.billing.conftest import DOS, at, given, visit_of


def codes(result: ChargeResult) -> list[tuple[str, int, int | None]]:
    return [(line.hcpcs, line.units, line.administration) for line in result.lines
            if line.kind is LineKind.ADMINISTRATION]


def reason(result: ChargeResult, code: str) -> str:
    return next(line.reason for line in result.lines if line.hcpcs == code)


NINE, NINE_THIRTY, TEN, TEN_THIRTY = at(9, 0), at(9, 30), at(10, 0), at(10, 30)


def nivolumab(rules: RuleSet, start: dt.datetime = NINE, stop: dt.datetime = NINE_THIRTY) -> Administration:
    return given(rules, "J9299", "0003-3734-13", 1, "240", start=start, stop=stop)


def ipilimumab(rules: RuleSet, start: dt.datetime = TEN, stop: dt.datetime = TEN_THIRTY) -> Administration:
    return given(rules, "J9228", "0003-2327-11", 1, "50", start=start, stop=stop)


def dexamethasone_push(rules: RuleSet) -> Administration:
    return given(rules, "J1100", "63323-506-41", 1, "10", start=at(8, 50), stop=at(8, 52))


def ondansetron(rules: RuleSet, start: dt.datetime, stop: dt.datetime) -> Administration:
    return given(rules, "J2405", "0641-6080-25", 2, "8", start=start, stop=stop)


def saline(rules: RuleSet, start: dt.datetime, stop: dt.datetime, **extra: object) -> Administration:
    return given(rules, "J7050", None, 1, "250", start=start, stop=stop, label="250", **extra)


def test_sequential_chemo_is_one_96413_and_one_96417(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), ipilimumab(rules)), rules)
    assert codes(result) == [("96413", 1, 0), ("96417", 1, 1)]
    assert reason(result, "96417") == ("Second chemotherapy drug of the visit, ipilimumab (10:00-10:30), given after "
                                       "nivolumab: sequential infusion of a new drug, up to 1 hour")
    assert "Initial service: nivolumab (09:00-09:30)" in reason(result, "96413")
    assert not result.has_errors


def test_a_third_chemo_drug_is_a_second_96417_with_its_own_hours(rules: RuleSet) -> None:
    third = given(rules, "J9271", "0006-3026-02", 2, "200", start=at(11, 0), stop=at(12, 35))
    result = compute_visit(visit_of(nivolumab(rules), ipilimumab(rules), third), rules)
    assert codes(result) == [("96413", 1, 0), ("96417", 1, 1), ("96417", 1, 2), ("96415", 1, 2)]
    assert reason(result, "96415").startswith("pembrolizumab: 35 min beyond the first hour")
    assert "Third chemotherapy drug of the visit" in [line.reason for line in result.lines][-2]


def test_chemo_with_a_push_premedication(rules: RuleSet) -> None:
    result = compute_visit(visit_of(dexamethasone_push(rules), nivolumab(rules)), rules)
    assert codes(result) == [("96413", 1, 1), ("96375", 1, 0)]
    assert "therapeutic IV push of a new drug (2 min), additional to the initial nivolumab" in reason(result, "96375")


def test_the_nurses_three_drug_visit_has_one_96413_one_96417_one_96375(rules: RuleSet) -> None:
    result = compute_visit(visit_of(dexamethasone_push(rules), nivolumab(rules), ipilimumab(rules)), rules)
    assert sorted(code for code, _, _ in codes(result)) == ["96375", "96413", "96417"]
    drug_lines = [(line.hcpcs, line.administration) for line in result.lines
                  if line.kind is not LineKind.ADMINISTRATION]
    assert drug_lines == [("J1100", 0), ("J9299", 1), ("J9228", 2)]


def test_chemo_with_a_sequential_therapeutic_infusion(rules: RuleSet) -> None:
    result = compute_visit(visit_of(ondansetron(rules, at(8, 30), at(8, 50)), nivolumab(rules)), rules)
    assert codes(result) == [("96413", 1, 1), ("96367", 1, 0)]
    assert "20 min therapeutic infusion of a new drug, sequential to the initial nivolumab" in reason(result, "96367")


def test_chemo_with_a_concurrent_therapeutic_infusion(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), ondansetron(rules, at(9, 10), at(9, 40))), rules)
    assert codes(result) == [("96413", 1, 0), ("96368", 1, 1)]
    assert reason(result, "96368") == ("ondansetron (09:10-09:40) ran at the same time as nivolumab (09:00-09:30): "
                                       "concurrent infusion (reported once per visit)")


def test_96368_is_reported_once_per_visit(rules: RuleSet) -> None:
    second = given(rules, "J1200", "25021-481-01", 1, "50", start=at(9, 5), stop=at(9, 25))
    result = compute_visit(visit_of(nivolumab(rules), ondansetron(rules, at(9, 10), at(9, 40)), second), rules)
    assert [code for code, _, _ in codes(result)] == ["96413", "96368"]
    assert any("96368 is reported once per visit" in text for text in result.explanations)


def test_overlapping_chemo_infusions_are_an_error_and_the_second_gets_no_code(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), ipilimumab(rules, at(9, 15), at(9, 45))), rules)
    assert codes(result) == [("96413", 1, 0)]
    found = next(f for f in result.findings if f.code == "OVERLAPPING_INFUSIONS")
    assert found.administration == 1 and found.field == "infusion_start"
    assert "ipilimumab (09:15-09:45) and nivolumab (09:00-09:30) overlap" in found.message


def test_back_to_back_infusions_do_not_overlap(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), ipilimumab(rules, at(9, 30), at(10, 0))), rules)
    assert [code for code, _, _ in codes(result)] == ["96413", "96417"]


def test_hydration_20_minutes_is_not_billed_and_45_minutes_is(rules: RuleSet) -> None:
    short = compute_visit(visit_of(saline(rules, at(9, 0), at(9, 20))), rules)
    assert codes(short) == []
    assert any("20 min of hydration; hydration is billed only past 30 minutes" in t for t in short.explanations)
    thirty = compute_visit(visit_of(saline(rules, at(9, 0), at(9, 30))), rules)
    assert codes(thirty) == []
    alone = compute_visit(visit_of(saline(rules, at(9, 0), at(9, 45))), rules)
    assert codes(alone) == [("96360", 1, 0)]
    after_chemo = compute_visit(visit_of(nivolumab(rules), saline(rules, at(9, 40), at(10, 25))), rules)
    assert codes(after_chemo) == [("96413", 1, 0), ("96361", 1, 1)]


def test_hydration_counts_only_minutes_beside_no_drug(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), saline(rules, at(8, 55), at(9, 40))), rules)
    assert codes(result) == [("96413", 1, 0)]
    assert any("45 min, 30 of them beside another drug's infusion: 15 min of hydration on its own" in t
               for t in result.explanations)
    long = compute_visit(visit_of(nivolumab(rules), saline(rules, at(8, 0), at(10, 40))), rules)
    assert codes(long) == [("96413", 1, 0), ("96361", 2, 1)]  # 130 min on its own: 31-90 one unit, 91-150 two


def test_a_carrier_bag_is_never_hydration(rules: RuleSet) -> None:
    result = compute_visit(visit_of(nivolumab(rules), saline(rules, at(9, 0), at(10, 0), carrier=True)), rules)
    assert codes(result) == [("96413", 1, 0)]
    assert any("only the carrier of another drug" in t for t in result.explanations)


def test_hydration_alone_past_the_first_hour(rules: RuleSet) -> None:
    result = compute_visit(visit_of(saline(rules, at(9, 0), at(10, 35))), rules)
    assert codes(result) == [("96360", 1, 0), ("96361", 1, 0)]


def test_therapeutic_only_visits(rules: RuleSet) -> None:
    infusion = compute_visit(visit_of(ondansetron(rules, at(9, 0), at(9, 30))), rules)
    assert codes(infusion) == [("96365", 1, 0)]
    longer = compute_visit(visit_of(ondansetron(rules, at(9, 0), at(10, 31))), rules)
    assert codes(longer) == [("96365", 1, 0), ("96366", 1, 0)]
    push = compute_visit(visit_of(dexamethasone_push(rules)), rules)
    assert codes(push) == [("96374", 1, 0)]
    both = compute_visit(visit_of(dexamethasone_push(rules), ondansetron(rules, at(9, 0), at(9, 30))), rules)
    assert codes(both) == [("96365", 1, 1), ("96375", 1, 0)]
    two_infusions = compute_visit(visit_of(ondansetron(rules, at(9, 0), at(9, 30)),
                                           given(rules, "J1200", "25021-481-01", 1, "50", start=at(9, 40),
                                                 stop=at(10, 0))), rules)
    assert codes(two_infusions) == [("96365", 1, 0), ("96367", 1, 1)]
    concurrent = compute_visit(visit_of(ondansetron(rules, at(9, 0), at(9, 30)),
                                        given(rules, "J1200", "25021-481-01", 1, "50", start=at(9, 10),
                                              stop=at(9, 50))), rules)
    assert codes(concurrent) == [("96365", 1, 0), ("96368", 1, 1)]


def test_chemo_pushes(rules: RuleSet) -> None:
    one = compute_visit(visit_of(nivolumab(rules, at(9, 0), at(9, 10))), rules)
    assert codes(one) == [("96409", 1, 0)]
    two = compute_visit(visit_of(nivolumab(rules, at(9, 0), at(9, 10)), ipilimumab(rules, at(9, 20), at(9, 30))),
                        rules)
    assert codes(two) == [("96409", 1, 0), ("96411", 1, 1)]
    infusion_outranks_push = compute_visit(visit_of(nivolumab(rules, at(9, 0), at(9, 10)), ipilimumab(rules)), rules)
    assert codes(infusion_outranks_push) == [("96413", 1, 1), ("96411", 1, 0)]


def test_removing_a_drug_from_the_visit_recomputes_the_codes(rules: RuleSet) -> None:
    both = visit_of(nivolumab(rules), ipilimumab(rules))
    assert [code for code, _, _ in codes(compute_visit(both, rules))] == ["96413", "96417"]
    only_ipilimumab = replace(both, administrations=both.administrations[1:])
    result = compute_visit(only_ipilimumab, rules)
    assert codes(result) == [("96413", 1, 0)]
    assert "Initial service: ipilimumab (10:00-10:30)" in reason(result, "96413")


def test_infusion_minutes_across_the_fall_back_night_are_real_minutes(rules: RuleSet) -> None:
    night = dt.date(2026, 11, 1)
    adm = given(rules, "J9299", "0003-3734-13", 1, "240", start=at(0, 50, night), stop=at(1, 50, night, fold=1),
                date_of_service=night)
    assert adm.minutes == 120  # the wall clock says 60
    result = compute_visit(visit_of(adm, date_of_service=night), rules)
    assert codes(result) == [("96413", 1, 0), ("96415", 1, 0)]
    assert not result.has_errors


def test_infusion_minutes_across_the_spring_forward_night_are_real_minutes(rules: RuleSet) -> None:
    night = dt.date(2026, 3, 8)
    adm = given(rules, "J9299", "0003-3734-13", 1, "240", start=at(1, 30, night), stop=at(3, 30, night),
                date_of_service=night)
    assert adm.minutes == 60  # the wall clock says 120
    assert codes(compute_visit(visit_of(adm, date_of_service=night), rules)) == [("96413", 1, 0)]


def test_times_with_different_offsets_count_real_minutes(rules: RuleSet) -> None:
    start = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    stop = dt.datetime(2026, 11, 29, 15, 30, tzinfo=dt.UTC)
    assert given(rules, "J9299", "0003-3734-13", 1, "240", start=start, stop=stop).minutes == 30


def test_place_of_service_decides_revenue_codes_and_the_office_note(rules: RuleSet) -> None:
    hospital = compute_visit(visit_of(dexamethasone_push(rules), nivolumab(rules)), rules)
    place = PlaceOfService.HOSPITAL_OUTPATIENT
    assert [revenue_code(line, place) for line in hospital.lines] == ["0636", "0636", "0335", "0260"]
    assert place.cms_code == "22" and PlaceOfService.OFFICE.cms_code == "11"
    office = compute_visit(visit_of(dexamethasone_push(rules), nivolumab(rules), place=PlaceOfService.OFFICE), rules)
    assert [revenue_code(line, PlaceOfService.OFFICE) for line in office.lines] == [None] * 4
    assert codes(office) == codes(hospital)
    assert any(t.startswith("Physician office: the initial service is the main reason") for t in office.explanations)


def test_free_drug_keeps_its_administration_code_and_nothing_given_has_none(rules: RuleSet) -> None:
    free = replace(nivolumab(rules), free_drug=True)
    assert codes(compute_visit(visit_of(free), rules)) == [("96413", 1, 0)]
    nothing = replace(nivolumab(rules), administered_mg=Decimal(0), discarded_mg=Decimal(240))
    result = compute_visit(visit_of(nothing), rules)
    assert codes(result) == [] and "NOTHING_ADMINISTERED" in {f.code for f in result.findings}
    assert any("nothing was given, so no administration code" in t for t in result.explanations)


def test_compute_is_a_visit_of_one(rules: RuleSet) -> None:
    adm = nivolumab(rules)
    assert compute(adm, rules) == compute_visit(Visit(DOS, adm.payer_class, adm.facility_type, (adm,),
                                                      PlaceOfService.HOSPITAL_OUTPATIENT), rules)
