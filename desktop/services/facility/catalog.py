"""Catalog maintenance: add or change drugs and packages, import a CSV update after a preview, versioned.

Every change stores a whole new catalog version (append-only `catalog_version`
rows); the newest stored version is the one new charges are computed with,
else the shipped resources/catalog.toml. A charge keeps its frozen lines, the
package values it was recorded with, and the catalog version in its rule
versions, so `stored_catalog(store, version)` shows what it was computed with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from desktop.billing.catalog import Catalog, Drug, Package
from desktop.billing.tables import RuleDataError, parse_catalog
from desktop.services.errors import ConflictError, NotFoundError, ServiceError
from desktop.services.facility.catalog_csv import checked_ndc, hcpcs_code, read_catalog_csv
from desktop.services.people.roles import Permission, require
from desktop.services.storage.store import Store
from desktop.services.validation import check_text

_PARSED: dict[str, Catalog] = {}  # stored versions never change, so a parsed one is kept per version


@dataclass(frozen=True, slots=True)
class CatalogChange:
    kind: str  # "drug" or "package"
    key: str  # HCPCS of a drug, NDC (as labeled) of a package
    before: Drug | Package | None  # None: an addition
    after: Drug | Package
    changed_fields: tuple[str, ...]

    @property
    def action(self) -> str:
        return "add" if self.before is None else "change"

    def describe(self) -> str:
        if self.before is None:
            return f"Add {self.kind} {self.key}"
        parts = [f"{name}: {getattr(self.before, name)} \u2192 {getattr(self.after, name)}"
                 for name in self.changed_fields]
        return f"Change {self.kind} {self.key}: " + "; ".join(parts)


@dataclass(frozen=True)
class CatalogUpdatePreview:
    """What an update would add or change, checked; apply it only when `problems` is empty."""

    base_version: str
    changes: tuple[CatalogChange, ...]
    unchanged: int
    problems: tuple[str, ...]
    catalog: Catalog | None

    @property
    def additions(self) -> tuple[CatalogChange, ...]:
        return tuple(c for c in self.changes if c.before is None)

    @property
    def modifications(self) -> tuple[CatalogChange, ...]:
        return tuple(c for c in self.changes if c.before is not None)

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.changes) and self.catalog is not None

    def summary(self) -> str:
        if self.problems:
            return f"{len(self.problems)} problem(s): nothing can be applied until they are fixed."
        return (f"{len(self.additions)} to add, {len(self.modifications)} to change, "
                f"{self.unchanged} unchanged.")


@dataclass(frozen=True, slots=True)
class CatalogVersionView:
    version: str
    summary: str
    created_by: str
    created_at: dt.datetime | None  # None for the shipped catalog


# documents -----------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return str(value.value if hasattr(value, "value") else value)  # Decimal and DoseType as text


def catalog_document(catalog: Catalog) -> dict[str, Any]:
    """The catalog in the shape `parse_catalog` reads (amounts as text, so nothing is rounded)."""
    def entry(item: Drug | Package) -> dict[str, Any]:
        values = {f.name: _plain(getattr(item, f.name)) for f in fields(item)}
        return {k: v for k, v in values.items() if v is not None}

    return {"version": catalog.version, "drug": [entry(d) for d in catalog.drugs],
            "package": [entry(p) for p in catalog.packages]}


def _parse_stored(version: str, document: str) -> Catalog:
    if version not in _PARSED:
        _PARSED[version] = parse_catalog(json.loads(document), f"stored catalog {version}")
    return _PARSED[version]


def newest_catalog(session: Session, shipped: Catalog) -> Catalog:
    """The newest stored catalog version, else the shipped one (one small query when already parsed)."""
    newest = session.execute(
        select(models.CatalogVersion.id, models.CatalogVersion.version).order_by(models.CatalogVersion.id.desc())
        .limit(1)
    ).first()
    if newest is None:
        return shipped
    if newest.version not in _PARSED:
        document = session.execute(
            select(models.CatalogVersion.document).where(models.CatalogVersion.id == newest.id)
        ).scalar_one()
        return _parse_stored(newest.version, document)
    return _PARSED[newest.version]


def current_catalog(store: Store) -> Catalog:
    with store.session_scope(write=False) as session:
        return newest_catalog(session, store.rules.catalog)


def stored_catalog(store: Store, version: str) -> Catalog:
    """The catalog a charge was computed with, by the version in its rule versions."""
    if version == store.rules.catalog.version:
        return store.rules.catalog
    with store.session_scope(write=False) as session:
        row = session.execute(
            select(models.CatalogVersion).where(models.CatalogVersion.version == version)
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"There is no catalog version {version}.")
        return _parse_stored(row.version, row.document)


def catalog_versions(store: Store) -> list[CatalogVersionView]:
    """Every stored version, newest first, then the shipped one."""
    with store.session_scope(write=False) as session:
        rows = session.execute(
            select(models.CatalogVersion.version, models.CatalogVersion.summary, models.CatalogVersion.created_by,
                   models.CatalogVersion.created_at).order_by(models.CatalogVersion.id.desc())
        ).all()
    shipped = CatalogVersionView(store.rules.catalog.version, "shipped with the application", "", None)
    return [CatalogVersionView(*r) for r in rows] + [shipped]


# previews ------------------------------------------------------------------


def _changed(before: Drug | Package, after: Drug | Package) -> tuple[str, ...]:
    return tuple(f.name for f in fields(before) if getattr(before, f.name) != getattr(after, f.name))


def preview_update(base: Catalog, drugs: tuple[Drug, ...], packages: tuple[Package, ...],
                   problems: tuple[str, ...] = ()) -> CatalogUpdatePreview:
    """Merge entries into `base` by HCPCS and NDC; validate the result as a whole."""
    found = list(problems)
    changes: list[CatalogChange] = []
    unchanged = 0
    new_drugs = {d.hcpcs: d for d in base.drugs}
    for drug in drugs:
        old = new_drugs.get(drug.hcpcs)
        if old == drug:
            unchanged += 1
            continue
        changes.append(CatalogChange("drug", drug.hcpcs, old, drug, _changed(old, drug) if old else ()))
        new_drugs[drug.hcpcs] = drug
    new_packages = {p.ndc11: p for p in base.packages}
    seen: set[str] = set()
    for package in packages:
        if package.ndc11 in seen:
            found.append(f"NDC {package.ndc} is listed twice in the update.")
            continue
        seen.add(package.ndc11)
        if package.hcpcs not in new_drugs:
            found.append(f"NDC {package.ndc}: HCPCS {package.hcpcs} is not in the catalog; add the drug first.")
            continue
        old_package = new_packages.get(package.ndc11)
        if old_package == package:
            unchanged += 1
            continue
        changed = _changed(old_package, package) if old_package else ()
        changes.append(CatalogChange("package", package.ndc, old_package, package, changed))
        new_packages[package.ndc11] = package
    catalog = None
    if not found:
        candidate = Catalog(version=base.version, drugs=tuple(new_drugs.values()),
                            packages=tuple(new_packages.values()))
        try:
            catalog = parse_catalog(catalog_document(candidate), "the updated catalog")
        except RuleDataError as exc:
            found.append(str(exc))
    return CatalogUpdatePreview(base.version, tuple(changes), unchanged, tuple(found), catalog)


def preview_catalog_csv(store: Store, csv_text: str) -> CatalogUpdatePreview:
    """What importing this CSV (format: desktop.services.facility.catalog_csv) would add and change; nothing stored."""
    entries = read_catalog_csv(csv_text)
    return preview_update(current_catalog(store), entries.drugs, entries.packages, entries.problems)


def preview_entry(store: Store, entry: Drug | Package, *, adding: bool) -> CatalogUpdatePreview:
    """One drug or package as entered on the catalog page, checked like an import row; `adding` refuses
    an HCPCS or NDC that is already in the catalog (change that entry instead)."""
    problems: list[str] = []
    try:
        hcpcs_code(entry.hcpcs)
        if isinstance(entry, Package):
            checked_ndc(entry.ndc)
            if not entry.label_mg.is_finite() or entry.label_mg <= 0:
                raise ValueError("the label mg (unit size) must be more than zero")
        elif not entry.mg_per_unit.is_finite() or entry.mg_per_unit <= 0:
            raise ValueError("the mg per billing unit must be more than zero")
    except ValueError as exc:
        problems.append(str(exc)[:1].upper() + str(exc)[1:] + ".")
    base = current_catalog(store)
    if adding and not problems:
        if isinstance(entry, Package) and (same := base.package(entry.ndc)) is not None:
            problems.append(f"NDC {entry.ndc} is already in the catalog ({same.description}); change that "
                            "package instead of adding it again.")
        if isinstance(entry, Drug) and base.drug(entry.hcpcs) is not None:
            problems.append(f"HCPCS {entry.hcpcs} is already in the catalog; change that drug instead.")
    if problems:
        return CatalogUpdatePreview(base.version, (), 0, tuple(problems), None)
    drugs = (entry,) if isinstance(entry, Drug) else ()
    packages = (entry,) if isinstance(entry, Package) else ()
    return preview_update(base, drugs, packages)


# applying ------------------------------------------------------------------


def apply_catalog_update(store: Store, preview: CatalogUpdatePreview, user: str) -> CatalogVersionView:
    """Store the previewed catalog as a new version (administrators); refused if the catalog moved on."""
    user = check_text(user, "the user name")
    if not preview.can_apply or preview.catalog is None:
        raise ServiceError("Nothing to apply: " + (" ".join(preview.problems) or "the update changes nothing."))
    with store.session_scope() as session:
        lock_chain(session)
        require(session, user, Permission.MANAGE_CATALOG)
        current = newest_catalog(session, store.rules.catalog)
        if current.version != preview.base_version:
            raise ConflictError(f"The catalog was changed (now version {current.version}) since this preview "
                                f"of version {preview.base_version}; preview the update again.")
        count = session.execute(select(func.count(models.CatalogVersion.id))).scalar_one()
        now = dt.datetime.now(dt.UTC)
        content = json.dumps(catalog_document(preview.catalog) | {"version": ""}, sort_keys=True)
        # The content hash in the name makes a version name mean one catalog in any database,
        # so parsed versions can be cached by name across stores.
        version = f"{now:%Y-%m-%d}.local{count + 1}-{hashlib.sha256(content.encode()).hexdigest()[:8]}"
        text = json.dumps(catalog_document(preview.catalog) | {"version": version}, sort_keys=True)
        summary = "; ".join(c.describe() for c in preview.changes)[:4000]
        session.add(models.CatalogVersion(version=version, document=text, summary=summary, created_by=user,
                                          created_at=now))
        append_event(session, actor=user, action="catalog_update", entity="catalog", entity_id=version,
                     before={"version": current.version},
                     after={"version": version, "changes": [
                         {"action": c.action, "kind": c.kind, "key": c.key, "fields": list(c.changed_fields)}
                         for c in preview.changes]},
                     occurred_at=now)
    _parse_stored(version, text)
    return CatalogVersionView(version, summary, user, now)


def save_catalog_entry(store: Store, entry: Drug | Package, user: str, *, adding: bool) -> CatalogVersionView:
    """Add or change one drug or package (administrators); ServiceError lists what is wrong."""
    preview = preview_entry(store, entry, adding=adding)
    if preview.problems:
        raise ServiceError("The catalog was not changed:\n" + "\n".join(f"- {p}" for p in preview.problems))
    return apply_catalog_update(store, preview, user)
