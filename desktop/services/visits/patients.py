"""Finding patients by MRN prefix or part of the name."""

from __future__ import annotations

from db.repositories import search_patients
from desktop.records.requests import PatientView
from desktop.services.storage.store import Store
from desktop.services.visits.row_values import patient_view

MAX_LIMIT = 500


def find_patients(store: Store, text: str, limit: int = 20) -> list[PatientView]:
    """Patients whose MRN starts with `text` or whose name contains it (case-insensitive); MRN matches first."""
    wanted = (text or "").strip()
    if not wanted:
        return []
    with store.session_scope(write=False) as session:
        rows = search_patients(session, wanted[:200], max(1, min(limit, MAX_LIMIT)))
        return [patient_view(p) for p in rows]
