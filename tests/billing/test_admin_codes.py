"""Administration codes from infusion minutes (billing-rules.md section 6)."""

from __future__ import annotations

import pytest

from desktop.billing.admin_codes import administration_lines


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
    ],
)
def test_codes_by_minutes(minutes: int, expected: list[tuple[str, int]]) -> None:
    lines, findings = administration_lines(minutes)
    assert [(line.hcpcs, line.units) for line in lines] == expected
    assert findings == ()


@pytest.mark.parametrize("minutes", [0, -10, 24 * 60 + 1])
def test_impossible_durations_are_errors(minutes: int) -> None:
    lines, findings = administration_lines(minutes)
    assert lines == () and [f.code for f in findings] == ["INVALID_INFUSION_TIME"]


def test_no_times_is_noted() -> None:
    lines, findings = administration_lines(None)
    assert lines == () and [f.code for f in findings] == ["NO_INFUSION_TIME"]
