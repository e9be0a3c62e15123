"""The UI's single doorway to the services: an open store plus the signed-in user, no sessions or rules here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.billing.tables import RuleSet, load_rules
from desktop.records.requests import (
    AdministrationDetail,
    AdministrationSummary,
    PatientView,
    RecordOutcome,
    RecordRequest,
    TransitionOutcome,
    VisitDetail,
)
from desktop.services.visits.claim_preview import ChargeForm, ChargePreview, preview_visit
from desktop.services.visits.drafts import DraftStore

if TYPE_CHECKING:  # the ticket services load ReportLab; the window starts without them
    from desktop.services.charge_review.visit_actions import VisitOutcome
    from desktop.services.charge_tickets.tickets import TicketRender
    from desktop.services.facility.settings import EngineInputs
    from desktop.services.visits.chair_visit import ChairVisit
    from desktop.services.visits.visit_queries import VisitSummary


@dataclass
class ChairBackend:
    """Calls the service functions with the store and user this window was opened with."""

    store: object  # desktop.services.storage.store.Store; typed loosely so the UI never imports SQLAlchemy types
    user: str
    drafts: DraftStore
    database_label: str

    @property
    def rules(self) -> RuleSet:
        rules: RuleSet = getattr(self.store, "rules", None) or load_rules()
        return rules

    def engine_inputs(self) -> EngineInputs:
        """The rules and facility type the recording service computes with now (a database read)."""
        from desktop.services.facility.settings import engine_inputs

        return engine_inputs(self.store)  # type: ignore[arg-type]

    def preview(self, form: ChargeForm, inputs: EngineInputs | None = None,
                visit: VisitDetail | None = None) -> ChargePreview:
        """The live claim of `visit` (today's open visit, loaded once per patient) with the drug on the form;
        pass the `engine_inputs()` loaded for this form so it matches what is saved. No database here."""
        if inputs is None:
            return preview_visit(form, visit, self.rules)
        return preview_visit(form, visit, inputs.rules, inputs.facility_type, inputs.place_of_service)

    def chair_visit(self, mrn: str, date_of_service: dt.date) -> ChairVisit:
        """The patient's open visit of that date, or what their last visit carries over (a database read)."""
        from desktop.services.visits.chair_visit import chair_visit

        return chair_visit(self.store, mrn, date_of_service)  # type: ignore[arg-type]

    def find_patients(self, text: str) -> list[PatientView]:
        from desktop.services.visits.patients import find_patients

        return find_patients(self.store, text)  # type: ignore[arg-type]

    def record(self, request: RecordRequest) -> RecordOutcome:
        from desktop.services.visits.recording import record_administration

        return record_administration(self.store, request, self.user)  # type: ignore[arg-type]

    def correct(
        self, administration_id: int, reason: str, request: RecordRequest, version: int | None
    ) -> RecordOutcome:
        from desktop.services.visits.recording import void_and_replace

        store = self.store
        return void_and_replace(store, administration_id, reason, request, self.user, version)  # type: ignore[arg-type]

    def list_day(self, day: dt.date) -> list[AdministrationSummary]:
        from desktop.services.visits.visit_queries import list_administrations

        return list_administrations(self.store, date_of_service=day)  # type: ignore[arg-type]

    def list_visits(self, day: dt.date) -> list[VisitSummary]:
        """The visits of `day`, each with its drugs."""
        from desktop.services.visits.visit_queries import list_visits

        return list_visits(self.store, day)  # type: ignore[arg-type]

    def get_visit(self, visit_id: int) -> VisitDetail:
        from desktop.services.visits.visit_queries import get_visit

        return get_visit(self.store, visit_id)  # type: ignore[arg-type]

    def void_visit(self, visit_id: int, reason: str, version: int | None) -> VisitOutcome:
        """Every drug of the visit voided in one transaction, checked against the visit's version."""
        from desktop.services.charge_review.visit_actions import void_visit

        return void_visit(self.store, visit_id, reason, self.user, version)  # type: ignore[arg-type]

    def get(self, administration_id: int) -> AdministrationDetail:
        from desktop.services.visits.visit_queries import get_administration

        return get_administration(self.store, administration_id)  # type: ignore[arg-type]

    def void(self, administration_id: int, reason: str, version: int | None) -> TransitionOutcome:
        from desktop.services.charge_review.transitions import void_administration

        return void_administration(self.store, administration_id, reason, self.user, version)  # type: ignore[arg-type]

    def ticket(self, administration_id: int) -> TicketRender:
        from desktop.services.charge_tickets.tickets import ticket_pdf

        return ticket_pdf(self.store, administration_id)  # type: ignore[arg-type]

    def ticket_printed(self, render: TicketRender) -> TransitionOutcome:
        """Record that `render` was printed; refused (ConflictError) if the record changed since it was rendered."""
        from desktop.services.charge_tickets.tickets import record_ticket_printed

        store = self.store
        return record_ticket_printed(store, render.administration_id, render.sha256, self.user, render.version)  # type: ignore[arg-type]

    def day_tickets(self, day: dt.date, nurse: str | None = None) -> bytes:
        """Every ticket of `day` (optionally one nurse's) in one PDF; nothing is recorded as printed."""
        from desktop.services.charge_tickets.tickets import day_batch_pdf

        return day_batch_pdf(self.store, day, nurse=nurse)  # type: ignore[arg-type]
