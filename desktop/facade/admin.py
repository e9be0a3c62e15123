"""Administration: facility and interface settings, users and roles, catalog, CMS data, audit trail.

Every method is a plain blocking call for a page to run off the GUI thread (CollectionOp for a change,
BackgroundQuery for a read). The services check the person's role themselves; what they refuse comes back as a
ServiceError in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.facade.desk import Desk

if TYPE_CHECKING:
    from desktop.billing.catalog import Catalog, Package
    from desktop.facade.admin_types import (
        AccountView,
        AuditChoices,
        AuditEventView,
        AuditQuery,
        AuditVerification,
        CatalogUpdatePreview,
        CatalogVersionView,
        FacilitySettings,
        ImportOutcome,
        ImportPreview,
        ReferenceVersionView,
        Role,
        SettingsToEdit,
    )

ProgressReport = Callable[[int, int], None]  # (done, total); raises OperationCancelled once cancelled


class AdminDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    # settings ------------------------------------------------------------------

    def settings_to_edit(self) -> SettingsToEdit:
        """The stored settings and the rules in effect (shipped payer policies, the catalog's drugs)."""
        from desktop.facade.admin_types import SettingsToEdit
        from desktop.services.settings import get_facility_settings, rules_in_effect

        store = self.desk.store
        return SettingsToEdit(get_facility_settings(store), rules_in_effect(store))

    def save_settings(self, settings: FacilitySettings) -> FacilitySettings:
        """Store every field (administrators), audited; ServiceError lists what is wrong."""
        from desktop.services.settings import save_facility_settings

        return save_facility_settings(self.desk.store, settings, self.desk.user)

    # users ---------------------------------------------------------------------

    def users(self) -> list[AccountView]:
        from desktop.services.users import list_users

        return list_users(self.desk.store)

    def create_user(self, username: str, password: str, role: Role, display_name: str) -> AccountView:
        from desktop.services.users import create_user

        return create_user(self.desk.store, username, password, role, self.desk.person, display_name)

    def change_role(self, username: str, role: Role) -> AccountView:
        from desktop.services.users import change_role

        return change_role(self.desk.store, username, role, self.desk.person)

    def set_disabled(self, username: str, disabled: bool) -> AccountView:
        from desktop.services.users import set_user_disabled

        return set_user_disabled(self.desk.store, username, disabled, self.desk.person)

    def reset_password(self, username: str, password: str) -> AccountView:
        from desktop.services.users import reset_password

        return reset_password(self.desk.store, username, password, self.desk.person)

    def unlock(self, username: str) -> AccountView:
        from desktop.services.users import unlock_user

        return unlock_user(self.desk.store, username, self.desk.person)

    # the drug catalog ----------------------------------------------------------

    def catalog(self) -> Catalog:
        """The catalog version in use."""
        from desktop.services.catalog_admin import current_catalog

        return current_catalog(self.desk.store)

    def save_package(self, package: Package, *, adding: bool) -> CatalogVersionView:
        """Add or change one package as a new catalog version (administrators)."""
        from desktop.services.catalog_admin import save_catalog_entry

        return save_catalog_entry(self.desk.store, package, self.desk.user, adding=adding)

    def preview_catalog_csv(self, text: str) -> CatalogUpdatePreview:
        """What a catalog update CSV would add and change; nothing is stored."""
        from desktop.services.catalog_admin import preview_catalog_csv

        return preview_catalog_csv(self.desk.store, text)

    def apply_catalog_update(self, preview: CatalogUpdatePreview) -> CatalogVersionView:
        """Store a previewed update as a new catalog version; refused if the catalog moved on since."""
        from desktop.services.catalog_admin import apply_catalog_update

        return apply_catalog_update(self.desk.store, preview, self.desk.user)

    def export_catalog_csv(self, catalog: Catalog, path: Path) -> Path:
        """Write `catalog` (as shown) to `path` as the update CSV format."""
        from desktop.services.catalog_csv import write_catalog_csv
        from desktop.services.errors import ServiceError

        try:
            path.write_text(write_catalog_csv(catalog.drugs, catalog.packages), encoding="utf-8")
        except OSError as exc:
            raise ServiceError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
        return path

    # CMS reference data --------------------------------------------------------

    def reference_versions(self) -> list[ReferenceVersionView]:
        from desktop.services.reference import reference_versions

        return reference_versions(self.desk.store)

    def preview_reference_file(self, path: Path, *, kind: str | None, effective: dt.date | None,
                               progress: ProgressReport | None = None) -> ImportPreview:
        """Read a CMS file and say what importing it would change (nothing is stored)."""
        from desktop.services.errors import ServiceError
        from desktop.services.reference import preview_import

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ServiceError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        return preview_import(self.desk.store, data, path.name, kind=kind, effective=effective, progress=progress)

    def apply_reference_import(self, preview: ImportPreview) -> ImportOutcome:
        """Store a previewed CMS file as a new version (administrators), in one transaction."""
        from desktop.services.reference import apply_import

        return apply_import(self.desk.store, preview, self.desk.user)

    # the audit trail -----------------------------------------------------------

    def audit_choices(self) -> AuditChoices:
        from desktop.facade.admin_types import AuditChoices
        from desktop.services.audit_log import audit_choices

        actors, actions, _entities = audit_choices(self.desk.store, self.desk.person)
        return AuditChoices(tuple(actors), tuple(actions))

    def audit_events(self, query: AuditQuery) -> list[AuditEventView]:
        """Matching events, oldest first (administrators only)."""
        from desktop.services.audit_log import list_audit_events

        return list_audit_events(self.desk.store, self.desk.person, query)

    def verify_audit_chain(self) -> AuditVerification:
        """Every event's keyed hash and link and the rows against the chain (administrators only)."""
        from desktop.services.audit import verify_audit_chain

        return verify_audit_chain(self.desk.store, self.desk.person)

    def export_audit_csv(self, events: list[AuditEventView], path: Path) -> int:
        """Write `events` to `path` as CSV, readable by its owner only (the snapshots hold patient data)."""
        from desktop.services.audit_log import audit_csv
        from desktop.services.errors import ServiceError
        from desktop.services.private_output import save_private

        try:
            save_private(path, audit_csv(events))
        except OSError as exc:
            raise ServiceError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
        return len(events)
