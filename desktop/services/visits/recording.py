"""Recording drugs into a visit: find or open the visit, run the engine on the whole visit, freeze the lines."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from db.repositories import add_state_change, ensure_user, patient_by_mrn
from desktop.billing.engine import duplicate_findings
from desktop.billing.model import Administration, ChargeResult, Finding, LineKind, Severity
from desktop.billing.tables import RuleSet
from desktop.records.charge_states import ACTION_FROM, ChargeAction
from desktop.records.fields import cleaned
from desktop.records.payer_words import payer_words
from desktop.records.requests import ChargeState, RecordOutcome, RecordRequest
from desktop.services.charge_review.transitions import load_for_change, transition_in_session
from desktop.services.errors import RefusedError, ServiceError
from desktop.services.facility.settings import at_facility, engine_inputs_in
from desktop.services.people.roles import Permission, require, require_change_to_record
from desktop.services.storage.store import Store
from desktop.services.validation import check_record_request, check_text, describe_findings
from desktop.services.visits.claim_preview import serial_clashes, visit_claim
from desktop.services.visits.row_values import (
    administration_value,
    code_line,
    drug_lines,
    finding_value,
    line_row,
    package_row,
    record_snapshot,
    visit_facts,
    visit_snapshot,
    write_drug_facts,
    write_visit_facts,
)
from desktop.services.visits.visit_codes import (
    active_administrations,
    current_code_set,
    engine_visit,
    store_codes,
    touch,
)

REQUEST_NAMESPACE = uuid.UUID("6f1c2a52-3f0b-4d59-9d37-4b7a3c1e9a10")


def record_administration(store: Store, request: RecordRequest, user: str) -> RecordOutcome:
    """Record the request's drugs in the patient's visit of that date and place (opened if there is none).

    The engine runs on the whole visit (the drugs already in it and the new ones), so the administration
    codes are the visit's (one initial service, add-ons after it). Error findings of the new drugs:
    RefusedError(reason="errors") unless `request.hold_reason` is given, then they are stored as held.
    Warnings: each must be in `acknowledged_codes` (or `acknowledge_all`), else RefusedError(reason=
    "unacknowledged_warnings"). A retried request (same `request_id`) returns what was stored the first time.
    """
    user = check_text(user, "the user name")
    request = _prepared(store, request)
    with store.session_scope() as session:
        lock_chain(session)
        # the settings as stored when it writes, and the CMS data in force on the date of service
        inputs = engine_inputs_in(session, store, request.date_of_service)
        request = at_facility(request, inputs)
        require(session, user, Permission.RECORD)
        done = _already_recorded(session, request)
        if done is not None:
            return done
        return _record(session, request, user, inputs.rules, replacing=None, zone=inputs.zone)


def void_and_replace(
    store: Store, administration_id: int, reason: str, request: RecordRequest, user: str,
    expected_version: int | None = None,
) -> RecordOutcome:
    """Void one drug and record its correction in the same visit, in one transaction; the new one points to
    the old, and the visit's codes are computed again."""
    user = check_text(user, "the user name")
    reason = check_text(reason, "the reason for the void")
    request = _prepared(store, request)
    with store.session_scope() as session:
        lock_chain(session)
        inputs = engine_inputs_in(session, store, request.date_of_service)
        request = at_facility(request, inputs)
        original = load_for_change(session, administration_id, expected_version)
        require_change_to_record(session, user, original, Permission.CORRECT)
        transition_in_session(
            session, original, user, to_state=ChargeState.VOIDED, reason=reason,
            allowed_from=ACTION_FROM[ChargeAction.VOID], void_reason=reason,
        )
        request = replace(request, visit_id=original.visit_id)
        return _record(session, request, user, inputs.rules, replacing=original, zone=inputs.zone)


def _prepared(store: Store, request: RecordRequest) -> RecordRequest:
    check_record_request(request)
    return replace(request, visit=cleaned(request.visit),
                   drugs=tuple(replace(d, facts=cleaned(d.facts)) for d in request.drugs))


def _drug_request_id(request: RecordRequest, index: int) -> str:
    return request.request_id if index == 0 else str(uuid.uuid5(REQUEST_NAMESPACE, f"{request.request_id}:{index}"))


def _already_recorded(session: Session, request: RecordRequest) -> RecordOutcome | None:
    first = session.execute(
        select(models.Administration).where(models.Administration.request_id == request.request_id)
    ).scalar_one_or_none()
    if first is None:
        return None
    ids = [_drug_request_id(request, i) for i in range(len(request.drugs))]
    rows = session.execute(
        select(models.Administration).where(models.Administration.request_id.in_(ids))
    ).scalars().all()
    by_request = {row.request_id: row for row in rows}
    return _outcome([by_request[i] for i in ids if i in by_request], first.visit)


def _patient(session: Session, request: RecordRequest) -> models.Patient:
    given = request.patient
    mrn = given.mrn.strip()
    patient = patient_by_mrn(session, mrn)
    if patient is None:
        patient = models.Patient(mrn=mrn, name=given.name.strip(), date_of_birth=given.date_of_birth, sex=given.sex)
        session.add(patient)
        session.flush()
        return patient
    if given.sex is not None and patient.sex != given.sex:
        patient.sex = given.sex  # the registration's newest word (claims carry it, issue 19)
    if patient.name.casefold() != given.name.strip().casefold() or patient.date_of_birth != given.date_of_birth:
        raise ServiceError(
            f"MRN {mrn} belongs to {patient.name}, born {patient.date_of_birth.isoformat()}, not to "
            f"{given.name.strip()}, born {given.date_of_birth.isoformat()}: check the MRN and the patient."
        )
    return patient


def _visit_for(session: Session, request: RecordRequest, patient: models.Patient, user: str,
               now: dt.datetime) -> models.Visit:
    """The visit the drugs join: the one named, else the patient's open visit of that date and place, else new."""
    place = request.place_of_service.value if request.place_of_service else None
    if request.visit_id is not None:
        visit = session.get(models.Visit, request.visit_id)
        if visit is None:
            raise ServiceError(f"There is no visit {request.visit_id}.")
        if visit.patient_id != patient.id or visit.date_of_service != request.date_of_service:
            raise ServiceError(
                f"Visit {visit.id} is {visit.patient.name}'s on {visit.date_of_service.isoformat()}, not "
                f"{patient.name}'s on {request.date_of_service.isoformat()}: nothing was saved."
            )
    else:
        candidates = session.execute(
            select(models.Visit).where(
                models.Visit.patient_id == patient.id, models.Visit.date_of_service == request.date_of_service,
                models.Visit.place_of_service == place,
            ).order_by(models.Visit.id.desc())
        ).scalars().all()
        visit = next((v for v in candidates if active_administrations(v)), None)
    if visit is None:
        return _open_visit(session, request, patient, user, now)
    if visit.payer_class != request.payer_class.value:
        raise ServiceError(
            f"Visit {visit.id} of {patient.name} on {visit.date_of_service.isoformat()} is billed to "
            f"{payer_words(visit.payer_class)}, this drug to {payer_words(request.payer_class)}: "
            "one visit has one payer. Check the payer; nothing was saved."
        )
    if visit_facts(visit) != request.visit:
        before = visit_snapshot(visit)
        write_visit_facts(visit, request.visit)
        touch(visit)
        session.flush()
        append_event(session, actor=user, action="update", entity="visit", entity_id=visit.id, before=before,
                     after=visit_snapshot(visit), occurred_at=now)
    return visit


def _open_visit(session: Session, request: RecordRequest, patient: models.Patient, user: str,
                now: dt.datetime) -> models.Visit:
    visit = models.Visit(
        patient_id=patient.id, date_of_service=request.date_of_service,
        place_of_service=request.place_of_service.value if request.place_of_service else None,
        payer_class=request.payer_class.value, facility_type=request.administration.facility_type.value,
        code_revision=0, recorded_by=user, recorded_at=now, version=1,
        administrations=[], code_sets=[],  # known empty: no query loads them later in this transaction
    )
    write_visit_facts(visit, request.visit)
    session.add(visit)
    session.flush()
    append_event(session, actor=user, action="create", entity="visit", entity_id=visit.id, before=None,
                 after=visit_snapshot(visit), occurred_at=now)
    return visit


def _duplicates_elsewhere(session: Session, visit: models.Visit, new: list[Administration],
                          first_index: int) -> list[Finding]:
    """The new drugs checked against the same patient's drugs of that date recorded in other visits."""
    others = session.execute(
        select(models.Visit).where(models.Visit.patient_id == visit.patient_id,
                                   models.Visit.date_of_service == visit.date_of_service, models.Visit.id != visit.id)
    ).scalars().all()
    stored = [
        (f"visit #{other.id}: {row.hcpcs} (administration {row.id})", administration_value(row))
        for other in others for row in active_administrations(other)
    ]
    found: list[Finding] = []
    if stored:
        for offset, adm in enumerate(new):
            found += [replace(f, administration=first_index + offset) for f in duplicate_findings(adm, stored)]
    return found


def _check_findings(findings: list[Finding], request: RecordRequest) -> tuple[Finding, ...]:
    """The warnings acknowledged by this request; raises RefusedError when the drugs cannot be accepted."""
    errors = tuple(f for f in findings if f.severity is Severity.ERROR)
    if errors and not (request.hold_reason and request.hold_reason.strip()):
        raise RefusedError(
            "The record has errors that block the charge; fix them, or save it as held with a reason:\n"
            + describe_findings(errors),
            reason="errors", findings=errors,
        )
    warnings = tuple(f for f in findings if f.severity is Severity.WARNING)
    if request.acknowledge_all:
        return warnings
    missing = tuple(f for f in warnings if f.code not in request.acknowledged_codes)
    if missing:
        raise RefusedError(
            "These warnings must be acknowledged before the record is saved:\n" + describe_findings(missing),
            reason="unacknowledged_warnings", findings=missing,
        )
    return warnings


def _refuse_repeated_serials(stored: list[models.Administration], new: list[Administration], zone: ZoneInfo) -> None:
    """A vial serial twice in one visit is one vial read twice (a scanner double-read), never two vials."""
    named = [(f"{row.hcpcs}, recorded at {row.recorded_at.astimezone(zone):%H:%M}", administration_value(row))
             for row in stored]
    clashes = serial_clashes(named, new)
    if clashes:
        raise ServiceError("The same vial is recorded twice: " + "; ".join(clashes) + ". Remove the repeated "
                           "vial (a scanner may have read it twice); nothing was saved.")


def _record(session: Session, request: RecordRequest, user: str, rules: RuleSet,
            replacing: models.Administration | None, zone: ZoneInfo) -> RecordOutcome:
    now = dt.datetime.now(dt.UTC)
    _, new_user = ensure_user(session, user)
    if new_user:
        append_event(session, actor=user, action="create", entity="user", entity_id=user, before=None,
                     after={"username": user}, occurred_at=now)
    patient = _patient(session, request)
    visit = _visit_for(session, request, patient, user, now)
    stored = active_administrations(visit)
    new = [drug.administration for drug in request.drugs]
    _refuse_repeated_serials(stored, new, zone)
    claim = visit_claim(engine_visit(visit, stored), request.drugs, request.visit, rules)  # as the chair previewed
    result, first = claim.result, claim.first_new
    findings = list(claim.findings)
    findings += _duplicates_elsewhere(session, visit, new, first)
    acknowledged = _check_findings(findings, request)
    held = any(f.severity is Severity.ERROR for f in findings) or bool(request.hold_reason and
                                                                       request.hold_reason.strip())
    rows = [
        _insert_drug(session, request, index, first + index, visit, result, findings, user, now, held,
                     replaces_id=replacing.id if replacing is not None and index == 0 else None)
        for index in range(len(new))
    ]
    for row in rows:
        _acknowledge(session, row, {f.code for f in acknowledged}, user, now)
    names = ", ".join(row.hcpcs for row in rows)
    why = (f"{names} corrected (replaces administration {replacing.id})" if replacing is not None
           else f"{names} added to the visit")
    store_codes(session, visit, result, stored + rows, user, why, now)
    touch(visit)
    session.flush()
    return _outcome(rows, visit)


def _insert_drug(
    session: Session, request: RecordRequest, index: int, visit_index: int, visit: models.Visit,
    result: ChargeResult, findings: list[Finding], user: str, now: dt.datetime, held: bool, replaces_id: int | None,
) -> models.Administration:
    """The request's drug `index`, which the engine computed as the visit's administration `visit_index`."""
    drug = request.drugs[index]
    adm = drug.administration
    position = max((a.position for a in visit.administrations), default=-1) + 1
    row = models.Administration(
        request_id=_drug_request_id(request, index), visit_id=visit.id, position=position, hcpcs=adm.hcpcs,
        ordered_dose_mg=adm.ordered_dose_mg, administered_mg=adm.administered_mg, discarded_mg=adm.discarded_mg,
        # The minutes billed, frozen with the record (documented, or elapsed from start to stop).
        infusion_minutes=adm.minutes, route=adm.route or None, infusion_start=adm.infusion_start,
        infusion_stop=adm.infusion_stop, split_dose_reason=adm.split_dose_reason, free_drug=adm.free_drug,
        carrier=adm.carrier,
        explanations=json.dumps(list(result.explanations)),
        rule_versions=json.dumps(dict(result.rule_versions), sort_keys=True),
        state=(ChargeState.HELD if held else ChargeState.RECORDED).value,
        hold_reason=request.hold_reason.strip() if held and request.hold_reason else None,
        replaces_id=replaces_id, recorded_by=user, recorded_at=now,
    )
    write_drug_facts(row, drug.facts)
    if not adm.discarded_mg:
        row.discarded_by = None  # nobody discarded anything when nothing was discarded
    versions = dict(result.rule_versions)
    row.packages = [package_row(p, i) for i, p in enumerate(adm.packages)]
    mine = [x for x in result.lines if x.administration == visit_index and x.kind is not LineKind.ADMINISTRATION]
    row.lines = [line_row(x, i, versions) for i, x in enumerate(mine)]
    own = [f for f in findings if f.administration == visit_index or (f.administration is None and index == 0)]
    row.findings = [
        models.FindingRow(position=i, code=f.code, severity=f.severity.value, message=f.message)
        for i, f in enumerate(own)
    ]
    visit.administrations.append(row)
    session.add(row)
    session.flush()
    add_state_change(session, row, None, row.state, user, row.hold_reason, now)
    append_event(session, actor=user, action="create", entity="administration", entity_id=row.id,
                 before=None, after=record_snapshot(row, row.lines), occurred_at=now)
    return row


def _acknowledge(session: Session, row: models.Administration, codes: set[str], user: str,
                 now: dt.datetime) -> None:
    for finding_row in row.findings:
        if finding_row.code in codes and finding_row.severity == Severity.WARNING.value:
            finding_row.acknowledgement = models.FindingAcknowledgement(acknowledged_by=user, acknowledged_at=now)
            session.flush()
            append_event(
                session, actor=user, action="acknowledge", entity="finding", entity_id=finding_row.id, before=None,
                after={"administration_id": row.id, "code": finding_row.code, "message": finding_row.message},
                occurred_at=now,
            )


def _outcome(rows: list[models.Administration], visit: models.Visit) -> RecordOutcome:
    first = rows[0]
    index_of = {a.id: i for i, a in enumerate(visit.administrations)}
    current = current_code_set(visit)
    return RecordOutcome(
        id=first.id, state=ChargeState(first.state), version=first.version,
        lines=tuple(line for row in rows for line in drug_lines(row)),
        findings=tuple(finding_value(f) for row in rows for f in row.findings),
        acknowledged_codes=tuple(f.code for row in rows for f in row.findings if f.acknowledgement is not None),
        rule_versions=json.loads(first.rule_versions), visit_id=visit.id, visit_version=visit.version,
        administration_ids=tuple(row.id for row in rows),
        visit_lines=tuple(code_line(x, index_of) for x in (current.lines if current else [])),
    )


