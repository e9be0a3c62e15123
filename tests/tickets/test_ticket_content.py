"""The example tickets carry every field a biller keys from, and right, read back from the PDF bytes."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from desktop.tickets import Facility, Patient, render_ticket
from desktop.tickets.samples import j9302_ticket, three_drug_ticket
from desktop.tickets.text import _covered

Pages = Callable[[bytes], list[str]]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_ticket(j9302_ticket())


@pytest.fixture(scope="module")
def text(pdf: bytes, read_pages: Pages) -> str:
    pages = read_pages(pdf)
    assert len(pages) == 1, "the usual J9302 visit fits on one page"
    return pages[0]


@pytest.fixture(scope="module")
def visit_text(read_pages: Pages) -> str:
    pages = read_pages(render_ticket(three_drug_ticket()))
    assert len(pages) == 1, "a usual three-drug visit fits on one page"
    return pages[0]


@pytest.mark.parametrize(
    "expected",
    [
        # facility (the address on its own lines) and ticket
        "Riverside Infusion Center", "NPI 1234567893", "Tax ID 12-3456789", "340B ID DSH390123",
        "400 River Road, Suite 2 Harrisburg PA 17101", "TICKET NUMBER T-2026-000417",
        # patient, visit and its state
        "PATIENT Okafor, Adaeze M.", "MRN 0048213", "DATE OF BIRTH 1957-11-02", "DATE OF SERVICE 2026-03-04",
        "PAYER CLASS Medicare", "PLACE OF SERVICE Hospital outpatient", "RECORD STATE Verified", "DRUGS 1 billed",
        # documented facts, as labelled by the record's definition
        "PAYER Medicare Part B (Novitas JL)", "PRIOR AUTHORIZATION PA-88213-X", "DIAGNOSES C91.10, Z51.12",
        "ORDERING PROVIDER Dr. Maya Chen", "ORDERING NPI 1245319599", "ADMINISTERING NURSE Rachel Patel, RN",
        "CHAIR Chair 7", "CONSENT RECORDED yes",
        # the drug: heading with route and times, package row, amounts and who
        "Drug 1 J9302 ofatumumab (Arzerra) IV \u00b7 09:05\u201313:20 EST (255 min)",
        "100 mg/5 mL 00078066913 AZ4471B 2027-06-30 \u2014 3 100 mg 340B",
        "ORDERED 300 mg ADMINISTERED 275 mg DISCARDED 25 mg OPENED 300 mg",
        "WASTE WITNESS Tomás Reyes, PharmD DISCARDED BY Rachel Patel, RN",
        # claim lines: #, drug, HCPCS, modifiers, units, line, qualifier, NDC, unit, quantity, charge
        "1 1 J9302 TB 28 Given N4 00078066913 ML 13.75 $4,151.56",
        "2 1 J9302 JW TB 2 Discarded N4 00078066913 ML 1.25 $296.54",
        "3 visit 96413 \u2014 1 initial chemotherapy infusion, first hour \u2014",
        "4 visit 96415 \u2014 3 each additional hour of the infusion (255 min) \u2014",
        "Total charge of lines 1, 2; not counted, no facility price: lines 3, 4 (96413, 96415) $4,448.10",
        "Administration codes: revision 1 of this visit",
        # acknowledged finding, on which drug, by whom
        "WARNING 1 275 mg was given but 300 mg was ordered: document why (for example the infusion was stopped);",
        "(DOSE_BELOW_ORDER) Rachel Patel, RN 2026-03-04 13:31 EST",
        # signatures, printed-at, page numbers
        "ADMINISTERING NURSE Rachel Patel, RN signature", "WASTE WITNESS Tomás Reyes, PharmD signature",
        "Printed 2026-03-04 17:42 EST", "Page 1 of 1",
    ],
)
def test_field_is_printed(text: str, expected: str) -> None:
    assert expected in text


@pytest.mark.parametrize(
    "expected",
    [
        "DRUGS 3 billed", "RECORD STATE Recorded", "DIAGNOSES C43.9, Z51.12",
        "Drug 1 J1100 dexamethasone sodium phosphate IV push \u00b7 09:10\u201309:12 EST (2 min)",
        "Drug 2 J9299 nivolumab (Opdivo) IV \u00b7 09:30\u201310:00 EST (30 min)",
        "240 mg/24 mL 00003373413 NV2231A 2027-01-31 10045873312 1 240 mg Not 340B",  # with the vial's serial
        "Drug 3 J9228 ipilimumab (Yervoy) IV \u00b7 10:10\u201310:40 EST (30 min)",
        "WASTE WITNESS \u2014 DISCARDED BY \u2014",  # nothing discarded, nothing documented: dashes, not guesses
        "1 1 J1100 \u2014 12 Given N4 00000000000 ML 1.2 \u2014",
        "2 2 J9299 \u2014 240 Given N4 00003373413 ML 24 $6,818.40",
        "3 3 J9228 \u2014 70 Given N4 00003232711 ML 14 $11,131.40",
        "4 3 J9228 JW 30 Discarded N4 00003232711 ML 6 $4,770.60",
        "5 visit 96413 \u2014 1 initial service: nivolumab, chemotherapy infusion 30 min $412.00",
        "6 visit 96417 \u2014 1 second chemotherapy drug, given after nivolumab: sequential infusion $198.00",
        "7 visit 96375 \u2014 1 dexamethasone IV push, sequential to the chemotherapy initial service \u2014",
        "Total charge of lines 2\u20136; not counted, no facility price: lines 1, 7 (J1100, 96375) $23,330.40",
        "revision 3 of this visit (computed 2026-03-04 10:44 EST: ipilimumab added)",
    ],
)
def test_three_drug_visit_field_is_printed(visit_text: str, expected: str) -> None:
    assert expected in visit_text


def test_no_status_marks_on_a_plain_ticket(text: str) -> None:
    for mark in ("VOID", "REPRINT", "REPLACEMENT", "replaces ticket"):
        assert mark not in text


def test_ndc_is_the_11_digit_claim_form(text: str) -> None:
    assert "0078-0669-13" not in text
    assert len(re.findall(r"\b00078066913\b", text)) == 3  # package row and both claim lines


def test_no_missing_glyph_is_drawn(read_pages: Pages) -> None:
    """Every character printed is one the embedded font draws: an address typed on several lines, a tab and a
    character outside the font never become the font's empty box."""
    odd = dataclasses.replace(
        three_drug_ticket(),
        facility=Facility("Riverside\tInfusion", address="400 River Road\r\nSuite 2\n\nHarrisburg PA 17101"),
        patient=Patient("Li \u674e, Wei", "0048213", three_drug_ticket().patient.date_of_birth),
    )
    text = " ".join(read_pages(render_ticket(odd)))
    assert "400 River Road Suite 2 Harrisburg PA 17101" in text and "Riverside Infusion" in text
    assert "PATIENT Li \ufffd, Wei" in text
    covered = _covered()
    assert {c for c in text if not c.isspace() and ord(c) not in covered} == set()


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
    # Code128 bars are filled rectangles; the ticket's tables draw lines, and a few shaded header cells.
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    rectangles = re.findall(rb" re\b", content.get_data())
    assert len(rectangles) > 30
