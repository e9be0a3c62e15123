"""Checks on what a person typed, before anything is stored; failures are ServiceErrors in plain words."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable

from desktop.billing.model import Finding
from desktop.services.errors import ServiceError
from desktop.services.views import RecordRequest

MAX_TEXT = 2000
ICD10 = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")
LIMITS = {"mrn": 40, "name": 200, "payer": 120, "prior_authorization": 60, "nurse": 120, "waste_witness": 120,
          "discarded_by": 120, "chair": 40}
WORDS = {"discarded_by": "who discarded the drug"}


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
    """Everything the engine does not check: patient, times, codes, lengths."""
    check_text(request.patient.mrn, "the patient's MRN", LIMITS["mrn"])
    check_text(request.patient.name, "the patient's name", LIMITS["name"])
    if request.patient.date_of_birth > request.administration.date_of_service:
        raise ServiceError("the patient's date of birth is after the date of service")
    _aware(request.infusion_start, "the infusion start")
    _aware(request.infusion_stop, "the infusion stop")
    if request.infusion_start and request.infusion_stop and request.infusion_stop < request.infusion_start:
        raise ServiceError("the infusion stop is before its start")
    for code in request.diagnosis_codes:
        if not isinstance(code, str) or not ICD10.match(code.strip().upper()):
            raise ServiceError(f"diagnosis code {code!r} is not an ICD-10-CM code (e.g. C34.90)")
    for key in ("payer", "prior_authorization", "nurse", "waste_witness", "discarded_by", "chair"):
        _optional(getattr(request, key), WORDS.get(key, key.replace("_", " ")), LIMITS[key])
    if not isinstance(request.consent_recorded, bool):
        raise ServiceError("consent recorded must be true or false")
    _optional(request.notes, "the notes", MAX_TEXT)
    _optional(request.hold_reason, "the hold reason", MAX_TEXT)
    if request.ordered_dose_mg is not None and (
        not request.ordered_dose_mg.is_finite() or request.ordered_dose_mg < 0
    ):
        raise ServiceError("the ordered dose must be a number of mg, not negative")
    try:
        uuid.UUID(request.request_id)
    except (ValueError, AttributeError, TypeError) as exc:
        raise ServiceError("the request id must be a UUID") from exc


def describe_findings(findings: Iterable[Finding]) -> str:
    """One finding per line, as a person reads them: '- ERROR CODE: message'."""
    return "\n".join(f"- {f.severity.value.upper()} {f.code}: {f.message}" for f in findings)
