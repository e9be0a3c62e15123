"""A visit's administration codes: computed over the drugs still billed, kept as append-only revisions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from db import models
from db.audit import append_event
from desktop.billing.engine import compute_visit
from desktop.billing.model import ChargeResult, ClaimLine, FacilityType, LineKind, PayerClass, PlaceOfService, Visit
from desktop.billing.tables import RuleSet
from desktop.records.requests import ChargeState
from desktop.services.visits.row_values import administration_value, code_line, code_line_row, code_set_snapshot

CodeKey = tuple[str, int, str, int | None]


def active_administrations(visit: models.Visit, *, leaving_out: int | None = None) -> list[models.Administration]:
    """The visit's drugs still billed (not voided), in the order they were entered."""
    return [a for a in visit.administrations if a.state != ChargeState.VOIDED.value and a.id != leaving_out]


def engine_visit(visit: models.Visit, administrations: Sequence[models.Administration]) -> Visit:
    """The engine's visit for stored drugs (more may be appended by the caller)."""
    return Visit(
        date_of_service=visit.date_of_service, payer_class=PayerClass(visit.payer_class),
        facility_type=FacilityType(visit.facility_type),
        place_of_service=PlaceOfService(visit.place_of_service or PlaceOfService.HOSPITAL_OUTPATIENT.value),
        administrations=tuple(administration_value(a) for a in administrations),
    )


def touch(visit: models.Visit) -> None:
    """Something in the visit changed: a person acting on the visit as they saw it must now reload it."""
    visit.version = visit.version + 1


def current_code_set(visit: models.Visit) -> models.VisitCodeSet | None:
    return next((c for c in visit.code_sets if c.revision == visit.code_revision), None)


def codes_billing(row: models.Administration) -> tuple[ClaimLine, ...]:
    """The visit's current administration-code lines that bill this drug's administration."""
    current = current_code_set(row.visit)
    index_of = {a.id: i for i, a in enumerate(row.visit.administrations)}
    return tuple(code_line(x, index_of) for x in (current.lines if current else []) if x.administration_id == row.id)


def store_codes(
    session: Session, visit: models.Visit, result: ChargeResult, administrations: Sequence[models.Administration],
    user: str, reason: str, now: dt.datetime,
) -> models.VisitCodeSet | None:
    """Append a new revision of the visit's codes when `result` (computed over `administrations`, in that
    order) bills other codes than the current revision; returns the new revision, or None if unchanged."""
    wanted = [line for line in result.lines if line.kind is LineKind.ADMINISTRATION]
    ids = [a.id for a in administrations]
    new_keys = [
        (line.hcpcs, line.units, ",".join(line.modifiers), ids[line.administration] if line.administration is not None
         else None)
        for line in wanted
    ]
    current = current_code_set(visit)
    old_keys: list[CodeKey] = [
        (x.hcpcs, x.units, x.modifiers, x.administration_id) for x in (current.lines if current else [])
    ]
    if new_keys == old_keys and (current is not None or not new_keys):
        return None
    revision = visit.code_revision + 1
    code_set = models.VisitCodeSet(visit_id=visit.id, revision=revision, reason=reason, created_by=user,
                                   created_at=now)
    versions = dict(result.rule_versions)
    code_set.lines = [code_line_row(line, i, key[3], versions) for i, (line, key) in enumerate(zip(wanted, new_keys,
                                                                                                  strict=True))]
    session.add(code_set)
    visit.code_sets.append(code_set)
    visit.code_revision = revision
    session.flush()
    append_event(session, actor=user, action="codes", entity="visit", entity_id=visit.id, before=None,
                 after=code_set_snapshot(code_set), occurred_at=now)
    return code_set


def recompute_codes(session: Session, visit: models.Visit, rules: RuleSet, user: str, reason: str) -> None:
    """After a drug of the visit was voided: the codes of the drugs still billed (a new revision if they differ)."""
    remaining = active_administrations(visit)
    result = compute_visit(engine_visit(visit, remaining), rules)
    store_codes(session, visit, result, remaining, user, reason, dt.datetime.now(dt.UTC))


def rule_versions_text(result: ChargeResult) -> str:
    return json.dumps(dict(result.rule_versions), sort_keys=True)
