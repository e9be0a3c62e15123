"""CMS's quarterly reference data (issue 14): import with a preview, versions, and the data in force on a date."""

from __future__ import annotations

from desktop.services.reference.changes import ADDED, CHANGED, REMOVED, ReferenceChange
from desktop.services.reference.importing import (
    ImportOutcome,
    ImportPreview,
    ReplacedVersion,
    apply_import,
    preview_import,
)
from desktop.services.reference.in_force import LoadedReference, limits_on_days, reference_on, with_reference
from desktop.services.reference.needs import CatalogNeed
from desktop.services.reference.versions import ReferenceVersionView, reference_versions

__all__ = [
    "ADDED",
    "CHANGED",
    "REMOVED",
    "CatalogNeed",
    "ImportOutcome",
    "ImportPreview",
    "LoadedReference",
    "ReferenceChange",
    "ReferenceVersionView",
    "ReplacedVersion",
    "apply_import",
    "limits_on_days",
    "preview_import",
    "reference_on",
    "reference_versions",
    "with_reference",
]
