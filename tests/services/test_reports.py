"""Reports on known data, checked against totals worked out by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader

from desktop.billing.model import PayerClass
from desktop.services import (
    Store,
    hold_administration,
    record_administration,
    verify_administration,
    void_and_replace,
)
from desktop.services.charge_reports.reports import reconciliation, report_document, report_pdf, units_340b, waste
from desktop.services.errors import ServiceError
from tests.services.charge_samples import j9302_request, ofatumumab, record, to_posted
from tests.services.conftest import DOS, make_request, unaccounted_request

OCT = dt.date(2026, 10, 15)


@pytest.fixture
def known(store: Store) -> dict[str, int]:
    """Eight administrations; the comments give what each one adds to the reports."""
    ids: dict[str, int] = {}
    one = record(store, j9302_request())  # Nov, posted: 25 mg, JW 2
    to_posted(store, one.id, one.version)
    b340 = record(store, j9302_request(mrn="M340", name="Cy Tb", acquired_340b=True))  # Nov, posted, TB
    to_posted(store, b340.id, b340.version)
    october = record(store, j9302_request(mrn="M10", name="Oc Tober", day=OCT))  # Oct, recorded: 25 mg, JW 2
    held = record_administration(store, unaccounted_request(mrn="M4", hold_reason="vial count query"), "rn")
    niv = record_administration(store, make_request(mrn="M5"), "rn")  # Nov J9299: 1 mg discarded, held
    step = verify_administration(store, niv.id, "biller", niv.version)
    hold_administration(store, niv.id, "payer query", "biller", step.version)
    wrong = record(store, j9302_request(mrn="M6", name="Wy Wrong"))
    step = to_posted(store, wrong.id, wrong.version)
    fixed = void_and_replace(store, wrong.id, "wrong dose documented", j9302_request(mrn="M6", name="Wy Wrong"),
                             "biller", step.version)
    commercial = record(store, j9302_request(mrn="M8", name="Co Mercial", administration=replace(
        ofatumumab(acquired_340b=True), payer_class=PayerClass.COMMERCIAL)))
    to_posted(store, commercial.id, commercial.version)
    ids.update(one=one.id, b340=b340.id, october=october.id, held=held.id, niv=niv.id, wrong=wrong.id,
               fixed=fixed.id, commercial=commercial.id)
    return ids


def test_reconciliation_of_the_day(store: Store, known: dict[str, int]) -> None:
    report = reconciliation(store, DOS)
    assert report.administrations == 7 and report.posted == 3  # October's record is another day
    assert [i.id for i in report.without_accepted_charge] == [known["held"], known["niv"]]
    assert report.without_accepted_charge[0].why == "held: vial count query"
    assert [i.id for i in report.not_posted] == [known["fixed"]]
    assert [i.id for i in report.tickets_not_printed] == [known["fixed"]]
    assert [(h.reason, h.count, h.ids) for h in report.held_by_reason] == [
        ("payer query", 1, (known["niv"],)), ("vial count query", 1, (known["held"],))]
    assert [(v.id, v.why) for v in report.voids] == [
        (known["wrong"], f"wrong dose documented; replaced by #{known['fixed']}")]


def test_waste_by_drug_and_month(store: Store, known: dict[str, int]) -> None:
    report = waste(store, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    got = [(r.hcpcs, r.month, r.administrations, r.discarded_mg, r.discarded_units, r.jw_units_billed)
           for r in report.rows]
    assert got == [
        ("J9299", "2026-11", 2, Decimal("1"), Decimal("1.00"), 0),  # both nivolumab records are held
        ("J9302", "2026-10", 1, Decimal("25"), Decimal("2.50"), 2),
        ("J9302", "2026-11", 4, Decimal("100"), Decimal("10.00"), 8),  # the voided record is left out
    ]
    assert report.total_mg() == Decimal("126") and report.total_jw_units() == 10
    assert report.rows[1].drug == "ofatumumab"


def test_340b_units_by_modifier_and_payer_class(store: Store, known: dict[str, int]) -> None:
    report = units_340b(store, DOS, DOS)
    got = [(r.payer_class, r.modifier, r.acquired_340b, r.lines, r.units, r.jw_units) for r in report.rows]
    assert got == [
        ("commercial", "none", True, 2, 30, 2),  # commercial does not use 340B modifiers
        ("medicare", "TB", True, 2, 30, 2),
        ("medicare", "none", False, 4, 60, 4),  # the first record and the replacement; held/voided left out
    ]
    assert report.units_with("TB") == 30 and report.units_with("JG") == 0


@pytest.mark.parametrize("kind", ["reconciliation", "waste", "340b"])
def test_report_pdfs_read_back(store: Store, known: dict[str, int], kind: str, artifacts_dir: object) -> None:
    document = report_document(store, kind, dt.date(2026, 10, 1), DOS, user="biller")
    pdf = report_pdf(document)
    assert pdf == report_pdf(document)  # invariant: same data, same bytes
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert document.title in text and "page 1 of" in text
    if kind == "waste":
        assert "ofatumumab (J9302)" in text and "126" in text
    if kind == "340b":
        assert "TB" in text and "Commercial" in text
    if kind == "reconciliation":
        assert "vial count query" in text and "wrong dose documented" in text
    if store.is_sqlite:
        (artifacts_dir / f"report_{kind}.pdf").write_bytes(pdf)  # type: ignore[operator]


def test_reports_refuse_a_backwards_period(store: Store) -> None:
    with pytest.raises(ServiceError, match="before the start date"):
        waste(store, DOS, DOS - dt.timedelta(days=1))
    with pytest.raises(ServiceError, match="no report called"):
        report_document(store, "profit", DOS, DOS, user="biller")
