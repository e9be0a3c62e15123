"""The chair: the live preview, today's visit of a patient, patient search, record and correct a drug."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from desktop.facade.desk import Desk

if TYPE_CHECKING:
    from desktop.billing.tables import RuleSet
    from desktop.services.chair_visit import ChairVisit
    from desktop.services.preview import ChargeForm, ChargePreview
    from desktop.services.settings import EngineInputs
    from desktop.services.views import PatientView, RecordOutcome, RecordRequest, VisitDetail


class ChairDoor:
    """What the chair entry asks of the services. Every method but `rules` and `preview` reads or writes the
    database: pages run them through BackgroundQuery (a read) or CollectionOp (a record)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    @property
    def rules(self) -> RuleSet:
        """The rule tables the store was opened with (no database): what the form computes with until the
        facility's own inputs (`engine_inputs`) arrive."""
        return self.desk.store.rules

    def engine_inputs(self) -> EngineInputs:
        """The rules, 340B type, time zone and default 340B answer the recording service computes with now."""
        from desktop.services.settings import engine_inputs

        return engine_inputs(self.desk.store)

    def preview(self, form: ChargeForm, inputs: EngineInputs | None = None,
                visit: VisitDetail | None = None) -> ChargePreview:
        """The live claim of `visit` (today's open visit, loaded once per patient) with the drug on the form,
        computed as the recording service will save it with `inputs`. Pure computation, no database: the chair
        calls it on each keystroke, on the GUI thread."""
        from desktop.services.preview import preview_visit

        if inputs is None:
            return preview_visit(form, visit, self.rules)
        return preview_visit(form, visit, inputs.rules, inputs.facility_type, inputs.place_of_service)

    def chair_visit(self, mrn: str, date_of_service: dt.date) -> ChairVisit:
        """The patient's open visit of that date, or what their last visit carries over."""
        from desktop.services.chair_visit import chair_visit

        return chair_visit(self.desk.store, mrn, date_of_service)

    def find_patients(self, text: str) -> list[PatientView]:
        from desktop.services.patients import find_patients

        return find_patients(self.desk.store, text)

    def record(self, request: RecordRequest) -> RecordOutcome:
        """The drug stored in its visit (the visit made or continued), recorded as done by the signed-in person."""
        from desktop.services.recording import record_administration

        return record_administration(self.desk.store, request, self.desk.user)

    def correct(self, administration_id: int, reason: str, request: RecordRequest,
                version: int | None) -> RecordOutcome:
        """The stored drug voided and `request` saved in its place, in one transaction, checked against the
        version the person corrected."""
        from desktop.services.recording import void_and_replace

        return void_and_replace(self.desk.store, administration_id, reason, request, self.desk.user, version)
