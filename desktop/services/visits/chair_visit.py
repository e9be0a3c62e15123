"""What the chair loads once per patient (never per keystroke): today's open visit to continue, or else the
documented facts of the patient's last visit to start from (payer, diagnoses, ordering provider)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select

from db import models
from desktop.billing.model import PayerClass
from desktop.records import VisitFacts
from desktop.records.requests import ChargeState, VisitDetail
from desktop.services.storage.store import Store
from desktop.services.visits.row_values import visit_facts
from desktop.services.visits.visit_queries import open_visit_for

LOOK_BACK = 20  # visits examined for the last one still billed; older ones are not a useful start
# What carries over from one visit to the next of the same patient: the payer, the diagnoses and who ordered
# the treatment usually stay for a course; consent, notes, chair and nurse are the new visit's own.
CARRIED_OVER = ("payer", "prior_authorization", "diagnosis_codes", "ordering_provider", "ordering_provider_npi")


@dataclass(frozen=True, slots=True)
class ChairVisit:
    """`open`: the patient's visit of that date still billing a drug (the chair continues it). Otherwise
    `last_facts`/`last_payer_class`/`last_date`: what the patient's previous visit carries over, or None."""

    mrn: str
    date_of_service: dt.date
    open: VisitDetail | None = None
    last_facts: VisitFacts | None = None
    last_payer_class: PayerClass | None = None
    last_date: dt.date | None = None


def carried_over(facts: VisitFacts) -> VisitFacts:
    """The facts of an earlier visit a new visit starts from."""
    return replace(VisitFacts(), **{name: getattr(facts, name) for name in CARRIED_OVER})


def chair_visit(store: Store, mrn: str, date_of_service: dt.date) -> ChairVisit:
    """Today's visit of the patient with this MRN, or what their last earlier visit carries over."""
    mrn = mrn.strip()
    current = open_visit_for(store, mrn, date_of_service)
    if current is not None:
        return ChairVisit(mrn, date_of_service, open=current)
    with store.session_scope(write=False) as session:
        rows = session.execute(
            select(models.Visit).join(models.Patient, models.Patient.id == models.Visit.patient_id)
            .where(models.Patient.mrn == mrn, models.Visit.date_of_service < date_of_service)
            .order_by(models.Visit.date_of_service.desc(), models.Visit.id.desc()).limit(LOOK_BACK)
        ).scalars().all()
        for row in rows:
            if any(a.state != ChargeState.VOIDED.value for a in row.administrations):
                return ChairVisit(mrn, date_of_service, last_facts=carried_over(visit_facts(row)),
                                  last_payer_class=PayerClass(row.payer_class), last_date=row.date_of_service)
    return ChairVisit(mrn, date_of_service)
