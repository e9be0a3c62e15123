"""Exports read back by independent code: csv, hl7apy (parse + strict validation), fhir.resources (R5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from fhir.resources.bundle import Bundle
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from desktop.services import Store, void_administration
from desktop.services.errors import ServiceError
from desktop.services.exports import ExportFormat, ExportScope, export_charges, load_export_records
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.services.conftest import DOS

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def charges(store: Store) -> dict[str, int]:
    """A posted J9302, a posted J9302 voided afterwards (a reversal), a posted 340B J9302, an unposted one."""
    plain = record(store, j9302_request())
    to_posted(store, plain.id, plain.version)
    voided = record(store, j9302_request(mrn="MRN303", name="Bo Void"))
    step = to_posted(store, voided.id, voided.version)
    void_administration(store, voided.id, "wrong patient", "biller", step.version)
    b340 = record(store, j9302_request(mrn="MRN340", name="Cy Three-Forty", acquired_340b=True))
    to_posted(store, b340.id, b340.version)
    pending = record(store, j9302_request(mrn="MRN999", name="Di Pending"))
    return {"plain": plain.id, "voided": voided.id, "b340": b340.id, "pending": pending.id}


def _export(store: Store, fmt: ExportFormat, scope: ExportScope = ExportScope.POSTED) -> str:
    text, _count = export_charges(store, fmt, DOS, DOS, scope, now=NOW, user="biller")
    return text


def test_csv_one_row_per_line_with_loop_2410(store: Store, charges: dict[str, int]) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, ExportFormat.CSV), newline="")))
    assert {int(r["administration_id"]) for r in rows} == {charges["plain"], charges["voided"], charges["b340"]}
    plain = [r for r in rows if int(r["administration_id"]) == charges["plain"]]
    assert [(r["hcpcs"], r["units"], r["modifier_1"], r["modifier_2"]) for r in plain] == [
        ("J9302", "28", "", ""), ("J9302", "2", "JW", ""), ("96413", "1", "", "")]
    given = plain[0]
    assert (given["lin02_ndc_qualifier"], given["lin03_ndc11"], given["ctp05_ndc_unit"]) == ("N4", "00078066913", "ML")
    assert Decimal(given["ctp04_ndc_quantity"]) == Decimal("13.75")
    assert given["box24a_ndc"] == "N400078066913ML13.75"
    assert plain[2]["lin03_ndc11"] == "" and plain[2]["box24a_ndc"] == ""
    assert {r["record_type"] for r in plain} == {"charge"} and given["transaction_type"] == "CG"


def test_csv_voided_is_a_reversal_and_340b_carries_tb(store: Store, charges: dict[str, int]) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, ExportFormat.CSV), newline="")))
    voided = [r for r in rows if int(r["administration_id"]) == charges["voided"]]
    assert [(r["record_type"], r["transaction_type"], r["units"]) for r in voided] == [
        ("reversal", "CD", "-28"), ("reversal", "CD", "-2"), ("reversal", "CD", "-1")]
    assert voided[0]["ctp04_ndc_quantity"] == "-13.75" and voided[0]["void_reason"] == "wrong patient"
    b340 = [r for r in rows if int(r["administration_id"]) == charges["b340"]]
    assert [(r["modifier_1"], r["modifier_2"], r["acquired_340b"]) for r in b340[:2]] == [
        ("TB", "", "yes"), ("JW", "TB", "yes")]


def test_scope_all_includes_unposted_and_never_drops_a_void(store: Store, charges: dict[str, int]) -> None:
    records = load_export_records(store, DOS, DOS, ExportScope.ALL)
    assert {r.administration_id for r in records} == set(charges.values())
    assert [r.reversal for r in records if r.administration_id == charges["voided"]] == [True]


def _messages(text: str) -> list[str]:
    return [m for m in text.split("\n") if m.strip()]


def test_hl7_dft_p03_parses_and_validates(store: Store, charges: dict[str, int]) -> None:
    messages = [parse_message(m, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
                for m in _messages(_export(store, ExportFormat.HL7))]
    assert len(messages) == 3
    for message in messages:
        assert message.validate() is True
        assert message.msh.msh_9.to_er7() == "DFT^P03^DFT_P03" and message.msh.msh_12.to_er7() == "2.5.1"
    by_id = {int(m.msh.msh_10.to_er7()[3:].rstrip("R")): m for m in messages}
    plain = by_id[charges["plain"]]
    ft1s = [g.ft1 for g in plain.children.get("DFT_P03_FINANCIAL")]
    assert [f.ft1_6.to_er7() for f in ft1s] == ["CG", "CG", "CG"]
    assert [f.ft1_10.to_er7() for f in ft1s] == ["28", "2", "1"]
    assert ft1s[0].ft1_4.to_er7() == "20261129" and ft1s[0].ft1_7.to_er7() == "J9302^^HCPCS"
    assert ft1s[0].ft1_25.to_er7() == "J9302^^HCPCS" and ft1s[0].ft1_29.to_er7() == "00078066913^^NDC"
    assert [r.to_er7() for r in ft1s[1].children.get("FT1_26")] == ["JW"]
    assert ft1s[2].ft1_7.to_er7() == "96413^^C4"
    assert plain.pid.pid_3.to_er7().startswith("MRN302^") and plain.pid.pid_5.to_er7() == "Ofa^Ann"


def test_hl7_reversal_is_cd_with_negative_quantity(store: Store, charges: dict[str, int]) -> None:
    text = _export(store, ExportFormat.HL7)
    voided = next(m for m in _messages(text) if f"|ICC{charges['voided']}R|" in m)
    message = parse_message(voided, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    ft1s = [g.ft1 for g in message.children.get("DFT_P03_FINANCIAL")]
    assert [(f.ft1_6.to_er7(), f.ft1_10.to_er7()) for f in ft1s] == [("CD", "-28"), ("CD", "-2"), ("CD", "-1")]
    b340 = next(m for m in _messages(text) if f"|ICC{charges['b340']}|" in m)
    parsed = parse_message(b340, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    jw = [g.ft1 for g in parsed.children.get("DFT_P03_FINANCIAL")][1]
    assert [r.to_er7() for r in jw.children.get("FT1_26")] == ["JW", "TB"]


def test_fhir_bundle_parses_with_the_r5_models(store: Store, charges: dict[str, int]) -> None:
    bundle = Bundle.model_validate_json(_export(store, ExportFormat.FHIR))
    items = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "ChargeItem"]
    patients = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Patient"]
    assert len(patients) == 3 and len(items) == 9
    by_line = {i.identifier[0].value: i for i in items}
    given = by_line[f"{charges['plain']}-1"]
    assert given.status == "billable" and given.code.coding[0].code == "J9302" and given.quantity.value == 28
    assert given.product[0].concept.coding[0].code == "00078066913"
    assert str(given.occurrenceDateTime) == "2026-11-29"
    ndc_qty = next(x for x in given.extension if x.url.endswith("ndc-quantity")).valueQuantity
    assert Decimal(str(ndc_qty.value)) == Decimal("13.75") and ndc_qty.unit == "ML"
    reversal = by_line[f"{charges['voided']}-1"]
    assert reversal.status == "entered-in-error" and "wrong patient" in reversal.note[0].text
    jw_340b = by_line[f"{charges['b340']}-2"]
    assert [x.valueCoding.code for x in jw_340b.extension if x.url.endswith("procedure-modifier")] == ["JW", "TB"]


def test_a_backwards_period_is_refused_in_words(store: Store) -> None:
    with pytest.raises(ServiceError, match="before the start date"):
        load_export_records(store, DOS, DOS - dt.timedelta(days=1))
