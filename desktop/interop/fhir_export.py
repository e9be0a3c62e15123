"""FHIR R5 (5.0.0, fhir.resources 8) export: a collection Bundle of Patient and ChargeItem resources."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from fhir.resources.bundle import Bundle

from desktop.interop.export_model import ExportLine, ExportRecord, split_name

FHIR_VERSION = "5.0.0"  # R5, the version fhir.resources 8 implements
HCPCS_SYSTEM = "urn:oid:2.16.840.1.113883.6.285"  # HCPCS Level II
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"
ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
MRN_SYSTEM = "urn:infusion-charge:mrn"
LINE_ID_SYSTEM = "urn:infusion-charge:charge-line"
MODIFIER_URL = "urn:infusion-charge:fhir:extension:procedure-modifier"
NDC_QUANTITY_URL = "urn:infusion-charge:fhir:extension:ndc-quantity"
REVERSAL_URL = "urn:infusion-charge:fhir:extension:reversal-of-posted-charge"
_NAMESPACE = uuid.UUID("5b0f8f4e-8a55-4f43-9f1b-7a4a0b6f8c11")


def _urn(*parts: object) -> str:
    """A stable urn:uuid for a resource, so the same export gives the same Bundle."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(str(p) for p in parts))}"


def _patient(record: ExportRecord) -> dict[str, Any]:
    family, given = split_name(record.patient_name)
    name: dict[str, Any] = {"family": family}
    if given:
        name["given"] = given.split()
    return {
        "resourceType": "Patient",
        "identifier": [{"system": MRN_SYSTEM, "value": record.patient_mrn}],
        "name": [name],
        "birthDate": record.patient_birth_date.isoformat(),
    }


def _charge_item(record: ExportRecord, line: ExportLine, patient_ref: str) -> dict[str, Any]:
    system = CPT_SYSTEM if line.hcpcs[:1].isdigit() else HCPCS_SYSTEM
    extensions: list[dict[str, Any]] = [
        {"url": MODIFIER_URL, "valueCoding": {"system": HCPCS_SYSTEM, "code": modifier}} for modifier in line.modifiers
    ]
    item: dict[str, Any] = {
        "resourceType": "ChargeItem",
        "identifier": [{"system": LINE_ID_SYSTEM, "value": f"{record.administration_id}-{line.number}"}],
        # A reversal withdraws the charge sent before (same identifier): entered-in-error, with the reason.
        "status": "entered-in-error" if record.reversal else "billable",
        "code": {"coding": [{"system": system, "code": line.hcpcs}], "text": f"{line.hcpcs} {line.kind}"},
        "subject": {"reference": patient_ref},
        "occurrenceDateTime": record.date_of_service.isoformat(),
        "quantity": {"value": line.units, "unit": "billing unit"},
        "enteredDate": record.posting_time.isoformat(),
    }
    if record.diagnosis_codes:
        item["reason"] = [{"coding": [{"system": ICD10CM_SYSTEM, "code": code}]} for code in record.diagnosis_codes]
    if line.ndc11:
        item["product"] = [{"concept": {"coding": [{"system": NDC_SYSTEM, "code": line.ndc11}]}}]
        if line.ndc_quantity is not None:
            extensions.append({"url": NDC_QUANTITY_URL, "valueQuantity": {
                "value": line.ndc_quantity, "unit": line.ndc_unit or "UN", "code": line.ndc_unit or "UN"}})
    if record.reversal:
        extensions.append({"url": REVERSAL_URL, "valueBoolean": True})
        item["note"] = [{"text": f"Reversal: administration {record.administration_id} was voided"
                         + (f" ({record.void_reason})" if record.void_reason else "") + "."}]
    if extensions:
        item["extension"] = extensions
    return item


def build_bundle(records: Iterable[ExportRecord], generated_at: dt.datetime) -> Bundle:
    """The Bundle (type collection), validated by fhir.resources as it is built."""
    entries: list[dict[str, Any]] = []
    patients: dict[str, str] = {}
    for record in records:
        ref = patients.get(record.patient_mrn)
        if ref is None:
            ref = patients[record.patient_mrn] = _urn("patient", record.patient_mrn)
            entries.append({"fullUrl": ref, "resource": _patient(record)})
        for line in record.lines:
            kind = "reversal" if record.reversal else "charge"
            entries.append({"fullUrl": _urn(kind, record.administration_id, line.number),
                            "resource": _charge_item(record, line, ref)})
    return Bundle.model_validate({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": generated_at.isoformat(),
        "entry": entries,
    })


def to_fhir_json(records: Iterable[ExportRecord], generated_at: dt.datetime) -> str:
    """The Bundle as JSON text (2-space indent, keys in FHIR order)."""
    return build_bundle(records, generated_at).model_dump_json(indent=2, exclude_none=True) + "\n"
