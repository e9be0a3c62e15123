"""Exports from a real store, read back as receivers would (csv, hl7apy strict, fhir.resources): only posted
charges and reversals of charges sent are billing transactions, each sent once, reversals linked."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from fhir.resources.bundle import Bundle

from desktop.records import DrugEntry, DrugFacts
from desktop.services import (
    Store,
    hold_administration,
    record_administration,
    verify_administration,
    void_administration,
)
from desktop.services.billing_exports.exports import (
    ExportFormat,
    ExportScope,
    export_dates,
    export_runs,
    export_since_last,
)
from desktop.services.errors import ServiceError
from desktop.services.facility.settings import ChargeCode, FacilityIdentifier, FacilitySettings, save_facility_settings
from desktop.services.visits.recording import void_and_replace
from tests.interop.spec import hl7_value, read_hl7
from tests.services.charge_samples import j9302_request, ofatumumab, record, to_posted
from tests.services.conftest import DOS

CSV, HL7, FHIR = ExportFormat.CSV, ExportFormat.HL7, ExportFormat.FHIR


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def ft1s(text: str) -> list[tuple[str, str, str, str]]:
    """(FT1-2 transaction id, FT1-6 type, FT1-25 code, ZFT-2 reversed id) of every transaction, in file order."""
    found = []
    for message in read_hl7(text).raw:
        zfts = [z.split("|") for z in message if z.startswith("ZFT")]
        for ft1, zft in zip([s.split("|") for s in message if s.startswith("FT1")], zfts, strict=True):
            found.append((ft1[2], ft1[6], ft1[25].split("^")[0], zft[2] if len(zft) > 2 else ""))
    return found


def test_post_void_replace_and_post_again_exported_incrementally(store: Store) -> None:
    """charge, then its linked reversal with the replacement's charge, then nothing: nothing is sent twice."""
    first = record(store, j9302_request())
    posted = to_posted(store, first.id, first.version)
    run1 = export_since_last(store, HL7, user="biller")
    charges = ft1s(run1.text)
    assert [(t, c) for _, t, c, _ in charges] == [("CG", "J9302"), ("CG", "J9302"), ("CG", "96413")]

    fixed = replace(j9302_request(), drugs=(DrugEntry(ofatumumab(administered_mg=Decimal("265"),
                                                                 discarded_mg=Decimal("35")),
                                                      DrugFacts(waste_witness="RN Brooks")),))
    replacement = void_and_replace(store, first.id, "275 mg was 265 mg", fixed, "biller", posted.version)
    run2 = export_since_last(store, HL7, user="biller")
    assert ft1s(run2.text) == [(str(int(charges[0][0]) + 3 + i), "CD", code, charges[i][0])
                               for i, code in enumerate(("J9302", "J9302", "96413"))]
    message = read_hl7(run2.text)
    assert hl7_value(message, "FT1-10", 0) == "28" and "275 mg was 265 mg" in hl7_value(message, "NTE-3", 0)

    to_posted(store, replacement.id, replacement.version)
    run3 = export_since_last(store, HL7, user="biller")
    assert [(t, c) for _, t, c, _ in ft1s(run3.text)] == [("CG", "J9302"), ("CG", "J9302"), ("CG", "96413")]
    assert read_hl7(run3.text).messages[0].pid.pid_18.to_er7().startswith(f"{first.visit_id}^")

    run4 = export_since_last(store, HL7, user="biller")
    assert run4.run.transaction_count == 0 and ft1s(run4.text) == []
    sent = [t for run in (run1, run2, run3) for t, *_ in ft1s(run.text)]
    assert len(sent) == len(set(sent)) == 9


def test_control_ids_are_unique_across_runs(store: Store) -> None:
    for mrn in ("M1", "M2"):
        outcome = record(store, j9302_request(mrn=mrn, name=f"Pat {mrn}"))
        to_posted(store, outcome.id, outcome.version)
    files = [export_since_last(store, HL7, user="biller").text,
             export_dates(store, HL7, DOS, DOS, ExportScope.ALL, user="biller").text]
    third = record(store, j9302_request(mrn="M3", name="Pat Three"))
    to_posted(store, third.id, third.version)
    files.append(export_since_last(store, HL7, user="biller").text)
    control_ids = []
    for text in files:
        read = read_hl7(text)
        control_ids += [read.headers["FHS"][11], read.headers["BHS"][11]]
        control_ids += [m.msh.msh_10.to_er7() for m in read.messages]
    assert len(control_ids) == 2 * 3 + 2 + 2 + 1 and len(set(control_ids)) == len(control_ids)


def test_only_posted_charges_are_billing_and_everything_else_a_marked_preview(store: Store) -> None:
    posted = record(store, j9302_request(mrn="P1", name="Pat Posted"))
    to_posted(store, posted.id, posted.version)
    record(store, j9302_request(mrn="P2", name="Pat Recorded"))
    verified = record(store, j9302_request(mrn="P3", name="Pat Verified"))
    verify_administration(store, verified.id, "biller", verified.version)
    held = record(store, j9302_request(mrn="P4", name="Pat Held"))
    hold_administration(store, held.id, "checking the dose", "biller", held.version)
    voided_unposted = record(store, j9302_request(mrn="P5", name="Pat Voided"))
    void_administration(store, voided_unposted.id, "entered twice", "biller", voided_unposted.version)

    billing = rows(export_since_last(store, CSV, user="biller").text)
    assert {r["patient_mrn"] for r in billing} == {"P1"}, "no credit for a charge never sent, no unposted charge"
    assert {r["purpose"] for r in billing} == {"billing"} and {r["record_type"] for r in billing} == {"charge"}

    preview = export_dates(store, CSV, DOS, DOS, ExportScope.ALL, user="biller")
    shown = rows(preview.text)
    assert {r["patient_mrn"] for r in shown} == {"P1", "P2", "P3", "P4"}
    assert {(r["purpose"], r["record_type"], r["transaction_type"], r["transaction_id"]) for r in shown} == {
        ("preview", "preview", "", "")}
    hl7 = read_hl7(export_dates(store, HL7, DOS, DOS, ExportScope.ALL, user="biller").text)
    assert {m.msh.msh_11.to_er7() for m in hl7.messages} == {"T"} and "PREVIEW" in hl7.headers["FHS"][10]
    bundle = Bundle.model_validate_json(export_dates(store, FHIR, DOS, DOS, ExportScope.ALL, user="biller").text)
    items = [e for e in bundle.entry if e.resource.get_resource_type() == "ChargeItem"]
    assert bundle.type == "collection" and {e.resource.status for e in items} == {"planned"}
    assert all(e.request is None for e in bundle.entry)
    again = rows(export_since_last(store, CSV, user="biller").text)
    assert again == [], "previews are never recorded as sent"


def test_a_charge_posted_late_goes_out_in_the_next_incremental_run(store: Store) -> None:
    early = record(store, j9302_request(mrn="E1", name="Pat Early"))
    to_posted(store, early.id, early.version)
    late = record(store, j9302_request(mrn="L1", name="Pat Late"))
    assert {r["patient_mrn"] for r in rows(export_since_last(store, CSV, user="biller").text)} == {"E1"}
    to_posted(store, late.id, late.version)
    later_day = DOS.replace(day=30)
    assert rows(export_dates(store, CSV, later_day, later_day, user="biller").text) == []
    assert {r["patient_mrn"] for r in rows(export_since_last(store, CSV, user="biller").text)} == {"L1"}


def test_a_dated_run_and_an_incremental_run_never_send_the_same_charge(store: Store) -> None:
    outcome = record(store, j9302_request())
    to_posted(store, outcome.id, outcome.version)
    dated = rows(export_dates(store, CSV, DOS, DOS, user="biller").text)
    assert len(dated) == 3 and rows(export_since_last(store, CSV, user="biller").text) == []
    assert rows(export_dates(store, CSV, DOS, DOS, user="biller").text) == []


def test_each_format_keeps_its_own_ledger(store: Store) -> None:
    outcome = record(store, j9302_request())
    to_posted(store, outcome.id, outcome.version)
    counts = [export_since_last(store, fmt, user="biller").run.transaction_count for fmt in (CSV, HL7, FHIR, CSV)]
    assert counts == [3, 3, 3, 0]


def test_a_run_is_recorded_with_who_when_count_and_the_files_hash(store: Store) -> None:
    outcome = record(store, j9302_request())
    to_posted(store, outcome.id, outcome.version)
    result = export_since_last(store, FHIR, user="biller")
    assert result.run.sha256 == hashlib.sha256(result.text.encode("utf-8")).hexdigest()
    listed = export_runs(store, FHIR, user="biller")[0]
    assert (listed.id, listed.created_by, listed.transaction_count, listed.visit_count, listed.sha256,
            listed.purpose) == (result.run.id, "biller", 3, 1, result.run.sha256, "billing")


def test_fhir_reversal_updates_the_same_charge_item(store: Store) -> None:
    outcome = record(store, j9302_request())
    step = to_posted(store, outcome.id, outcome.version)
    first = json.loads(export_since_last(store, FHIR, user="biller").text)
    void_administration(store, outcome.id, "wrong patient", "biller", step.version)
    second_text = export_since_last(store, FHIR, user="biller").text
    Bundle.model_validate_json(second_text)
    second = json.loads(second_text)
    urls = [e["request"]["url"] for e in first["entry"] if e["resource"]["resourceType"] == "ChargeItem"]
    reversals = [e for e in second["entry"] if e["resource"]["resourceType"] == "ChargeItem"]
    assert [e["request"]["url"] for e in reversals] == urls  # the same resources, updated
    assert {e["resource"]["status"] for e in reversals} == {"entered-in-error"}
    assert {e["fullUrl"] for e in reversals} == {e["fullUrl"] for e in first["entry"]
                                                 if e["resource"]["resourceType"] == "ChargeItem"}
    assert second["type"] == "transaction"


def test_the_settings_name_sender_receiver_and_charge_codes(store: Store) -> None:
    save_facility_settings(store, FacilitySettings(
        facility_name="Riverside Infusion Center", identifiers=(FacilityIdentifier("NPI", "1234567893"),
                                                                FacilityIdentifier("TIN", "12-3456789")),
        hl7_facility="RIVERSIDE", receiving_application="HB_BILLING", receiving_facility="HOSP",
        mrn_authority="RIV_MRN", rendering_provider="Maya Chen", rendering_provider_npi="1245319599",
        charge_codes=(ChargeCode("J9302", "25093020"),)), "admin")
    outcome = record(store, j9302_request())
    to_posted(store, outcome.id, outcome.version)
    result = export_since_last(store, HL7, user="biller")
    read = read_hl7(result.text)
    assert hl7_value(read, "MSH-4", 0) == "RIVERSIDE^1234567893^L"
    assert (hl7_value(read, "MSH-5", 0), hl7_value(read, "MSH-6", 0)) == ("HB_BILLING", "HOSP")
    assert hl7_value(read, "PID-3", 0) == "MRN302^^^RIV_MRN&1234567893&L^MR"
    assert hl7_value(read, "FT1-7", 0) == "25093020^J9302 drug administered^L"
    assert hl7_value(read, "PV1-7", 0).startswith("1245319599^Chen^Maya")
    assert not any("NPI" in w for w in result.warnings)
    csv_row = rows(export_since_last(store, CSV, user="biller").text)[2]
    assert (csv_row["charge_code"], csv_row["hcpcs"], csv_row["billing_tin"]) == ("96413", "96413", "123456789")


def test_a_backwards_period_is_refused_in_words(store: Store) -> None:
    with pytest.raises(ServiceError, match="before the start date"):
        export_dates(store, CSV, DOS, DOS.replace(day=28), user="biller")


def test_sex_recorded_with_the_patient_goes_out(store: Store) -> None:
    request = j9302_request()
    outcome = record_administration(store, replace(request, patient=replace(request.patient, sex="F")), "rn")
    to_posted(store, outcome.id, outcome.version)
    read = read_hl7(export_since_last(store, HL7, user="biller").text)
    assert hl7_value(read, "PID-8", 0) == "F"
    with pytest.raises(ServiceError, match="table 0001"):
        record_administration(store, replace(request, patient=replace(request.patient, sex="X")), "rn")
