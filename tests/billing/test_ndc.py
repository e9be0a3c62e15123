"""NDC shapes: 4-4-2, 5-3-2 and 5-4-1 to the 11-digit claim form, and GTINs."""

from __future__ import annotations

import pytest

from desktop.billing.ndc import NdcFormatError, format_ndc11, ndc10_digits_from_gtin, to_ndc11
from desktop.billing.tables import RuleSet


@pytest.mark.parametrize(
    ("labeled", "claim"),
    [
        ("0078-0669-13", "00078066913"),  # 4-4-2
        ("50242-917-01", "50242091701"),  # 5-3-2
        ("12345-6789-1", "12345678901"),  # 5-4-1
        ("00078-0669-13", "00078066913"),  # already 5-4-2
    ],
)
def test_to_ndc11(labeled: str, claim: str) -> None:
    assert to_ndc11(labeled) == claim


@pytest.mark.parametrize("bad", ["0078066913", "123-4567-89", "12345-67890-1", "abcd-efgh-ij", "", "123456-7890-12"])
def test_bad_shapes_are_refused(bad: str) -> None:
    with pytest.raises(NdcFormatError):
        to_ndc11(bad)


def test_format_and_gtin() -> None:
    assert format_ndc11("00078066913") == "00078-0669-13"
    assert ndc10_digits_from_gtin("00300780669131") == "0078066913"
    with pytest.raises(NdcFormatError):
        ndc10_digits_from_gtin("01234567890128")


def test_catalog_finds_a_package_by_any_form(rules: RuleSet) -> None:
    for form in ("0078-0669-13", "00078-0669-13", "00078066913", "0078066913"):
        found = rules.catalog.package(form)
        assert found is not None and found.hcpcs == "J9302", form
    assert rules.catalog.package("9999-9999-99") is None


def test_catalog_search(rules: RuleSet) -> None:
    assert [d.hcpcs for d in rules.catalog.search("arzerra")] == ["J9302"]
    assert [d.hcpcs for d in rules.catalog.search("nivolumab")] == ["J9299"]
    assert [d.hcpcs for d in rules.catalog.search("j9022")] == ["J9022"]
    assert [d.hcpcs for d in rules.catalog.search("50242-917")] == ["J9022"]
