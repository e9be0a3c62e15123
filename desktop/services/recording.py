"""Recording an administration: run the engine, apply the finding rules, freeze the charge lines."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from db.repositories import add_state_change, ensure_user, patient_by_mrn
from desktop.billing.engine import compute
from desktop.billing.model import ChargeResult, Finding, Severity
from desktop.services.errors import RefusedError, ServiceError
from desktop.services.mapping import claim_line, finding_value, line_row, package_row, record_snapshot
from desktop.services.roles import Permission, require, require_change_to_record
from desktop.services.settings import at_facility, engine_inputs
from desktop.services.store import Store
from desktop.services.transitions import load_for_change, transition_in_session
from desktop.services.validation import check_record_request, check_text, describe_findings
from desktop.services.views import ChargeState, RecordOutcome, RecordRequest


def record_administration(store: Store, request: RecordRequest, user: str) -> RecordOutcome:
    """Run the engine on `request` and store the record with its frozen lines.

    Error findings: RefusedError(reason="errors") unless `request.hold_reason`
    is given, then the record is stored as held. Warnings: each must be in
    `acknowledged_codes` (or `acknowledge_all`), else RefusedError(reason=
    "unacknowledged_warnings"); acknowledgements are stored with who and when.
    A retried request (same `request_id`) returns the record stored the first time.
    """
    user = check_text(user, "the user name")
    request, result, acknowledged = _evaluate(store, request)
    with store.session_scope() as session:
        lock_chain(session)
        require(session, user, Permission.RECORD)
        return _insert_record(session, request, user, result, acknowledged, replaces_id=None)


def void_and_replace(
    store: Store, administration_id: int, reason: str, request: RecordRequest, user: str,
    expected_version: int | None = None,
) -> RecordOutcome:
    """Void a record and record its correction in one transaction; the new one points to the old."""
    user = check_text(user, "the user name")
    reason = check_text(reason, "the reason for the void")
    request, result, acknowledged = _evaluate(store, request)
    with store.session_scope() as session:
        lock_chain(session)
        original = load_for_change(session, administration_id, expected_version)
        require_change_to_record(session, user, original, Permission.CORRECT)
        transition_in_session(
            session, original, user, to_state=ChargeState.VOIDED, reason=reason,
            allowed_from=tuple(s for s in ChargeState if s is not ChargeState.VOIDED), void_reason=reason,
        )
        return _insert_record(session, request, user, result, acknowledged, replaces_id=original.id)


def with_ordered_dose(request: RecordRequest) -> RecordRequest:
    """The request with its ordered dose in the engine's input (when that has none), so the dose given is
    checked against the order (DOSE_BELOW_ORDER / DOSE_ABOVE_ORDER) as the chairside preview shows it."""
    adm = request.administration
    if adm.ordered_dose_mg is not None or request.ordered_dose_mg is None:
        return request
    return replace(request, administration=replace(adm, ordered_dose_mg=request.ordered_dose_mg))


def _evaluate(store: Store, request: RecordRequest) -> tuple[RecordRequest, ChargeResult, tuple[Finding, ...]]:
    """The request as the facility computes it now, the engine's result, and the warnings acknowledged."""
    check_record_request(request)
    inputs = engine_inputs(store)  # the facility's payer overrides and 340B type, read fresh
    request = with_ordered_dose(at_facility(request, inputs))
    result = compute(request.administration, inputs.rules)
    return request, result, _check_findings(result, request)


def _check_findings(result: ChargeResult, request: RecordRequest) -> tuple[Finding, ...]:
    """The warnings acknowledged by this request; raises RefusedError when the record cannot be accepted."""
    errors = tuple(f for f in result.findings if f.severity is Severity.ERROR)
    if errors and not (request.hold_reason and request.hold_reason.strip()):
        raise RefusedError(
            "The record has errors that block the charge; fix them, or save it as held with a reason:\n"
            + describe_findings(errors),
            reason="errors", findings=errors,
        )
    warnings = result.warnings
    if request.acknowledge_all:
        return warnings
    missing = tuple(f for f in warnings if f.code not in request.acknowledged_codes)
    if missing:
        raise RefusedError(
            "These warnings must be acknowledged before the record is saved:\n" + describe_findings(missing),
            reason="unacknowledged_warnings", findings=missing,
        )
    return warnings


def _patient(session: Session, request: RecordRequest) -> models.Patient:
    given = request.patient
    mrn = given.mrn.strip()
    patient = patient_by_mrn(session, mrn)
    if patient is None:
        patient = models.Patient(mrn=mrn, name=given.name.strip(), date_of_birth=given.date_of_birth)
        session.add(patient)
        session.flush()
        return patient
    if patient.name.casefold() != given.name.strip().casefold() or patient.date_of_birth != given.date_of_birth:
        raise ServiceError(
            f"MRN {mrn} belongs to {patient.name}, born {patient.date_of_birth.isoformat()}, not to "
            f"{given.name.strip()}, born {given.date_of_birth.isoformat()}: check the MRN and the patient."
        )
    return patient


def _insert_record(
    session: Session, request: RecordRequest, user: str, result: ChargeResult,
    acknowledged: tuple[Finding, ...], replaces_id: int | None,
) -> RecordOutcome:
    lock_chain(session)  # one writer at a time: no duplicate patient, no fork of the audit chain
    existing = session.execute(
        select(models.Administration).where(models.Administration.request_id == request.request_id)
    ).scalar_one_or_none()
    if existing is not None:
        return _outcome(existing)
    _, new_user = ensure_user(session, user)
    if new_user:
        append_event(session, actor=user, action="create", entity="user", entity_id=user, before=None,
                     after={"username": user})
    patient = _patient(session, request)
    now = dt.datetime.now(dt.UTC)
    held = result.has_errors or bool(request.hold_reason and request.hold_reason.strip())
    adm = request.administration
    row = models.Administration(
        request_id=request.request_id, patient_id=patient.id, date_of_service=adm.date_of_service,
        hcpcs=adm.hcpcs, payer=request.payer, payer_class=adm.payer_class.value,
        facility_type=adm.facility_type.value, prior_authorization=request.prior_authorization,
        diagnosis_codes=json.dumps(list(request.diagnosis_codes)), ordered_dose_mg=request.ordered_dose_mg,
        administered_mg=adm.administered_mg, discarded_mg=adm.discarded_mg,
        infusion_minutes=adm.infusion_minutes, route=adm.route or None, infusion_start=request.infusion_start,
        infusion_stop=request.infusion_stop, nurse=request.nurse, waste_witness=request.waste_witness,
        discarded_by=_trimmed(request.discarded_by), chair=_trimmed(request.chair),
        consent_recorded=request.consent_recorded, notes=request.notes, free_drug=adm.free_drug,
        explanations=json.dumps(list(result.explanations)),
        rule_versions=json.dumps(dict(result.rule_versions), sort_keys=True),
        state=(ChargeState.HELD if held else ChargeState.RECORDED).value,
        hold_reason=request.hold_reason.strip() if held and request.hold_reason else None,
        replaces_id=replaces_id, recorded_by=user, recorded_at=now,
    )
    row.packages = [package_row(p, i) for i, p in enumerate(adm.packages)]
    row.lines = [line_row(x, i, dict(result.rule_versions)) for i, x in enumerate(result.lines)]
    row.findings = [
        models.FindingRow(position=i, code=f.code, severity=f.severity.value, message=f.message)
        for i, f in enumerate(result.findings)
    ]
    session.add(row)
    session.flush()
    add_state_change(session, row, None, row.state, user, row.hold_reason, now)
    append_event(session, actor=user, action="create", entity="administration", entity_id=row.id,
                 before=None, after=record_snapshot(row, row.lines), occurred_at=now)
    acknowledged_codes = {f.code for f in acknowledged}
    for finding_row in row.findings:
        if finding_row.code in acknowledged_codes and finding_row.severity == Severity.WARNING.value:
            finding_row.acknowledgement = models.FindingAcknowledgement(acknowledged_by=user, acknowledged_at=now)
            session.flush()
            append_event(
                session, actor=user, action="acknowledge", entity="finding", entity_id=finding_row.id, before=None,
                after={"administration_id": row.id, "code": finding_row.code, "message": finding_row.message},
                occurred_at=now,
            )
    session.flush()
    return _outcome(row)


def _trimmed(value: str | None) -> str | None:
    """Text as typed minus surrounding blanks; blank is not documented (None), so filters and tickets agree."""
    if value is None:
        return None
    return value.strip() or None


def _outcome(row: models.Administration) -> RecordOutcome:
    acked = tuple(f.code for f in row.findings if f.acknowledgement is not None)
    return RecordOutcome(
        id=row.id, state=ChargeState(row.state), version=row.version,
        lines=tuple(claim_line(x) for x in row.lines), findings=tuple(finding_value(f) for f in row.findings),
        acknowledged_codes=acked, rule_versions=json.loads(row.rule_versions),
    )
