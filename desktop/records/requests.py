"""Frozen values the store services take and return (requests, details, outcomes); never ORM rows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from desktop.billing.model import Administration, ClaimLine, FacilityType, Finding, PayerClass, PlaceOfService
from desktop.records import DrugEntry, DrugFacts, PatientFacts, VisitFacts
from desktop.records.charge_states import ChargeState as ChargeState  # re-exported: the state of every detail

PatientInput = PatientFacts  # the patient as entered (MRN, name, date of birth, administrative sex)


@dataclass(frozen=True, slots=True)
class PatientView:
    id: int
    mrn: str
    name: str
    date_of_birth: dt.date
    sex: str | None = None  # as stored: a key of ADMINISTRATIVE_SEX, None when never recorded


@dataclass(frozen=True, slots=True)
class RecordRequest:
    """One or more drugs of a visit as documented chairside, with the visit's facts and the acknowledgements.

    The drugs join the patient's open visit of that date and place (or `visit_id`, checked), else a new visit.
    Each drug's `administration` is the engine's input; its date, payer class and facility type are the
    visit's. Times must be timezone-aware. `request_id` makes a retried save idempotent.
    """

    patient: PatientInput
    date_of_service: dt.date
    payer_class: PayerClass
    drugs: tuple[DrugEntry, ...]
    visit: VisitFacts = field(default_factory=VisitFacts)
    place_of_service: PlaceOfService | None = None  # None: the facility's setting
    visit_id: int | None = None  # add to this visit (it must be the patient's, on that date)
    acknowledged_codes: frozenset[str] = frozenset()
    acknowledge_all: bool = False
    hold_reason: str | None = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def administration(self) -> Administration:
        """The first drug's engine input (a request of one drug is the common case)."""
        return self.drugs[0].administration


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What was stored: the new administrations (the first one's id, state and version), their visit, the
    frozen drug lines of the new administrations and the visit's administration-code lines now."""

    id: int
    state: ChargeState
    version: int
    lines: tuple[ClaimLine, ...]
    findings: tuple[Finding, ...]
    acknowledged_codes: tuple[str, ...]
    rule_versions: dict[str, str]
    visit_id: int = 0
    visit_version: int = 0
    administration_ids: tuple[int, ...] = ()
    visit_lines: tuple[ClaimLine, ...] = ()  # the visit's administration codes after this save


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
    visit_id: int = 0


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
    """A stored administration (one drug) with everything kept about it, and its visit's facts."""

    id: int
    version: int
    state: ChargeState
    patient: PatientView
    administration: Administration  # the engine's input: date, payer, drug, vials, mg, route, times, order
    facts: DrugFacts
    visit_id: int
    visit: VisitFacts
    place_of_service: PlaceOfService | None
    recorded_by: str
    recorded_at: dt.datetime
    hold_reason: str | None
    void_reason: str | None
    replaces_id: int | None
    replaced_by_id: int | None
    ticket_pdf_sha256: str | None
    lines: tuple[ClaimLine, ...]  # the drug lines frozen when it was saved
    findings: tuple[Finding, ...]
    explanations: tuple[str, ...]
    rule_versions: dict[str, str]
    acknowledgements: tuple[AcknowledgementView, ...]
    history: tuple[StateChangeView, ...]

    @property
    def active(self) -> bool:
        return self.state is not ChargeState.VOIDED


@dataclass(frozen=True, slots=True)
class CodeSetView:
    """One revision of the visit's administration codes: when, by whom and why they were computed."""

    revision: int
    reason: str
    created_by: str
    created_at: dt.datetime
    lines: tuple[ClaimLine, ...]  # `administration` is the index in VisitDetail.administrations


@dataclass(frozen=True, slots=True)
class VisitDetail:
    """A visit: its facts, every drug recorded in it (voided ones too, in order) and its administration codes."""

    id: int
    version: int
    patient: PatientView
    date_of_service: dt.date
    payer_class: PayerClass
    facility_type: FacilityType
    place_of_service: PlaceOfService | None
    facts: VisitFacts
    administrations: tuple[AdministrationDetail, ...]
    code_sets: tuple[CodeSetView, ...]
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def code_lines(self) -> tuple[ClaimLine, ...]:
        """The administration codes billed now (the newest revision)."""
        return self.code_sets[-1].lines if self.code_sets else ()

    @property
    def active(self) -> tuple[AdministrationDetail, ...]:
        return tuple(a for a in self.administrations if a.active)

    @property
    def state(self) -> ChargeState | None:
        """The state every drug still billed is in; None when they differ (see `states`)."""
        return visit_state(a.state for a in self.administrations)

    @property
    def lines(self) -> tuple[ClaimLine, ...]:
        """The visit's claim: drug lines of the drugs still billed, then the administration codes."""
        drug_lines = tuple(
            replace(line, administration=index)
            for index, adm in enumerate(self.administrations) if adm.active for line in adm.lines
        )
        return drug_lines + self.code_lines


def visit_state(states: Iterable[ChargeState]) -> ChargeState | None:
    """A visit's state from its drugs': voided when all are; else the one state of those not voided, or None."""
    every = list(states)
    live = {s for s in every if s is not ChargeState.VOIDED}
    if not live:
        return ChargeState.VOIDED if every else None
    return live.pop() if len(live) == 1 else None


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """Result of walking the audit hash chain."""

    ok: bool
    events_checked: int
    first_broken_id: int | None
    message: str
