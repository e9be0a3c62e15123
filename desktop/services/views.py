"""Frozen values the store services take and return; widgets and the CLI never see ORM rows."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from desktop.billing.model import Administration, ClaimLine, Finding


class ChargeState(StrEnum):
    """Where a charge is in its life: recorded -> verified -> ticket_printed -> posted, or held/voided."""

    RECORDED = "recorded"
    VERIFIED = "verified"
    TICKET_PRINTED = "ticket_printed"
    POSTED = "posted"
    HELD = "held"
    VOIDED = "voided"


@dataclass(frozen=True, slots=True)
class PatientInput:
    mrn: str
    name: str
    date_of_birth: dt.date


@dataclass(frozen=True, slots=True)
class PatientView:
    id: int
    mrn: str
    name: str
    date_of_birth: dt.date


@dataclass(frozen=True, slots=True)
class RecordRequest:
    """Everything documented chairside for one administration, plus the acknowledgements given.

    `administration` is the engine's input; the other fields are the record the
    payer expects (billing-rules section 7). Times must be timezone-aware.
    `request_id` makes a retried save idempotent: the same id is stored once.
    """

    patient: PatientInput
    administration: Administration
    diagnosis_codes: tuple[str, ...] = ()
    payer: str | None = None
    prior_authorization: str | None = None
    ordered_dose_mg: Decimal | None = None
    infusion_start: dt.datetime | None = None
    infusion_stop: dt.datetime | None = None
    nurse: str | None = None
    waste_witness: str | None = None
    discarded_by: str | None = None
    chair: str | None = None
    consent_recorded: bool = False
    notes: str | None = None
    acknowledged_codes: frozenset[str] = frozenset()
    acknowledge_all: bool = False
    hold_reason: str | None = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What was stored: the new administration's id, its state, and the frozen engine output."""

    id: int
    state: ChargeState
    version: int
    lines: tuple[ClaimLine, ...]
    findings: tuple[Finding, ...]
    acknowledged_codes: tuple[str, ...]
    rule_versions: dict[str, str]


@dataclass(frozen=True, slots=True)
class TransitionOutcome:
    """The record after a state change; pass `version` back as `expected_version` next time."""

    id: int
    state: ChargeState
    version: int


@dataclass(frozen=True, slots=True)
class AdministrationSummary:
    """One row of a day's work list."""

    id: int
    version: int
    state: ChargeState
    date_of_service: dt.date
    patient_mrn: str
    patient_name: str
    hcpcs: str
    administered_mg: Decimal
    units: int  # administered plus discarded drug units on the frozen lines
    recorded_by: str
    recorded_at: dt.datetime
    hold_reason: str | None
    replaces_id: int | None


@dataclass(frozen=True, slots=True)
class AcknowledgementView:
    code: str
    message: str
    acknowledged_by: str
    acknowledged_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StateChangeView:
    from_state: ChargeState | None
    to_state: ChargeState
    changed_by: str
    changed_at: dt.datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class AdministrationDetail:
    """A stored administration with everything kept about it."""

    id: int
    version: int
    state: ChargeState
    patient: PatientView
    administration: Administration
    diagnosis_codes: tuple[str, ...]
    payer: str | None
    prior_authorization: str | None
    ordered_dose_mg: Decimal | None
    infusion_start: dt.datetime | None
    infusion_stop: dt.datetime | None
    nurse: str | None
    waste_witness: str | None
    discarded_by: str | None
    chair: str | None
    consent_recorded: bool
    notes: str | None
    recorded_by: str
    recorded_at: dt.datetime
    hold_reason: str | None
    void_reason: str | None
    replaces_id: int | None
    replaced_by_id: int | None
    ticket_pdf_sha256: str | None
    lines: tuple[ClaimLine, ...]
    findings: tuple[Finding, ...]
    explanations: tuple[str, ...]
    rule_versions: dict[str, str]
    acknowledgements: tuple[AcknowledgementView, ...]
    history: tuple[StateChangeView, ...]


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """Result of walking the audit hash chain."""

    ok: bool
    events_checked: int
    first_broken_id: int | None
    message: str
