"""Invariants of the unit rules, checked on generated administrations (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.billing.engine import compute
from desktop.billing.model import LineKind, PayerClass
from desktop.billing.tables import RuleSet, load_rules
from tests.billing.conftest import administration, vials

RULES: RuleSet = load_rules()
SINGLE_DOSE = [p for p in RULES.catalog.packages if p.dose_type.value == "single"]


@st.composite
def administrations(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    package = draw(st.sampled_from(SINGLE_DOSE))
    count = draw(st.integers(min_value=1, max_value=6))
    total = package.label_mg * count
    given_mg = draw(st.decimals(min_value=Decimal("0.1"), max_value=total, places=1))
    payer = draw(st.sampled_from(list(PayerClass)))
    use = vials(RULES, package.ndc, count, acquired_340b=draw(st.booleans()))
    return administration(package.hcpcs, [use], str(given_mg), str(total - given_mg), payer=payer), total


def drug_units(result, kind: LineKind) -> int:  # type: ignore[no-untyped-def]
    return sum(line.units for line in result.lines if line.kind is kind)


@settings(max_examples=300, deadline=None)
@given(administrations())
def test_unit_invariants(case) -> None:  # type: ignore[no-untyped-def]
    adm, label_total = case
    result = compute(adm, RULES)
    unit = RULES.catalog.drug(adm.hcpcs).mg_per_unit  # type: ignore[union-attr]
    given_units = drug_units(result, LineKind.ADMINISTERED)
    waste_units = drug_units(result, LineKind.DISCARDED)
    assert given_units * unit >= adm.administered_mg
    assert given_units + waste_units <= int(label_total // unit)
    for line in result.lines:
        assert not ({"JW", "JZ"} <= set(line.modifiers))
    if waste_units:
        assert any("JZ" not in line.modifiers for line in result.lines)
        assert all("JZ" not in line.modifiers for line in result.lines)
    assert compute(adm, RULES) == result  # same input, same answer


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([p for p in RULES.catalog.packages if p.dose_type.value == "multiple"]),
       st.integers(min_value=1, max_value=3), st.decimals(min_value=1, max_value=400, places=0))
def test_no_jw_or_jz_without_single_dose_waste(package, count: int, given_mg: Decimal) -> None:  # type: ignore[no-untyped-def]
    adm = administration(package.hcpcs, [vials(RULES, package.ndc, count)], str(given_mg), "0")
    result = compute(adm, RULES)
    assert drug_units(result, LineKind.DISCARDED) == 0
    assert all(not {"JW", "JZ"} & set(line.modifiers) for line in result.lines)
