"""Which imported CMS data is in force on a date of service, loaded for the engine, the tickets and the reports.

Per kind, the version in force on a day is the import effective on or before it with the latest effective date
(the newest import among those of the same date). Versions never change, so each one's rows are read once per
process and kept by their content hash (the same data in any database).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from desktop.billing.model import PlaceOfService
from desktop.billing.reference import NO_REFERENCE, CrosswalkEntry, ReferenceData
from desktop.billing.tables import MueLimit, RuleSet

RV = models.ReferenceVersion
KINDS = ("crosswalk", "asp", "mue_practitioner", "mue_outpatient_hospital")
MUE_SETTINGS = {"mue_practitioner": PlaceOfService.OFFICE,
                "mue_outpatient_hospital": PlaceOfService.HOSPITAL_OUTPATIENT}
SOURCE_WORDS = {"crosswalk": "CMS NDC-HCPCS crosswalk", "asp": "CMS ASP pricing file",
                "mue_practitioner": "CMS practitioner services MUE table",
                "mue_outpatient_hospital": "CMS outpatient hospital services MUE table"}


@dataclass(frozen=True, slots=True)
class VersionInForce:
    id: int
    kind: str
    effective_from: dt.date
    quarter: str
    content_sha256: str

    @property
    def label(self) -> str:
        """How a charge's rule versions name it: the quarter and the start of the content hash."""
        return f"{self.quarter} {self.content_sha256[:8]}"

    @property
    def source(self) -> str:
        return f"{SOURCE_WORDS[self.kind]} {self.quarter}"


@dataclass(frozen=True)
class LoadedReference:
    """The data in force on one day, ready for the engine."""

    day: dt.date
    data: ReferenceData
    mue_limits: tuple[MueLimit, ...]
    versions: Mapping[str, VersionInForce]

    def rule_versions(self) -> dict[str, str]:
        return {kind: version.label for kind, version in self.versions.items()}


_CROSSWALKS: dict[str, Mapping[str, tuple[CrosswalkEntry, ...]]] = {}
_LIMITS: dict[str, Mapping[str, Decimal]] = {}
_MUE: dict[str, tuple[tuple[str, int, str], ...]] = {}


def versions_in_force(session: Session, day: dt.date) -> dict[str, VersionInForce]:
    """Per kind, the version in force on `day` (kinds never imported are absent)."""
    rows = session.execute(
        select(RV.id, RV.kind, RV.effective_from, RV.quarter, RV.content_sha256)
        .where(RV.effective_from <= day).order_by(RV.kind, RV.effective_from.desc(), RV.id.desc())
    ).all()
    found: dict[str, VersionInForce] = {}
    for row in rows:
        found.setdefault(row.kind, VersionInForce(*row))
    return found


def all_versions(session: Session, kind: str) -> list[VersionInForce]:
    """Every version of a kind, by effective date then import order."""
    rows = session.execute(
        select(RV.id, RV.kind, RV.effective_from, RV.quarter, RV.content_sha256)
        .where(RV.kind == kind).order_by(RV.effective_from, RV.id)
    ).all()
    return [VersionInForce(*row) for row in rows]


def in_force_on(versions: list[VersionInForce], day: dt.date) -> VersionInForce | None:
    """From `all_versions`: the one in force on `day`."""
    found = None
    for version in versions:
        if version.effective_from <= day:
            found = version
    return found


def crosswalk_of(session: Session, version: VersionInForce) -> Mapping[str, tuple[CrosswalkEntry, ...]]:
    if version.content_sha256 not in _CROSSWALKS:
        X = models.ReferenceCrosswalkRow
        by_ndc: dict[str, list[CrosswalkEntry]] = {}
        for ndc11, hcpcs, dosage, quantity, per_package, drug in session.execute(
            select(X.ndc11, X.hcpcs, X.dosage, X.package_quantity, X.units_per_package, X.drug_name)
            .where(X.version_id == version.id).order_by(X.id)
        ):
            by_ndc.setdefault(ndc11, []).append(CrosswalkEntry(ndc11, hcpcs, dosage, quantity, per_package, drug))
        _CROSSWALKS[version.content_sha256] = MappingProxyType({k: tuple(v) for k, v in by_ndc.items()})
    return _CROSSWALKS[version.content_sha256]


def limits_of(session: Session, version: VersionInForce) -> Mapping[str, Decimal]:
    if version.content_sha256 not in _LIMITS:
        P = models.ReferencePaymentLimit
        _LIMITS[version.content_sha256] = MappingProxyType({
            hcpcs: limit for hcpcs, limit in session.execute(
                select(P.hcpcs, P.payment_limit).where(P.version_id == version.id, P.payment_limit.is_not(None)))
            if limit is not None
        })
    return _LIMITS[version.content_sha256]


def mue_rows_of(session: Session, version: VersionInForce) -> tuple[tuple[str, int, str], ...]:
    if version.content_sha256 not in _MUE:
        M = models.ReferenceMueRow
        _MUE[version.content_sha256] = tuple((hcpcs, value, text) for hcpcs, value, text in session.execute(
            select(M.hcpcs, M.mue_value, M.indicator_text).where(M.version_id == version.id).order_by(M.id)))
    return _MUE[version.content_sha256]


def reference_on(session: Session, day: dt.date, codes: Iterable[str] | None = None) -> LoadedReference:
    """The crosswalk, payment limits and MUE values in force on `day`. MUE limits are made only for `codes`
    (the catalog's: the engine bills no other code), None meaning every code of the table."""
    versions = versions_in_force(session, day)
    crosswalk = versions.get("crosswalk")
    prices = versions.get("asp")
    data = NO_REFERENCE
    if crosswalk is not None or prices is not None:
        data = ReferenceData(
            crosswalk=crosswalk_of(session, crosswalk) if crosswalk else MappingProxyType({}),
            payment_limits=limits_of(session, prices) if prices else MappingProxyType({}),
            crosswalk_source=crosswalk.source if crosswalk else "",
            limits_source=prices.source if prices else "",
        )
    wanted = None if codes is None else frozenset(codes)
    limits: list[MueLimit] = []
    for kind, setting in MUE_SETTINGS.items():
        version = versions.get(kind)
        if version is None:
            continue
        limits += [MueLimit(hcpcs, value, version.effective_from, None, setting, indicator, version.source)
                   for hcpcs, value, indicator in mue_rows_of(session, version)
                   if wanted is None or hcpcs in wanted]
    return LoadedReference(day, data, tuple(limits), versions)


def with_reference(rules: RuleSet, loaded: LoadedReference) -> RuleSet:
    """The rules with the imported data in force: the crosswalk and limits, imported MUE values in place of the
    shipped ones for the codes and settings an imported table covers, and the versions named."""
    if not loaded.versions:
        return rules
    covered = {(m.hcpcs, m.setting) for m in loaded.mue_limits}
    imported_settings = {MUE_SETTINGS[k] for k in loaded.versions if k in MUE_SETTINGS}
    shipped = tuple(m for m in rules.mue_limits
                    if not (m.setting in imported_settings and (m.hcpcs, m.setting) in covered))
    return dataclasses.replace(rules, reference=loaded.data, mue_limits=shipped + loaded.mue_limits,
                               versions={**rules.versions, **loaded.rule_versions()})


def limits_on_days(session: Session, days: Iterable[dt.date]) -> dict[dt.date, Mapping[str, Decimal]]:
    """The payment limits in force on each day (an empty mapping on a day before any pricing file)."""
    versions = all_versions(session, "asp")
    found: dict[dt.date, Mapping[str, Decimal]] = {}
    for day in set(days):
        version = in_force_on(versions, day)
        found[day] = limits_of(session, version) if version else MappingProxyType({})
    return found


def prices_source(session: Session, days: Iterable[dt.date]) -> str:
    """The pricing files the days use, in words ("CMS ASP pricing file 2026 Q1, 2026 Q2"), or ""."""
    versions = all_versions(session, "asp")
    used = sorted({v.quarter for day in set(days) if (v := in_force_on(versions, day)) is not None})
    return f"{SOURCE_WORDS['asp']} {', '.join(used)}" if used else ""
