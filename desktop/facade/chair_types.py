"""What the chair entry's pages name from the services: the form and preview values, the visit and record
types, the facility's 340B default; and the pure form arithmetic they compute with on each keystroke
(opened mg, the suggested waste, the drug as the engine sees it). Nothing here reads the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.services.facility_basics import Stock340b, workstation_time_zone
from desktop.services.preview import (
    ChargeForm,
    ChargePreview,
    VialEntry,
    build_administration,
    drug_words,
    opened_mg,
    suggest_discarded_mg,
)
from desktop.services.views import (
    AdministrationDetail,
    ChargeState,
    PatientInput,
    PatientView,
    RecordOutcome,
    RecordRequest,
    VisitDetail,
)

if TYPE_CHECKING:  # these modules load SQLAlchemy: named for annotations only
    from desktop.services.chair_visit import ChairVisit as ChairVisit
    from desktop.services.drafts import Settled as Settled
    from desktop.services.settings import EngineInputs as EngineInputs

__all__ = [
    "AdministrationDetail", "ChargeForm", "ChargePreview", "ChargeState", "PatientInput", "PatientView",
    "RecordOutcome", "RecordRequest", "Stock340b", "VialEntry", "VisitDetail", "build_administration",
    "drug_words", "opened_mg", "suggest_discarded_mg", "workstation_time_zone",
]
