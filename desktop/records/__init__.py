"""One definition of what a visit and each of its administrations record; requests, details, snapshots,
validation, CLI JSON, drafts and tickets are derived from these dataclasses and their field metadata."""

from __future__ import annotations

from desktop.records.fields import FieldDoc, FieldKind, documented, field_docs
from desktop.records.visit import DrugEntry, DrugFacts, PatientFacts, VisitFacts

__all__ = [
    "DrugEntry",
    "DrugFacts",
    "FieldDoc",
    "FieldKind",
    "PatientFacts",
    "VisitFacts",
    "documented",
    "field_docs",
]
