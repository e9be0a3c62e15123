"""Checks on what a person typed, before anything is stored; failures are ServiceErrors in plain words."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from desktop.billing.model import Finding
from desktop.records.fields import problems
from desktop.records.requests import RecordRequest
from desktop.records.visit import ADMINISTRATIVE_SEX
from desktop.services.errors import ServiceError

MAX_TEXT = 2000
LIMITS = {"mrn": 40, "name": 200}
MAX_DRUGS = 30  # a visit with more drugs than this is a typing accident, not an infusion visit


def check_text(value: str | None, what: str, max_length: int = 120) -> str:
    """Non-empty text of a sane length, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise ServiceError(f"{what} is required")
    trimmed = value.strip()
    if len(trimmed) > max_length:
        raise ServiceError(f"{what} is too long ({len(trimmed)} characters; at most {max_length})")
    if any(ord(c) < 32 and c not in "\t\n" for c in trimmed):
        raise ServiceError(f"{what} contains control characters")
    return trimmed


def _optional(value: str | None, what: str, max_length: int) -> None:
    if value is not None and value.strip():
        check_text(value, what, max_length)


def _aware(value: dt.datetime | None, what: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ServiceError(f"{what} must include a time zone (e.g. 2026-11-29T09:30:00-05:00)")


def check_record_request(request: RecordRequest) -> None:
    """Everything the engine does not check: patient, documented facts, times, lengths."""
    check_text(request.patient.mrn, "the patient's MRN", LIMITS["mrn"])
    check_text(request.patient.name, "the patient's name", LIMITS["name"])
    if request.patient.sex is not None and request.patient.sex not in ADMINISTRATIVE_SEX:
        raise ServiceError(f"the patient's sex must be one of {', '.join(ADMINISTRATIVE_SEX)} (HL7 table 0001)")
    if request.patient.date_of_birth > request.date_of_service:
        raise ServiceError("the patient's date of birth is after the date of service")
    if not request.drugs:
        raise ServiceError("a visit needs at least one drug: nothing was saved")
    if len(request.drugs) > MAX_DRUGS:
        raise ServiceError(f"at most {MAX_DRUGS} drugs can be saved in one visit")
    found = problems(request.visit)
    for number, drug in enumerate(request.drugs, start=1):
        where = f"drug {number}: " if len(request.drugs) > 1 else ""
        found += [where + p for p in problems(drug.facts)]
        adm = drug.administration
        _aware(adm.infusion_start, where + "the infusion start")
        _aware(adm.infusion_stop, where + "the infusion stop")
        if adm.infusion_start and adm.infusion_stop and adm.infusion_stop < adm.infusion_start:
            found.append(where + "the infusion stop is before its start")
        if adm.ordered_dose_mg is not None and (not adm.ordered_dose_mg.is_finite() or adm.ordered_dose_mg < 0):
            found.append(where + "the ordered dose must be a number of mg, not negative")
        _optional(adm.route, where + "the route", 40)
        _optional(adm.split_dose_reason, where + "the split-dose reason", MAX_TEXT)
    if found:
        raise ServiceError(found[0] if len(found) == 1 else "; ".join(found))
    _optional(request.hold_reason, "the hold reason", MAX_TEXT)
    try:
        uuid.UUID(request.request_id)
    except (ValueError, AttributeError, TypeError) as exc:
        raise ServiceError("the request id must be a UUID") from exc


def describe_findings(findings: Iterable[Finding]) -> str:
    """One finding per line, as a person reads them: '- ERROR CODE: message'."""
    return "\n".join(f"- {f.severity.value.upper()} {f.code}: {f.message}" for f in findings)
