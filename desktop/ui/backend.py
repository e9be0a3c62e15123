"""LEGACY (issue 17): the old chair presenter's calls, on the window's current facade, until house-entry lands.

MERGE: delete this file once `desktop/ui/entry` calls `facade().chair` (branch house-entry): nothing else uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.billing.tables import RuleSet, load_rules
from desktop.services.drafts import DraftStore
from desktop.services.preview import ChargeForm, ChargePreview, preview_visit
from desktop.services.views import (
    PatientView,
    RecordOutcome,
    RecordRequest,
    VisitDetail,
)

if TYPE_CHECKING:  # the ticket services load ReportLab; the window starts without them
    from desktop.facade import AppFacade
    from desktop.services.chair_visit import ChairVisit
    from desktop.services.settings import EngineInputs


class ChairBackend:
    """Calls the service functions with the store and person of the window's current facade."""

    def __init__(self, facade: Callable[[], AppFacade]) -> None:
        self.facade = facade

    @property
    def store(self) -> object:
        return self.facade().store

    @property
    def user(self) -> str:
        return self.facade().user

    @property
    def drafts(self) -> DraftStore:
        return self.facade().drafts

    @property
    def database_label(self) -> str:
        return self.facade().database_label

    @property
    def rules(self) -> RuleSet:
        rules: RuleSet = getattr(self.store, "rules", None) or load_rules()
        return rules

    def engine_inputs(self) -> EngineInputs:
        """The rules and facility type the recording service computes with now (a database read)."""
        from desktop.services.settings import engine_inputs

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
        from desktop.services.chair_visit import chair_visit

        return chair_visit(self.store, mrn, date_of_service)  # type: ignore[arg-type]

    def find_patients(self, text: str) -> list[PatientView]:
        from desktop.services.patients import find_patients

        return find_patients(self.store, text)  # type: ignore[arg-type]

    def record(self, request: RecordRequest) -> RecordOutcome:
        from desktop.services.recording import record_administration

        return record_administration(self.store, request, self.user)  # type: ignore[arg-type]

    def correct(
        self, administration_id: int, reason: str, request: RecordRequest, version: int | None
    ) -> RecordOutcome:
        from desktop.services.recording import void_and_replace

        store = self.store
        return void_and_replace(store, administration_id, reason, request, self.user, version)  # type: ignore[arg-type]
