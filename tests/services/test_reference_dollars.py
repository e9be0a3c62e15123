"""Dollars from the ASP payment limits (issue 14), checked against totals worked out by hand: the waste report (JW
billed and missed, by drug and month, on screen and in the PDF), the 340B report, the ticket's expected allowance.
The payment limits are made up: J9302 $63.456 and J9299 $28.541 per unit from 2026-10-01; J9302 $65.000 and
J9299 $29.100 from 2027-01-01."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader

from desktop.billing.model import PayerClass
from desktop.services import Store, record_administration, void_administration
from desktop.services.charge_reports.reports import report_document, report_pdf, units_340b, waste
from desktop.services.charge_tickets.tickets import visit_ticket_pdf
from desktop.services.facility.reference import apply_import, preview_import
from tests.interop.cms_samples import price_bytes
from tests.services.charge_samples import j9302_request, ofatumumab, record
from tests.services.conftest import make_request, nivolumab

NOV_10, NOV_12, NOV_20, NOV_25, JAN_15 = (dt.date(2026, 11, 10), dt.date(2026, 11, 12), dt.date(2026, 11, 20),
                                          dt.date(2026, 11, 25), dt.date(2027, 1, 15))
PERIOD = (dt.date(2026, 11, 1), dt.date(2027, 1, 31))


def price(store: Store, limits: list[tuple[str, str, str]], effective: dt.date) -> None:
    preview = preview_import(store, price_bytes(limits, effective), f"{effective:%B %Y} ASP Pricing File.csv")
    assert apply_import(store, preview, "admin").applied


@pytest.fixture
def priced(store: Store) -> dict[str, int]:
    return priced_charges(store)


def priced_charges(store: Store) -> dict[str, int]:
    """Two pricing files and six charges (the comments give what each adds); the visits of A and F by name."""
    price(store, [("J9302", "10 MG", "63.456"), ("J9299", "1 MG", "28.541")], dt.date(2026, 10, 1))
    price(store, [("J9302", "10 MG", "65.000"), ("J9299", "1 MG", "29.100")], dt.date(2027, 1, 1))
    visits: dict[str, int] = {}
    # A: J9302, 28 units + JW 2 at $63.456: $1,776.77 and $126.91
    visits["a"] = record(store, j9302_request(mrn="A1", day=NOV_10)).visit_id
    # B: nivolumab 219 mg from a 240 mg vial: 219 units ($6,250.48) + JW 21 ($599.36)
    record(store, make_request(mrn="B1", acknowledge_all=True,
                               administration=nivolumab("219", "21", ("0003-3734-13",), date_of_service=NOV_20)))
    # C: held, 1 mg not accounted for from 220 mg: 1 JW unit missed ($28.54)
    record_administration(store, make_request(mrn="C1", hold_reason="vial count query", administration=nivolumab(
        "219", "0", date_of_service=NOV_25)), "rn")
    # D: J9302 in January at $65.000: 28 units ($1,820.00) + JW 2 ($130.00)
    record(store, j9302_request(mrn="D1", day=JAN_15))
    # E: voided: left out
    voided = record(store, j9302_request(mrn="E1", day=NOV_12))
    void_administration(store, voided.id, "wrong patient", "biller", voided.version)
    # F: commercial J9302: in the waste report at the same limit; no Medicare allowance on its ticket
    visits["f"] = record(store, j9302_request(mrn="F1", day=NOV_10, administration=replace(
        ofatumumab(NOV_10), payer_class=PayerClass.COMMERCIAL))).visit_id
    return visits


def test_waste_in_dollars_by_drug_and_month(store: Store, priced: dict[str, int]) -> None:
    report = waste(store, *PERIOD)
    got = [(r.hcpcs, r.month, r.administrations, r.discarded_mg, r.jw_units_billed, r.jw_dollars, r.missed_jw_units,
            r.missed_jw_dollars) for r in report.rows]
    assert got == [
        ("J9299", "2026-11", 2, Decimal(21), 21, Decimal("599.36"), 1, Decimal("28.54")),
        ("J9302", "2026-11", 2, Decimal(50), 4, Decimal("253.82"), 0, Decimal(0)),
        ("J9302", "2027-01", 1, Decimal(25), 2, Decimal("130.00"), 0, Decimal(0)),
    ]
    assert report.total_jw_dollars() == Decimal("983.18") and report.total_missed_dollars() == Decimal("28.54")
    assert report.priced_with == "CMS ASP pricing file 2026 Q4, 2027 Q1" and report.unpriced_codes == ()


def test_waste_pdf_and_screen_document_carry_the_dollars(store: Store, priced: dict[str, int],
                                                         artifacts_dir: object) -> None:
    document = report_document(store, "waste", *PERIOD, user="biller")
    facts = dict(document.facts)
    assert facts["JW billed"] == "$983.18" and facts["Missed JW"] == "$28.54" and facts["Missed JW units"] == "1"
    [chart] = document.charts
    assert chart.title.startswith("Waste value per month") and chart.categories == ("2026-11", "2027-01")
    assert [(s.name, s.values) for s in chart.series] == [
        ("nivolumab (J9299)", (Decimal("627.90"), Decimal(0))),
        ("ofatumumab (J9302)", (Decimal("253.82"), Decimal("130.00"))),
    ]
    pdf = report_pdf(document)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("$983.18", "$28.54", "$599.36", "$253.82", "$130.00", "Waste value per month",
                  "CMS ASP pricing file 2026 Q4, 2027 Q1"):
        assert words in text, words
    if store.is_sqlite:
        (artifacts_dir / "report_waste_dollars.pdf").write_bytes(pdf)  # type: ignore[operator]


def test_340b_report_in_units_and_dollars(store: Store, priced: dict[str, int]) -> None:
    report = units_340b(store, *PERIOD)
    got = [(r.payer_class, r.modifier, r.acquired_340b, r.lines, r.units, r.jw_units, r.dollars, r.jw_dollars)
           for r in report.rows]
    assert got == [
        ("commercial", "none", False, 2, 30, 2, Decimal("1903.68"), Decimal("126.91")),
        ("medicare", "none", False, 6, 300, 25, Decimal("10703.52"), Decimal("856.27")),
    ]
    document = report_document(store, "340b", *PERIOD, user="biller")
    assert dict(document.facts)["Dollars with JG"] == "$0.00"
    pdf = report_pdf(document)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "$10,703.52" in text and "$856.27" in text and "$1,903.68" in text


def test_without_a_pricing_file_the_reports_stay_in_units(store: Store) -> None:
    record(store, j9302_request(mrn="A1", day=NOV_10))
    document = report_document(store, "waste", *PERIOD, user="biller")
    assert "JW billed $" not in document.tables[0].columns and "No ASP pricing file" in document.tables[0].note
    assert document.charts[0].title == "Discarded mg per month, by drug"


def test_the_ticket_shows_the_expected_medicare_allowance(store: Store, priced: dict[str, int]) -> None:
    medicare = visit_ticket_pdf(store, priced["a"]).pdf
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(medicare)).pages)
    assert "Expected allowance" in text and "$1,776.77" in text and "$126.91" in text and "$1,903.68" in text
    commercial = visit_ticket_pdf(store, priced["f"]).pdf
    words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(commercial)).pages)
    assert "Expected allowance" not in words
