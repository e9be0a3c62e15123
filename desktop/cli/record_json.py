"""The `record` command's JSON: a visit (patient, visit facts, `administrations`) or today's one-drug form."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from desktop.billing.model import PayerClass, PlaceOfService
from desktop.billing.tables import RuleSet
from desktop.interop.calc_json import InputError, parse_administration, parse_date
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.records.fields import FieldKind, field_docs
from desktop.services import PatientInput, RecordRequest

VISIT_FACTS = {doc.name: doc for doc in field_docs(VisitFacts)}
DRUG_FACTS = {doc.name: doc for doc in field_docs(DrugFacts)}
VISIT_KEYS = frozenset({"patient", "date_of_service", "payer_class", "facility_type", "place_of_service",
                        "visit_id", "request_id", "administrations"}) | frozenset(VISIT_FACTS)
TIME_KEYS = ("infusion_start", "infusion_stop")
DRUG_KEYS = frozenset({"split_dose_reason", *TIME_KEYS}) | frozenset(DRUG_FACTS)
SHARED_KEYS = ("date_of_service", "payer_class", "facility_type")  # the visit's, given to each drug


def _datetime(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, str):
        raise InputError(f"'{name}' must be an ISO date-time like 2026-11-29T09:30:00-05:00")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"'{name}' must be an ISO date-time like 2026-11-29T09:30:00-05:00, not {value!r}") from exc
    if moment.tzinfo is None:
        raise InputError(f"'{name}' needs a time zone offset (e.g. -05:00 or Z), not {value!r}")
    try:
        moment.astimezone(dt.UTC)
    except OverflowError as exc:
        raise InputError(f"'{name}' {value!r} is not a usable moment") from exc
    return moment


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


def _drug(obj: Any, visit: dict[str, Any], rules: RuleSet, where: str) -> DrugEntry:
    if not isinstance(obj, dict):
        raise InputError(f"{where}each administration must be a JSON object")
    merged = {**obj, **{key: visit[key] for key in SHARED_KEYS if key in visit}}
    try:
        administration = parse_administration(merged, rules, extra_fields=DRUG_KEYS)
    except InputError as exc:
        raise InputError(f"{where}{exc}") from exc
    start, stop = (None if obj.get(k) is None else _datetime(obj[k], k) for k in TIME_KEYS)
    if start and stop and stop < start:
        raise InputError(f"{where}'infusion_stop' is before 'infusion_start'")
    minutes = administration.infusion_minutes
    if start and stop and minutes is None:
        minutes = int((stop - start).total_seconds() // 60)
    split = obj.get("split_dose_reason")
    if split is not None and not isinstance(split, str):
        raise InputError(f"{where}'split_dose_reason' must be text")
    administration = dataclasses.replace(administration, infusion_start=start, infusion_stop=stop,
                                         infusion_minutes=minutes, split_dose_reason=split)
    return DrugEntry(administration, _facts(DrugFacts, DRUG_FACTS, obj, where))


def parse_record_json(obj: Any, rules: RuleSet, *, acknowledged: frozenset[str], acknowledge_all: bool,
                      hold_reason: str | None) -> RecordRequest:
    """A RecordRequest from the record JSON; InputError names the first problem."""
    if not isinstance(obj, dict):
        raise InputError("the input must be a JSON object")
    if "administrations" in obj:
        visit = obj
        unknown = sorted(set(obj) - VISIT_KEYS)
        if unknown:
            raise InputError(f"unknown visit field(s): {', '.join(unknown)}")
        listed = obj["administrations"]
        if not isinstance(listed, list) or not listed:
            raise InputError("'administrations' must be a list of at least one administration")
        drugs = tuple(_drug(item, visit, rules, f"administration {i + 1}: ") for i, item in enumerate(listed))
    else:  # today's one-drug form: every key at the top level
        visit = {k: v for k, v in obj.items() if k in VISIT_KEYS}
        drugs = (_drug({k: v for k, v in obj.items() if k not in VISIT_KEYS or k in SHARED_KEYS}, visit, rules, ""),)
    patient = visit.get("patient")
    if not isinstance(patient, dict) or set(patient) - {"mrn", "name", "date_of_birth"}:
        raise InputError("'patient' must be an object with mrn, name and date_of_birth")
    for key in ("mrn", "name", "date_of_birth"):
        if not isinstance(patient.get(key), str) or not patient[key].strip():
            raise InputError(f"patient '{key}' is required (text)")
    place = visit.get("place_of_service")
    if place is not None and place not in {p.value for p in PlaceOfService}:
        raise InputError(f"'place_of_service' must be one of {', '.join(p.value for p in PlaceOfService)}")
    visit_id = visit.get("visit_id")
    if visit_id is not None and (isinstance(visit_id, bool) or not isinstance(visit_id, int) or visit_id < 1):
        raise InputError("'visit_id' must be a visit number")
    request_id = visit.get("request_id")
    if request_id is not None and not isinstance(request_id, str):
        raise InputError("'request_id' must be text (a UUID)")
    first = drugs[0].administration
    request = RecordRequest(
        patient=PatientInput(mrn=patient["mrn"], name=patient["name"],
                             date_of_birth=parse_date(patient["date_of_birth"], "patient date_of_birth")),
        date_of_service=first.date_of_service, payer_class=PayerClass(first.payer_class), drugs=drugs,
        visit=_facts(VisitFacts, VISIT_FACTS, visit, ""),
        place_of_service=PlaceOfService(place) if place else None, visit_id=visit_id,
        acknowledged_codes=acknowledged, acknowledge_all=acknowledge_all, hold_reason=hold_reason,
    )
    return dataclasses.replace(request, request_id=request_id) if request_id else request
