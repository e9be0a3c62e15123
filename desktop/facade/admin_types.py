"""The values the Administration pages show and send, re-exported from the services (pages import no service).

This module loads the services (and SQLAlchemy) when imported: pages import it inside the method that needs a
class at run time, and under TYPE_CHECKING for annotations, so the first window still shows before the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.billing.tables import RuleSet
from desktop.services.audit import AuditVerification
from desktop.services.audit_log import AuditEventView, AuditQuery
from desktop.services.catalog_admin import CatalogChange, CatalogUpdatePreview, CatalogVersionView
from desktop.services.reference import ImportOutcome, ImportPreview, ReferenceVersionView
from desktop.services.roles import ROLE_LABELS, Role
from desktop.services.settings import (
    ChargeCode,
    FacilityIdentifier,
    FacilitySettings,
    PaperSize,
    PayerPolicyOverride,
    Stock340b,
    UnitPrice,
)
from desktop.services.users import AccountView


@dataclass(frozen=True, slots=True)
class SettingsToEdit:
    """The stored facility settings and the rules in effect with them (the payer policies and the catalog's
    drugs the settings page lists), read in one go."""

    settings: FacilitySettings
    rules: RuleSet


@dataclass(frozen=True, slots=True)
class AuditChoices:
    """What the audit filters offer: the people and kinds of event found in the trail."""

    actors: tuple[str, ...]
    actions: tuple[str, ...]


__all__ = [
    "ROLE_LABELS",
    "AccountView",
    "AuditChoices",
    "AuditEventView",
    "AuditQuery",
    "AuditVerification",
    "CatalogChange",
    "CatalogUpdatePreview",
    "CatalogVersionView",
    "ChargeCode",
    "FacilityIdentifier",
    "FacilitySettings",
    "ImportOutcome",
    "ImportPreview",
    "PaperSize",
    "PayerPolicyOverride",
    "ReferenceVersionView",
    "Role",
    "SettingsToEdit",
    "Stock340b",
    "UnitPrice",
]
