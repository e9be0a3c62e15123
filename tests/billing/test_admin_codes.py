"""Administration codes of one chemotherapy drug from its minutes (billing-rules.md sections 6 and 8)."""

from __future__ import annotations

import pytest

from desktop.billing.admin_codes import extra_hours
from desktop.billing.engine import compute
from desktop.billing.model import LineKind
from desktop.billing.tables import RuleSet
from tests.billing.conftest import administration, vials


def codes(rules: RuleSet, minutes: int | None, given: str = "240"):  # type: ignore[no-untyped-def]
    result = compute(administration("J9299", [vials(rules, "0003-3734-13", 1)], given, str(240 - int(given)),
                                    minutes=minutes), rules)
    lines = [(line.hcpcs, line.units) for line in result.lines if line.kind is LineKind.ADMINISTRATION]
    return lines, result


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (1, [("96409", 1)]),
        (15, [("96409", 1)]),
        (16, [("96413", 1)]),
        (60, [("96413", 1)]),
        (90, [("96413", 1)]),
        (91, [("96413", 1), ("96415", 1)]),
        (150, [("96413", 1), ("96415", 1)]),
        (151, [("96413", 1), ("96415", 2)]),
        (240, [("96413", 1), ("96415", 3)]),
        (24 * 60, [("96413", 1), ("96415", 23)]),
    ],
)
def test_codes_by_minutes(rules: RuleSet, minutes: int, expected: list[tuple[str, int]]) -> None:
    lines, result = codes(rules, minutes)
    assert lines == expected
    assert not {"INVALID_INFUSION_TIME", "NO_INFUSION_TIME"} & {f.code for f in result.findings}


def test_every_code_line_carries_its_administration_and_a_reason(rules: RuleSet) -> None:
    _, result = codes(rules, 95)
    for line in result.lines:
        assert line.administration == 0 and line.reason
    hours = next(line for line in result.lines if line.hcpcs == "96415")
    assert hours.reason == ("nivolumab: 35 min beyond the first hour: 1 additional hour(s), each counted only past "
                            "30 minutes")


@pytest.mark.parametrize("minutes", [0, -10, 24 * 60 + 1])
def test_impossible_durations_are_errors_that_ask_for_the_minutes(rules: RuleSet, minutes: int) -> None:
    lines, result = codes(rules, minutes)
    found = [f for f in result.findings if f.code == "INVALID_INFUSION_TIME"]
    assert lines == [] and len(found) == 1
    assert "check the infusion minutes" in found[0].message and "start and stop" not in found[0].message
    assert found[0].field == "infusion_minutes" and found[0].administration == 0


def test_no_times_is_noted(rules: RuleSet) -> None:
    lines, result = codes(rules, None)
    assert lines == [] and "NO_INFUSION_TIME" in {f.code for f in result.findings}


@pytest.mark.parametrize(("minutes", "hours"), [(60, 0), (90, 0), (91, 1), (150, 1), (151, 2)])
def test_extra_hours_count_only_past_thirty_minutes(minutes: int, hours: int) -> None:
    assert extra_hours(minutes) == hours
