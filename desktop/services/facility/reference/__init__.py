"""CMS's quarterly reference data (issue 14): import with a preview, versions, and the data in force on a date."""

from __future__ import annotations

from desktop.services.facility.reference.changes import ADDED, CHANGED, REMOVED, ReferenceChange
from desktop.services.facility.reference.importing import (
    ImportOutcome,
    ImportPreview,
    ReplacedVersion,
    apply_import,
    preview_import,
)
from desktop.services.facility.reference.in_force import LoadedReference, limits_on_days, reference_on, with_reference
from desktop.services.facility.reference.needs import CatalogNeed
from desktop.services.facility.reference.versions import ReferenceVersionView, reference_versions

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
