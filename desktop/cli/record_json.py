"""The `record` command's JSON: the calc visit JSON (or today's one-drug form) with the patient and the facts
`desktop.records` defines for the visit and each drug."""

from __future__ import annotations

import dataclasses
from typing import Any

from desktop.billing.tables import RuleSet
from desktop.interop.calc_json import InputError, parse_date, parse_visit
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.records.fields import FieldKind, field_docs
from desktop.records.visit import ADMINISTRATIVE_SEX
from desktop.services import PatientInput, RecordRequest

VISIT_FACTS = {doc.name: doc for doc in field_docs(VisitFacts)}
DRUG_FACTS = {doc.name: doc for doc in field_docs(DrugFacts)}
RECORD_VISIT_KEYS = frozenset({"patient", "visit_id", "request_id"}) | frozenset(VISIT_FACTS)
RECORD_DRUG_KEYS = frozenset(DRUG_FACTS)


def _facts(record_type: type, docs: dict[str, Any], obj: dict[str, Any], where: str) -> Any:
    values: dict[str, Any] = {}
    for name, doc in docs.items():
        if obj.get(name) is None:
            continue
        value = obj[name]
        if doc.kind is FieldKind.FLAG and not isinstance(value, bool):
            raise InputError(f"{where}'{name}' must be true or false")
        if doc.kind is FieldKind.DIAGNOSES:
            if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                raise InputError(f"{where}'{name}' must be a list of ICD-10-CM codes as text")
            value = tuple(c.strip().upper() for c in value)
        elif doc.kind is not FieldKind.FLAG and not isinstance(value, str):
            raise InputError(f"{where}'{name}' must be text")
        values[name] = value
    return record_type(**values)


def parse_record_json(obj: Any, rules: RuleSet, *, acknowledged: frozenset[str], acknowledge_all: bool,
                      hold_reason: str | None) -> RecordRequest:
    """A RecordRequest from the record JSON (the calc visit JSON plus the record's facts); InputError names the
    first problem. Today's one-drug form (every key at the top level) is a visit of one."""
    visit = parse_visit(obj, rules, extra_visit_fields=RECORD_VISIT_KEYS,
                        extra_administration_fields=RECORD_DRUG_KEYS)
    assert isinstance(obj, dict)  # parse_visit refused anything else
    items = obj.get("administrations", [obj])
    drugs = tuple(
        DrugEntry(adm, _facts(DrugFacts, DRUG_FACTS, item, f"administration {i + 1}: " if len(items) > 1 else ""))
        for i, (adm, item) in enumerate(zip(visit.administrations, items, strict=True))
    )
    patient = obj.get("patient")
    if not isinstance(patient, dict) or set(patient) - {"mrn", "name", "date_of_birth", "sex"}:
        raise InputError("'patient' must be an object with mrn, name, date_of_birth and optionally sex")
    if patient.get("sex") is not None and patient["sex"] not in ADMINISTRATIVE_SEX:
        raise InputError(f"patient 'sex' must be one of {', '.join(ADMINISTRATIVE_SEX)} (HL7 table 0001)")
    for key in ("mrn", "name", "date_of_birth"):
        if not isinstance(patient.get(key), str) or not patient[key].strip():
            raise InputError(f"patient '{key}' is required (text)")
    visit_id = obj.get("visit_id")
    if visit_id is not None and (isinstance(visit_id, bool) or not isinstance(visit_id, int) or visit_id < 1):
        raise InputError("'visit_id' must be a visit number")
    request_id = obj.get("request_id")
    if request_id is not None and not isinstance(request_id, str):
        raise InputError("'request_id' must be text (a UUID)")
    request = RecordRequest(
        patient=PatientInput(mrn=patient["mrn"], name=patient["name"],
                             date_of_birth=parse_date(patient["date_of_birth"], "patient date_of_birth"),
                             sex=patient.get("sex")),
        date_of_service=visit.date_of_service, payer_class=visit.payer_class, drugs=drugs,
        visit=_facts(VisitFacts, VISIT_FACTS, obj, ""),
        place_of_service=visit.place_of_service if "place_of_service" in obj else None, visit_id=visit_id,
        acknowledged_codes=acknowledged, acknowledge_all=acknowledge_all, hold_reason=hold_reason,
    )
    return dataclasses.replace(request, request_id=request_id) if request_id else request
