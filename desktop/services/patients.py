"""Finding patients by MRN prefix or part of the name."""

from __future__ import annotations

from desktop.services.store import Store
from desktop.services.views import PatientView


def find_patients(store: Store, text: str, limit: int = 20) -> list[PatientView]:
    """Patients whose MRN starts with `text` or whose name contains it (case-insensitive)."""
    raise NotImplementedError
