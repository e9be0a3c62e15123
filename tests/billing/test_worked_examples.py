"""Every worked example of billing-rules.md section 3, as a test."""

from __future__ import annotations

import pytest

from desktop.billing.engine import compute
from desktop.billing.model import LineKind
from desktop.billing.tables import RuleSet
from tests.billing.conftest import administration, loose, vials


def drug_lines(result):  # type: ignore[no-untyped-def]
    return [(line.units, line.modifiers) for line in result.lines if line.kind is not LineKind.ADMINISTRATION]


@pytest.mark.parametrize(
    ("case", "hcpcs", "label_mg", "count", "given", "discarded", "expected"),
    [
        ("CMS ch.17: vial labeled 100 units", "J9999", "100", 1, "95", "5", [(95, ()), (5, ("JW",))]),
        ("Noridian infliximab J1745", "J1745", "100", 4, "350", "50", [(35, ()), (5, ("JW",))]),
        ("Noridian, no waste", "J1745", "100", 4, "400", "0", [(40, ("JZ",))]),
        ("CMS FAQ, unit covers waste", "J1745", "10", 1, "7", "3", [(1, ("JZ",))]),
        ("Plastic surgeons' example", "J1745", "100", 1, "90", "10", [(9, ()), (1, ("JW",))]),
    ],
)
def test_worked_example(example_rules: RuleSet, case: str, hcpcs: str, label_mg: str, count: int,
                        given: str, discarded: str, expected: list[tuple[int, tuple[str, ...]]]) -> None:
    result = compute(administration(hcpcs, [loose(label_mg, count)], given, discarded), example_rules)
    assert drug_lines(result) == expected, case
    assert not result.has_errors, result.findings


def test_j9302_ofatumumab_three_100mg_vials(rules: RuleSet) -> None:
    result = compute(administration("J9302", [vials(rules, "0078-0669-13", 3)], "275", "25"), rules)
    assert drug_lines(result) == [(28, ()), (2, ("JW",))]
    administered, discarded = result.lines[0], result.lines[1]
    assert administered.ndc is not None and administered.ndc.ndc11 == "00078066913"
    assert administered.ndc.qualifier == "N4" and administered.ndc.unit == "ML"
    assert str(administered.ndc.quantity) == "13.750"  # 275 mg at 100 mg / 5 mL
    assert discarded.ndc is not None and str(discarded.ndc.quantity) == "1.250"
    assert "JW: 25 mg discarded from single-dose vials = 2 units" in discarded.reason
    assert not result.has_errors


def test_unit_covering_the_waste_is_explained(example_rules: RuleSet) -> None:
    result = compute(administration("J1745", [loose("10", 1)], "7", "3"), example_rules)
    assert any("no JW line" in text for text in result.explanations)
