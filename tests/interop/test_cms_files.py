"""CMS's files read as published (generated in tests/interop/cms_samples.py: real layout, made-up values): the kind
from the header, the preamble skipped whatever its length, ISO-8859-1 bytes, numbers with separators, trailing
blank columns, and every bad line named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from desktop.interop.cms_files import (
    CmsFileError,
    CmsKind,
    CrosswalkRow,
    MueRow,
    PriceRow,
    decode,
    quarter_label,
    read_cms_file,
    stated_effective,
)
from tests.interop.cms_samples import CATALOG_ROWS, crosswalk_bytes, made_up_rows, mue_bytes, price_bytes


def test_a_crosswalk_of_thousands_of_rows_as_published() -> None:
    data = crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(3000)], dt.date(2026, 4, 1))
    assert data.startswith(b"April 2026 ASP NDC-HCPCS Crosswalk,") and b"\r\n" in data
    assert "Hématologie".encode("iso-8859-1")[:3] == b"H\xe9m" and b"H\xe9mato" in data  # ISO-8859-1, not UTF-8
    read = read_cms_file(data, "April 2026 ASP NDC-HCPCS Crosswalk.csv")
    assert read.kind is CmsKind.CROSSWALK and read.header_line == 9 and read.header_year == 2026
    assert read.effective == dt.date(2026, 4, 1) and read.effective_in_title
    assert read.title == "April 2026 ASP NDC-HCPCS Crosswalk"
    assert len(read.rows) == len(CATALOG_ROWS) + 3000 and read.problems == () and read.problem_count == 0
    first = read.rows[0]
    assert isinstance(first, CrosswalkRow)
    assert (first.hcpcs, first.ndc, first.ndc11, first.dosage) == ("J9302", "00078-0669-13", "00078066913", "10 MG")
    assert (first.package_size, first.package_quantity, first.units_per_package) == (5, 1, 10)
    thousand = next(r for r in read.rows if isinstance(r, CrosswalkRow) and r.units_per_package == 1000)
    assert thousand.units_per_package == Decimal(1000)  # written "1,000" in the file
    assert any(isinstance(r, CrosswalkRow) and r.labeler == "Laboratoires Hémato SA" for r in read.rows)


def test_the_year_in_the_code_column_changes_and_the_ndc_column_may_be_called_ndc() -> None:
    data = crosswalk_bytes(CATALOG_ROWS, dt.date(2027, 1, 1)).replace(b",NDC2,", b",NDC,")
    read = read_cms_file(data)
    assert read.header_year == 2027 and len(read.rows) == len(CATALOG_ROWS)


def test_the_crosswalk_header_as_cms_s_faq_names_it() -> None:
    faq = b"HCPCS Level II Code defer to DCDRG,Short Description defer to DCDRG,"
    data = crosswalk_bytes(CATALOG_ROWS).replace(b"_2026_CODE,Short Description,", faq)
    read = read_cms_file(data)
    assert read.kind is CmsKind.CROSSWALK and read.header_year is None and len(read.rows) == len(CATALOG_ROWS)
    assert isinstance(read.rows[0], CrosswalkRow) and read.rows[0].short_description == "Inj ofatumumab 10 mg"


def test_pricing_file_with_nine_lines_above_its_header() -> None:
    data = price_bytes([("J9299", "1 MG", "28.541"), ("J9302", "10 MG", "1,234.5"), ("J7050", "250 CC", ""),
                        ("90371", "0.5 ML", "N/A")], dt.date(2026, 7, 1))
    read = read_cms_file(data, "July 2026 ASP Pricing File.csv")
    assert read.kind is CmsKind.ASP and read.header_line == 10 and read.effective == dt.date(2026, 7, 1)
    limits = {r.hcpcs: r.payment_limit for r in read.rows if isinstance(r, PriceRow)}
    assert limits == {"J9299": Decimal("28.541"), "J9302": Decimal("1234.5"), "J7050": None, "90371": None}


@pytest.mark.parametrize(("setting", "kind"), [("Practitioner", CmsKind.MUE_PRACTITIONER),
                                               ("Outpatient Hospital", CmsKind.MUE_OUTPATIENT)])
def test_mue_tables_below_a_quoted_copyright_notice(setting: str, kind: CmsKind) -> None:
    data = mue_bytes([("J9299", 300, 3), ("J9302", 30, 1), ("V5364", 0, 3)], setting)
    name = f"MCR_MUE_{setting.replace(' ', '')}Services_Eff_10-01-2026.csv"
    read = read_cms_file(data, name)
    assert read.kind is kind and read.effective == dt.date(2026, 10, 1) and not read.effective_in_title
    assert read.header_line == 4  # the notice spans lines 1-3; the header's first name breaks its line
    rows = [r for r in read.rows if isinstance(r, MueRow)]
    assert [(r.hcpcs, r.mue_value, r.indicator) for r in rows] == [("J9299", 300, 3), ("J9302", 30, 1),
                                                                   ("V5364", 0, 3)]
    assert rows[0].indicator_text == "3 Date of Service Edit: Clinical" and rows[0].line == 6


@pytest.mark.parametrize(("data", "expected", "words"), [
    (price_bytes([("J9299", "1 MG", "28.541")]), "crosswalk",
     "This looks like the ASP pricing file (payment limits); expected the ASP NDC-HCPCS crosswalk."),
    (crosswalk_bytes(CATALOG_ROWS), "asp",
     "This looks like the ASP NDC-HCPCS crosswalk; expected the ASP pricing file (payment limits)."),
    (mue_bytes([("J9299", 1, 3)], "DME Supplier"), None, "This looks like the DME supplier services MUE table"),
    (b"Column 1,Column 2,*=in existence prior to 1996,Effective Date\r\n0001A,0591T,,20210101\r\n", "mue",
     "This looks like an NCCI procedure-to-procedure (PTP) edit table; expected an MUE table"),
    (b"kind,hcpcs,ndc,label_mg\r\npackage,J9299,0003-3772-11,40\r\n", None, "the program's own catalog CSV"),
    (crosswalk_bytes(CATALOG_ROWS).replace(b"January 2026 ASP NDC", b"January 2026 OPPS NDC", 1), None,
     "This looks like the OPPS NDC-HCPCS crosswalk"),
    (b"hello,world\r\n1,2\r\n", "asp", "No header row the program knows was found in the first 60 lines"),
])
def test_another_file_is_refused_saying_what_it_looks_like(data: bytes, expected: str | None, words: str) -> None:
    with pytest.raises(CmsFileError) as refused:
        read_cms_file(data, expected=expected)
    assert words in str(refused.value)


def test_every_bad_line_is_named() -> None:
    rows = [*CATALOG_ROWS, *made_up_rows(500)]
    data = crosswalk_bytes(rows).replace(b"00003-3772-11", b"0003-3772-11").replace(b",1,1,240,", b",1,1,-240,")
    read = read_cms_file(data)
    assert read.problem_count == 2
    assert read.problems == (
        "line 12: BILLUNITSPKG is -240: it cannot be negative",
        "line 13: NDC '0003-3772-11' is not in the 5-4-2 form the crosswalk uses (e.g. 00003-3734-13)",
    )


def test_a_negative_limit_and_a_bad_number_are_named() -> None:
    read = read_cms_file(price_bytes([("J9299", "1 MG", "28.541"), ("J9302", "10 MG", "-1.00"),
                                      ("J9022", "10 MG", "12,34.5")]))
    assert read.problems == ("line 12: the payment limit for J9302 is -1.00: it cannot be negative",
                             "line 13: the payment limit for J9022 '12,34.5' is not a number")


def test_a_file_cut_short_is_named_at_its_last_line() -> None:
    data = crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(100)])
    cut = data[: data.rindex(b"\r\n", 0, len(data) - 2) + 20]
    read = read_cms_file(cut)
    assert read.problem_count == 1 and "the row ends after" in read.problems[0]
    assert read.problems[0].startswith(f"line {len(CATALOG_ROWS) + 100 + 9}:")
    quoted = crosswalk_bytes(CATALOG_ROWS) + b'J9299,"Inj nivolumab, cut'
    assert "a quoted value never ends" in read_cms_file(quoted).problems[-1]
    with pytest.raises(CmsFileError, match=r"has a header .* but no rows"):
        read_cms_file(crosswalk_bytes([]))


def test_the_same_row_twice_is_read_once_and_a_conflicting_repeat_is_named() -> None:
    twice = read_cms_file(crosswalk_bytes([*CATALOG_ROWS, CATALOG_ROWS[0]]))
    assert len(twice.rows) == len(CATALOG_ROWS) and not twice.problems
    conflicting = read_cms_file(price_bytes([("J9299", "1 MG", "28.541"), ("J9299", "1 MG", "30")]))
    assert conflicting.problems == ("line 12: J9299 is listed again with other values than on line 11",)


def test_notes_below_the_data_are_skipped_and_counted() -> None:
    data = price_bytes([("J9299", "1 MG", "28.541")]) + b"Note: codes marked with an asterisk are new,,,,,,,,,\r\n"
    read = read_cms_file(data)
    assert len(read.rows) == 1 and read.notes_skipped == 1 and not read.problems


def test_decoding_and_dates() -> None:
    assert decode(b"\xef\xbb\xbfJ9299") == "J9299" and decode("Hémato".encode("latin-1")) == "Hémato"
    assert decode("J9299,é".encode("utf-16")) == "J9299,é"
    with pytest.raises(CmsFileError, match="This is a ZIP file"):
        read_cms_file(b"PK\x03\x04\x14\x00rest of a zip")
    assert decode(b"\x92") == "\u2019"  # Windows-1252's curly apostrophe, as CMS files often hold
    assert stated_effective(["Payment limits effective July 1, 2026 through September 30, 2026"]) == dt.date(2026, 7, 1)
    assert stated_effective(["", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"]) == dt.date(2026, 4, 1)
    assert stated_effective(["2026 Q3 crosswalk"]) == dt.date(2026, 7, 1)
    assert stated_effective(["no date here"]) is None
    assert quarter_label(dt.date(2026, 10, 1)) == "2026 Q4" and quarter_label(dt.date(2026, 2, 3)) == "from 2026-02-03"
