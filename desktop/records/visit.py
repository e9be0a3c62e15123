"""The visit (one patient, one date, one place) and the documentation of each drug given in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from desktop.billing.model import Administration
from desktop.records.fields import FieldKind, documented

ADMINISTRATIVE_SEX = {"F": "female", "M": "male", "O": "other", "U": "unknown"}  # HL7 table 0001 (receivers' claims)


@dataclass(frozen=True, slots=True)
class PatientFacts:
    mrn: str
    name: str
    date_of_birth: dt.date
    sex: str | None = None  # a key of ADMINISTRATIVE_SEX; None: not given (kept as stored)


@dataclass(frozen=True, slots=True)
class VisitFacts:
    """What the payer expects documented once per visit (billing-rules sections 7 and 8).

    Add a documented fact here (with its label and limit), as a column of `db.models.Visit`, in a migration,
    on the visit section of the chair screen, and in tests: validation, storage, snapshots, CLI JSON, drafts
    and tickets follow from this definition.
    """

    payer: str | None = documented("Payer", max_length=120, hint="e.g. Medicare Part B, Aetna PPO",
                                   spoken="Payer name")
    prior_authorization: str | None = documented("Prior authorization", max_length=60,
                                                 spoken="Prior authorization number")
    diagnosis_codes: tuple[str, ...] = documented("Diagnoses", kind=FieldKind.DIAGNOSES, words="the diagnosis codes")
    ordering_provider: str | None = documented("Ordering provider", max_length=120, hint="e.g. Dr. Maya Chen",
                                               words="the ordering provider's name")
    ordering_provider_npi: str | None = documented("Ordering NPI", kind=FieldKind.NPI, max_length=10,
                                                   words="the ordering provider's NPI",
                                                   spoken="Ordering provider's NPI")
    nurse: str | None = documented("Administering nurse", max_length=120)
    chair: str | None = documented("Chair", max_length=40, hint="e.g. Chair 3", spoken="Infusion chair or bay")
    consent_recorded: bool = documented("Consent recorded", kind=FieldKind.FLAG, words="consent recorded")
    notes: str | None = documented(
        "Notes", kind=FieldKind.LONG_TEXT, max_length=2000, on_ticket=False, spoken="Medical-necessity notes",
        hint="Medical necessity: prior therapies, test results, reason for the dose")


@dataclass(frozen=True, slots=True)
class DrugFacts:
    """What is documented for one drug of the visit besides the engine's input (who wasted, who witnessed)."""

    waste_witness: str | None = documented("Waste witness", max_length=120)
    discarded_by: str | None = documented("Discarded by", max_length=120, words="who discarded the drug")


@dataclass(frozen=True, slots=True)
class DrugEntry:
    """One drug of a visit as entered: the engine's input and its documentation.

    The administration's date of service, payer class and facility type are the visit's; the services set
    them from the visit before computing, so a drug can never be billed under another visit's payer.
    """

    administration: Administration
    facts: DrugFacts = field(default_factory=DrugFacts)
