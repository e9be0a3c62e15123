"""The J9302 example ticket carries every field a biller keys from, and right."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from desktop.tickets import render_ticket
from desktop.tickets.samples import j9302_ticket


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_ticket(j9302_ticket())


@pytest.fixture(scope="module")
def text(pdf: bytes, read_pages: Callable[[bytes], list[str]]) -> str:
    pages = read_pages(pdf)
    assert len(pages) == 1, "the usual J9302 ticket fits on one page"
    return pages[0]


@pytest.mark.parametrize(
    "expected",
    [
        # facility and ticket
        "Riverside Infusion Center",
        "NPI 1234567893",
        "Tax ID 12-3456789",
        "340B ID DSH390123",
        "T-2026-000417",
        # patient and visit
        "PATIENT Okafor, Adaeze M.",
        "MRN 0048213",
        "DATE OF BIRTH 1957-11-02",
        "DATE OF SERVICE 2026-03-04",
        "PAYER Medicare Part B (Novitas JL)",
        "PAYER CLASS Medicare",
        "PRIOR AUTHORIZATION PA-88213-X",
        "DIAGNOSIS (ICD-10-CM) C91.10, Z51.12",
        "ORDERED DOSE / ROUTE 300 mg IV",
        "INFUSION START 09:05 EST",
        "INFUSION STOP 13:20 EST (255 min)",
        # the package row: drug, NDC 11, lot, expiry, count, label, 340B source
        "ofatumumab (Arzerra) 100 mg/5 mL 00078066913 AZ4471B 2027-06-30 3 100 mg 340B",
        # amounts and who
        "ADMINISTERED 275 mg",
        "DISCARDED 25 mg",
        "OPENED (LABEL) 300 mg",
        "DISCARDED BY Rachel Patel, RN",
        "WITNESS Tomás Reyes, PharmD",
        # claim lines: #, HCPCS, modifiers, units, line, qualifier, NDC, unit, quantity, charge
        "1 J9302 TB 28 Given N4 00078066913 ML 13.75 $4,151.56",
        "2 J9302 JW TB 2 Discarded N4 00078066913 ML 1.25 $296.54",
        "Total charge $4,448.10",
        # acknowledged finding and by whom
        "WARNING 275 mg was given but 300 mg was ordered: document why (for example the infusion was stopped);",
        "(DOSE_BELOW_ORDER) Rachel Patel, RN 2026-03-04 13:31 EST",
        # signatures, printed-at, page numbers
        "ADMINISTERING NURSE Rachel Patel, RN signature",
        "WASTE WITNESS Tomás Reyes, PharmD signature",
        "Printed 2026-03-04 17:42 EST",
        "Page 1 of 1",
    ],
)
def test_field_is_printed(text: str, expected: str) -> None:
    assert expected in text


def test_no_status_marks_on_a_plain_ticket(text: str) -> None:
    for mark in ("VOID", "REPRINT", "REPLACEMENT", "replaces ticket"):
        assert mark not in text


def test_ndc_is_the_11_digit_claim_form(text: str) -> None:
    assert "0078-0669-13" not in text
    assert len(re.findall(r"\b00078066913\b", text)) == 3  # package row and both claim lines


def test_metadata_names_the_ticket(pdf: bytes) -> None:
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Charge ticket T-2026-000417"
    assert meta.author == "Riverside Infusion Center"


def test_fonts_are_embedded_truetype_only(pdf: bytes) -> None:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]))
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
    assert all("DejaVuSans" in name for name in names), names


def test_barcode_is_drawn(pdf: bytes) -> None:
    # Code128 bars are filled rectangles; the ticket's tables draw lines, not rectangles.
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    rectangles = re.findall(rb" re\b", content.get_data())
    assert len(rectangles) > 30
