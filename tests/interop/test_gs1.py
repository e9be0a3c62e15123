"""GS1 DataMatrix vial scans: AIM prefix, GS separators, expiry day 00, and refusing ambiguous scans."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.billing.tables import load_rules
from desktop.interop.gs1 import GS, Gs1ScanError, gtin_for_ndc10, parse_vial_scan

CATALOG = load_rules().catalog
ARZERRA_GTIN = gtin_for_ndc10("0078066913")


def test_gtin_carries_the_ndc_with_a_valid_check_digit() -> None:
    assert ARZERRA_GTIN == "00300780669139"


def test_full_scan_with_aim_prefix_and_gs_separator() -> None:
    scan = parse_vial_scan(f"]d201{ARZERRA_GTIN}17270331" f"10ABC123{GS}21XYZ9", CATALOG)
    assert scan.package is not None and scan.package.hcpcs == "J9302"
    assert scan.ndc == "0078-0669-13"
    assert (scan.lot, scan.serial, scan.expiry) == ("ABC123", "XYZ9", dt.date(2027, 3, 31))


def test_expiry_day_00_means_end_of_month() -> None:
    scan = parse_vial_scan(f"01{ARZERRA_GTIN}1728020010L1", CATALOG)
    assert scan.expiry == dt.date(2028, 2, 29)


def test_leading_fnc1_and_trailing_newline_are_tolerated() -> None:
    scan = parse_vial_scan(f"{GS}01{ARZERRA_GTIN}10LOT7\r\n", CATALOG)
    assert scan.lot == "LOT7"


def test_unknown_ndc_is_read_but_has_no_package() -> None:
    scan = parse_vial_scan(f"01{gtin_for_ndc10('1234567890')}10L", CATALOG)
    assert scan.package is None and scan.ndc == "1234567890"


def test_lot_that_merely_contains_ai_digits_is_accepted() -> None:
    assert parse_vial_scan(f"01{ARZERRA_GTIN}1727033110LOT1712", CATALOG).lot == "LOT1712"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (f"01{ARZERRA_GTIN}1727033110ABC12321XYZ9", "may run into the next field"),  # no GS after lot
        (f"01{ARZERRA_GTIN[:-1]}4", "did not check out"),  # bad check digit
        ("]d2garbage", "could not be read"),
        ("", "empty"),
        (f"]d2{GS}", "empty"),
        ("1727033110ABC", "no product number"),
        (f"01{ARZERRA_GTIN}17271399", "could not be read"),  # month 13
        ("0100012345678905", "not a US drug NDC"),
    ],
)
def test_bad_or_ambiguous_scans_ask_for_a_rescan(raw: str, words: str) -> None:
    with pytest.raises(Gs1ScanError, match=words) as caught:
        parse_vial_scan(raw, CATALOG)
    assert "scan the vial again" in str(caught.value)
