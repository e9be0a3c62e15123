"""FHIR R5 export: a transaction Bundle (a collection for a preview) of Patient, Account, Encounter, ChargeItem.

One Encounter and one Account per visit; each ChargeItem references them. A charge is a conditional update
(PUT ChargeItem?identifier=<charge>) with status billable; its reversal updates the same resource (same
identifier) to entered-in-error, with the reversal's own transaction id in an extension. A preview is a
collection Bundle whose ChargeItems are planned. The JSON is built directly (no model objects: issue 16); the
tests validate every Bundle with fhir.resources. Extensions: resources/fhir/StructureDefinition-*.json.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from desktop.interop import claim_codes as cc
from desktop.interop.export_model import (
    ExportLine,
    Provider,
    Purpose,
    RunHeader,
    Transaction,
    TransactionKind,
    VisitExport,
    split_name,
)

FHIR_VERSION = "5.0.0"  # R5, the version fhir.resources 8 implements
CANONICAL = "https://infusioncharge.org/fhir"  # ours: the application id is org.infusioncharge.capture
EXTENSION = CANONICAL + "/StructureDefinition/"
MODIFIER_URL = EXTENSION + "procedure-modifier"
NDC_BILLING_URL = EXTENSION + "ndc-billing"
REVENUE_CODE_URL = EXTENSION + "revenue-code"
PLACE_OF_SERVICE_URL = EXTENSION + "place-of-service"
REVERSAL_URL = EXTENSION + "reversal"
VISIT_LINE_URL = EXTENSION + "visit-line-number"
EXTENSIONS = ("procedure-modifier", "ndc-billing", "revenue-code", "place-of-service", "reversal",
              "visit-line-number")
_NAMESPACE = uuid.UUID("5b0f8f4e-8a55-4f43-9f1b-7a4a0b6f8c11")
STATUS = {TransactionKind.CHARGE: "billable", TransactionKind.REVERSAL: "entered-in-error",
          TransactionKind.PREVIEW: "planned"}
GENDER = {"F": "female", "M": "male", "O": "other", "U": "unknown"}


def identifier_system(header: RunHeader, kind: str) -> str:
    """Our identifier systems, one per facility (its NPI), so two centers never collide at one receiver."""
    return f"{CANONICAL}/sid/{header.sender.npi or header.sender.hl7_facility or 'facility'}/{kind}"


def _urn(*parts: object) -> str:
    """A stable urn:uuid (the UUID version 5 of the parts), so the same visit gives the same fullUrl in every
    run; computed from the SHA-1 directly, which is what uuid.uuid5 does without its object per call."""
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + "/".join(str(p) for p in parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    x = digest.hex()
    return f"urn:uuid:{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _numbered_urn(kind: int, number: int) -> str:
    """A stable urn:uuid for a numbered resource (visit, charge): our namespace, the kind, the number, with the
    version and variant bits of a name-based UUID; cheaper than hashing tens of thousands of names."""
    return f"urn:uuid:5b0f8f4e-{kind:04x}-5000-8000-{number:012x}"


ACCOUNT, ENCOUNTER, CHARGE_ITEM, PREVIEW_ITEM = 1, 2, 3, 4


def _request(method: str, url: str, **more: str) -> dict[str, str]:
    return {"method": method, "url": url, **more}


@functools.lru_cache(maxsize=4096)
def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    """A Coding; the same few are shared by every resource that uses them (never changed once made)."""
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _npi_reference(provider: Provider) -> dict[str, Any]:
    """A logical reference to a provider by NPI (the receiver knows its practitioners by NPI)."""
    reference: dict[str, Any] = {"display": provider.name} if provider.name else {}
    if provider.npi:
        reference["identifier"] = {"system": cc.FHIR_NPI, "value": provider.npi}
    return reference


def to_fhir_json(header: RunHeader, visits: Iterable[VisitExport]) -> str:
    """The Bundle as compact JSON text (an indent would take Python's slow encoder path, issue 16)."""
    return json.dumps(bundle(header, visits), separators=(",", ":"), ensure_ascii=False, default=_number) + "\n"


def _number(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)  # the shortest repr round-trips: 13.75 stays 13.75
    raise TypeError(f"{type(value).__name__} is not JSON")


def bundle(header: RunHeader, visits: Iterable[VisitExport]) -> dict[str, Any]:
    """The Bundle as plain JSON values: a transaction for billing and re-sends, a collection for a preview."""
    preview = header.purpose is Purpose.PREVIEW
    shared = _Shared(header)
    entries: list[dict[str, Any]] = []
    patients: dict[str, str] = {}
    for visit in visits:
        mrn = visit.patient.mrn
        patient_ref = patients.get(mrn)
        if patient_ref is None:
            patient_ref = patients[mrn] = _urn("patient", mrn)
            entries.append(_entry(patient_ref, _patient(shared, visit), None if preview else _request(
                "POST", "Patient", ifNoneExist=f"identifier={shared.mrn_system}|{mrn}")))
        account_ref = _numbered_urn(ACCOUNT, visit.visit_id)
        encounter_ref = _numbered_urn(ENCOUNTER, visit.visit_id)
        visit_id = str(visit.visit_id)
        entries.append(_entry(account_ref, _account(shared, visit, patient_ref), None if preview else _request(
            "PUT", f"Account?identifier={shared.account_system}|{visit_id}")))
        entries.append(_entry(encounter_ref, _encounter(shared, visit, patient_ref, account_ref),
                              None if preview else _request(
                                  "PUT", f"Encounter?identifier={shared.visit_system}|{visit_id}")))
        parts = shared.visit(visit, (patient_ref, encounter_ref, account_ref))
        for number, transaction in enumerate(visit.transactions, start=1):
            item = _charge_item(shared, parts, transaction)
            charge = transaction.charge_id
            if charge is None:
                full_url = _numbered_urn(PREVIEW_ITEM, visit.visit_id * 1000 + number)
                request = None
            else:
                full_url = _numbered_urn(CHARGE_ITEM, charge)
                request = None if preview else _request("PUT", f"ChargeItem?identifier={shared.charge_system}|{charge}")
            entries.append(_entry(full_url, item, request))
    result: dict[str, Any] = {
        "resourceType": "Bundle",
        "identifier": {"system": identifier_system(header, "export-run"), "value": header.control_id},
        "type": "collection" if preview else "transaction",
        "timestamp": header.created_at.isoformat(),
        "entry": entries,
    }
    tags = [_coding(f"{CANONICAL}/CodeSystem/export-purpose", header.purpose.value)]
    if header.resend_of is not None:
        tags.append(_coding(f"{CANONICAL}/CodeSystem/export-resend-of", f"ICC{header.resend_of}",
                            f"re-send of run {header.resend_of}"))
    result["meta"] = {"tag": tags}
    return result


def _entry(full_url: str, resource: dict[str, Any], request: dict[str, str] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"fullUrl": full_url, "resource": resource}
    if request is not None:
        entry["request"] = request
    return entry


def _patient(shared: _Shared, visit: VisitExport) -> dict[str, Any]:
    family, given = split_name(visit.patient.name)
    name: dict[str, Any] = {"family": family}
    if given:
        name["given"] = given.split()
    return {
        "resourceType": "Patient",
        "identifier": [{"system": shared.mrn_system, "value": visit.patient.mrn}],
        "name": [name],
        "gender": GENDER.get(visit.patient.sex or "U", "unknown"),
        "birthDate": visit.patient.birth_date.isoformat(),
    }


def _account(shared: _Shared, visit: VisitExport, patient_ref: str) -> dict[str, Any]:
    day = visit.date_of_service.isoformat()
    account = {
        "resourceType": "Account",
        "identifier": [{"system": shared.account_system, "value": str(visit.visit_id)}],
        "status": "active",
        "name": f"Infusion visit {day}",
        "subject": [{"reference": patient_ref}],
        "servicePeriod": {"start": day, "end": day},
    }
    if shared.facility:
        account["owner"] = shared.facility
    return account


def _organization(header: RunHeader, element: str) -> dict[str, Any]:
    """{element: the facility by NPI and name}, or nothing when the settings name neither."""
    reference = _npi_reference(Provider(header.sender.facility_name or header.sender.hl7_facility, header.sender.npi))
    return {element: reference} if reference else {}


def _encounter(shared: _Shared, visit: VisitExport, patient_ref: str, account_ref: str) -> dict[str, Any]:
    participants = []
    if visit.ordering_provider is not None:
        participants.append({"type": [{"coding": [_coding(cc.FHIR_PARTICIPATION, "REF", "referrer")],
                                       "text": "ordering provider"}],
                             "actor": _npi_reference(visit.ordering_provider)})
    participants += shared.rendering_participant
    if visit.nurse:
        participants.append({"type": [{"coding": [_coding(cc.FHIR_PARTICIPATION, "PRF", "performer")],
                                       "text": "administering nurse"}], "actor": {"display": visit.nurse}})
    day = visit.date_of_service.isoformat()
    encounter: dict[str, Any] = {
        "resourceType": "Encounter",
        "identifier": [{"system": shared.visit_system, "value": str(visit.visit_id)}],
        "status": shared.encounter_status,
        "class": shared.encounter_class,
        "subject": {"reference": patient_ref},
        "account": [{"reference": account_ref}],
        "actualPeriod": {"start": day, "end": day},
    }
    if shared.facility:
        encounter["serviceProvider"] = shared.facility
    if participants:
        encounter["participant"] = participants
    if visit.diagnosis_codes:
        encounter["diagnosis"] = [{"condition": [{"concept": {"coding": [_coding(cc.FHIR_ICD10CM, code)]}}]}
                                  for code in visit.diagnosis_codes]
    return encounter


class _Shared:
    """What the ChargeItems of one run, and of one visit, repeat: built once, shared by reference."""

    def __init__(self, header: RunHeader) -> None:
        self.header = header
        self.charge_system = identifier_system(header, "charge")
        self.cdm_system = identifier_system(header, "charge-master")
        self.transaction_system = identifier_system(header, "transaction")
        self.mrn_system = identifier_system(header, "mrn")
        self.account_system = identifier_system(header, "account")
        self.visit_system = identifier_system(header, "visit")
        self.organization = _organization(header, "performingOrganization")
        self.facility = self.organization.get("performingOrganization")
        self.encounter_status = "in-progress" if header.purpose is Purpose.PREVIEW else "completed"
        self.encounter_class = [{"coding": [_coding(cc.FHIR_ACT_CODE, "AMB", "ambulatory")]}]
        rendering = header.sender.rendering_provider
        self.rendering_participant = [] if rendering is None else [{
            "type": [{"coding": [_coding(cc.FHIR_PARTICIPATION, "PPRF", "primary performer")],
                      "text": "rendering provider"}], "actor": _npi_reference(rendering)}]
        self.rendering = [] if rendering is None else [{
            "function": {"coding": [_coding(cc.FHIR_PARTICIPATION, "PPRF", "primary performer")],
                         "text": "rendering provider"}, "actor": _npi_reference(rendering)}]

    def visit(self, visit: VisitExport, refs: tuple[str, str, str]) -> dict[str, Any]:
        patient_ref, encounter_ref, account_ref = refs
        nurse = [] if not visit.nurse else [{
            "function": {"coding": [_coding(cc.FHIR_PARTICIPATION, "PRF", "performer")],
                         "text": "administering nurse"}, "actor": {"display": visit.nurse}}]
        return {
            "subject": {"reference": patient_ref}, "encounter": {"reference": encounter_ref},
            "account": [{"reference": account_ref}], "day": visit.date_of_service.isoformat(),
            "place": {"url": PLACE_OF_SERVICE_URL,
                      "valueCoding": _coding(cc.FHIR_POS, cc.place_of_service_code(visit.place_of_service))},
            "performer": self.rendering + nurse,
            "reason": [{"coding": [_coding(cc.FHIR_ICD10CM, code)]} for code in visit.diagnosis_codes],
        }


def _charge_item(shared: _Shared, parts: dict[str, Any], transaction: Transaction) -> dict[str, Any]:
    line = transaction.line
    codings = [_coding(cc.fhir_code_system(line.hcpcs), line.hcpcs)]
    if line.cdm:
        codings.append(_coding(shared.cdm_system, line.cdm))
    item: dict[str, Any] = {"resourceType": "ChargeItem"}
    if transaction.charge_id is not None:
        item["identifier"] = [{"system": shared.charge_system, "value": str(transaction.charge_id)}]
    item["status"] = STATUS[transaction.kind]
    item["code"] = {"coding": codings, "text": line.description}
    item["subject"] = parts["subject"]
    item["encounter"] = parts["encounter"]
    if line.infusion_start is not None and line.infusion_stop is not None:
        item["occurrencePeriod"] = {"start": line.infusion_start.isoformat(), "end": line.infusion_stop.isoformat()}
    else:
        item["occurrenceDateTime"] = parts["day"]
    if parts["performer"]:
        item["performer"] = parts["performer"]
    item.update(shared.organization)
    item["quantity"] = {"value": line.units}
    if line.unit_price is not None and line.amount is not None:
        item["unitPriceComponent"] = {"type": "base", "amount": {"value": line.unit_price, "currency": "USD"}}
        item["totalPriceComponent"] = {"type": "base", "amount": {"value": line.amount, "currency": "USD"}}
    item["enterer"] = {"display": transaction.entered_by}
    item["enteredDate"] = transaction.posted_at.isoformat()
    if parts["reason"]:
        item["reason"] = parts["reason"]
    _product(item, line)
    item["account"] = parts["account"]
    if transaction.kind is TransactionKind.REVERSAL:
        item["note"] = [{"text": f"Reversed by transaction {transaction.transaction_id}"
                         + (f": {transaction.reason}" if transaction.reason else "")}]
    item["extension"] = _extensions(shared, parts, transaction)
    return item


def _product(item: dict[str, Any], line: ExportLine) -> None:
    """The NDC as FHIR codes it (10 digits with hyphens); each lot as a contained Medication with its batch."""
    if not line.ndc10:
        return
    ndc = _coding(cc.FHIR_NDC, line.ndc10)
    products: list[dict[str, Any]] = [{"concept": {"coding": [ndc]}}]
    contained = []
    for number, (lot, expiry) in enumerate(zip(line.lots, line.expiries, strict=False), start=1):
        batch: dict[str, str] = {"lotNumber": lot}
        if expiry is not None:
            batch["expirationDate"] = expiry.isoformat()
        contained.append({"resourceType": "Medication", "id": f"lot{number}", "code": {"coding": [ndc]},
                          "batch": batch})
        products.append({"reference": {"reference": f"#lot{number}"}})
    if contained:
        item["contained"] = contained
    item["product"] = products


def _extensions(shared: _Shared, parts: dict[str, Any], transaction: Transaction) -> list[dict[str, Any]]:
    line = transaction.line
    extensions: list[dict[str, Any]] = [
        {"url": MODIFIER_URL, "valueCoding": _coding(cc.FHIR_HCPCS, modifier)} for modifier in line.modifiers
    ]
    if line.ndc11 and line.ndc_quantity is not None and line.ndc_unit:
        ucum, words = cc.NDC_UNIT_UCUM.get(line.ndc_unit, ("{unit}", "unit"))
        extensions.append({"url": NDC_BILLING_URL, "extension": [
            {"url": "qualifier", "valueString": line.ndc_qualifier or "N4"},
            {"url": "ndc11", "valueString": line.ndc11},
            {"url": "quantity", "valueQuantity": {"value": line.ndc_quantity, "unit": words,
                                                  "system": cc.FHIR_UCUM, "code": ucum}},
            {"url": "unit", "valueString": line.ndc_unit},
        ]})
    if line.revenue_code:
        extensions.append({"url": REVENUE_CODE_URL, "valueCoding": _coding(cc.FHIR_REVENUE, line.revenue_code)})
    extensions.append(parts["place"])
    extensions.append({"url": VISIT_LINE_URL, "valuePositiveInt": line.visit_line_number})
    if transaction.kind is TransactionKind.REVERSAL:
        reversal: list[dict[str, Any]] = [{"url": "transaction", "valueIdentifier": {
            "system": shared.transaction_system, "value": str(transaction.transaction_id)}}]
        if transaction.reason:
            reversal.append({"url": "reason", "valueString": transaction.reason})
        extensions.append({"url": REVERSAL_URL, "extension": reversal})
    return extensions
