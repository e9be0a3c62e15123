"""Importing a CMS file: a preview of what it adds, changes and no longer lists, then applying it as one audited
transaction that stores a new version. Nothing changes before `apply_import`; applying the data already in force
is a no-op that says so; stored charges never change (they keep the rule versions they were computed with)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from desktop.interop.cms_files import (
    FAMILIES,
    CmsFile,
    CmsFileError,
    CmsKind,
    CrosswalkRow,
    MueRow,
    PriceRow,
    quarter_label,
    read_cms_file,
)
from desktop.services.errors import ConflictError, ServiceError
from desktop.services.facility.catalog import newest_catalog
from desktop.services.facility.reference.changes import (
    ADDED,
    CHANGED,
    REMOVED,
    ReferenceChange,
    compare,
    content_sha256,
    stored_rows,
)
from desktop.services.facility.reference.in_force import all_versions, in_force_on
from desktop.services.facility.reference.needs import CatalogNeed, catalog_needs
from desktop.services.people.roles import Permission, require
from desktop.services.storage.store import Store
from desktop.services.validation import check_text

MAX_FILE_BYTES = 50 * 2**20  # CMS's files are a few MB; anything far larger is not one of them
REMOVAL_CAUTION = 0.2  # more than this share of the version in force no longer listed: say the file may be cut


@dataclass(frozen=True, slots=True)
class ReplacedVersion:
    """The version in force on the new effective date, which the import replaces from that date."""

    id: int
    quarter: str
    effective_from: dt.date
    imported_by: str
    imported_at: dt.datetime
    file_name: str


@dataclass(frozen=True)
class ImportPreview:
    """What applying the file would do; `can_apply` only without problems, with an effective date, and when it
    is not the data already in force."""

    kind: CmsKind
    file_name: str
    file_sha256: str
    content_sha256: str
    effective_from: dt.date | None
    effective_said_by: str  # "the file's title lines", "the file name", "you"
    rows: tuple[CrosswalkRow | PriceRow | MueRow, ...]
    changes: tuple[ReferenceChange, ...]
    unchanged: int
    notes_skipped: int
    needs: tuple[CatalogNeed, ...] = ()
    uncatalogued_ndcs: int = 0
    replaces: ReplacedVersion | None = None
    problems: tuple[str, ...] = ()
    problem_count: int = 0
    cautions: tuple[str, ...] = ()
    already_in_force: str = ""  # words when the file holds exactly the data in force: nothing to apply
    header_line: int = 0
    title: str = ""

    @property
    def quarter(self) -> str:
        return quarter_label(self.effective_from) if self.effective_from else "(not said)"

    @property
    def can_apply(self) -> bool:
        return not self.problem_count and self.effective_from is not None and not self.already_in_force

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> str:
        """The preview in one paragraph."""
        rows = f"{len(self.rows):,} row{'' if len(self.rows) == 1 else 's'} read"
        head = (f"{self.kind.sentence_words}, effective {self.quarter} "
                f"({self.effective_from.isoformat() if self.effective_from else 'date not said'}): {rows}")
        if self.problem_count:
            problems = "1 problem" if self.problem_count == 1 else f"{self.problem_count:,} problems"
            return f"{head}; {problems} (listed below): nothing can be applied."
        counts = (f"{self.count(ADDED):,} added, {self.count(CHANGED):,} changed, {self.count(REMOVED):,} no longer "
                  f"listed, {self.unchanged:,} unchanged")
        against = (f" against the version in force from {self.replaces.effective_from.isoformat()} "
                   f"({self.replaces.quarter})" if self.replaces else " (the first of its kind)")
        text = f"{head}; {counts}{against}."
        if self.already_in_force:
            text += " " + self.already_in_force
        elif self.effective_from is None:
            text += " Give the date it is effective from before applying."
        return text


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    applied: bool
    message: str
    version_id: int | None = None
    kind: CmsKind | None = None
    effective_from: dt.date | None = None


def _expected(kind: str | None) -> str | None:
    if kind is None or not kind.strip():
        return None
    wanted = kind.strip().lower()
    if wanted not in FAMILIES:
        raise ServiceError(f"{kind!r} is not a kind of CMS file the program reads: use {', '.join(FAMILIES)}.")
    return wanted


def read_file_for_import(data: bytes, file_name: str, kind: str | None = None,
                         progress: Callable[[int, int], None] | None = None) -> CmsFile:
    """The file read, or ServiceError in words (too large, not a CMS file, another kind than asked for)."""
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError(f"{file_name or 'The file'} is {len(data) / 2**20:.0f} MB: CMS's files are a few MB, "
                           "so this is not one of them.")
    try:
        return read_cms_file(data, file_name, _expected(kind), progress)
    except CmsFileError as exc:
        raise ServiceError(str(exc)) from exc


def preview_import(store: Store, data: bytes, file_name: str = "", *, kind: str | None = None,
                   effective: dt.date | None = None,
                   progress: Callable[[int, int], None] | None = None) -> ImportPreview:
    """Read the file and compare it with the version in force on its effective date; nothing is stored."""
    cms = read_file_for_import(data, file_name, kind, progress)
    day = effective or cms.effective
    said_by = "you" if effective else ("the file's title lines" if cms.effective_in_title else "the file name")
    cautions: list[str] = []
    if effective and cms.effective and effective != cms.effective:
        cautions.append(f"The file says it is effective from {cms.effective.isoformat()}; it will be used from "
                        f"{effective.isoformat()} as you asked.")
    if cms.header_year is not None and day is not None and cms.header_year != day.year:
        cautions.append(f"The file's code column names the year {cms.header_year}, but it is to be used from "
                        f"{day.isoformat()}.")
    problems = list(cms.problems)
    if day is None:
        problems.append("The file does not say which quarter it is for: give the date it is effective from "
                        "(--effective YYYY-MM-DD, or the date field on the import page).")
    file_hash = hashlib.sha256(data).hexdigest()
    content = content_sha256(cms.kind.value, cms.rows)
    with store.session_scope(write=False) as session:
        replaced = _in_force(session, cms.kind.value, day) if day else None
        before = stored_rows(session, cms.kind.value, replaced.id) if replaced else []
        replaced_hash = _content_of(session, replaced.id) if replaced else None
        catalog = newest_catalog(session, store.rules.catalog)
    changes, unchanged = compare(cms.kind.value, cms.rows, before)
    removed = sum(1 for c in changes if c.action == REMOVED)
    if before and removed > REMOVAL_CAUTION * len(before):
        cautions.append(f"{removed:,} of the {len(before):,} entries in force would no longer be listed: check that "
                        "the file is complete (not cut short) and of the right kind.")
    needs: tuple[CatalogNeed, ...] = ()
    uncatalogued = 0
    if cms.kind is CmsKind.CROSSWALK:
        needs, uncatalogued = catalog_needs([r for r in cms.rows if isinstance(r, CrosswalkRow)], catalog)
    same = ""
    if replaced is not None and replaced_hash == content:
        same = (f"This file holds the data already in force from {replaced.effective_from.isoformat()} "
                f"({replaced.quarter}, "
                f"imported {replaced.imported_at:%Y-%m-%d} by {replaced.imported_by} from "
                f"{replaced.file_name or 'a file'}): nothing to apply.")
    return ImportPreview(
        kind=cms.kind, file_name=file_name, file_sha256=file_hash, content_sha256=content, effective_from=day,
        effective_said_by=said_by, rows=cms.rows, changes=tuple(changes), unchanged=unchanged,
        notes_skipped=cms.notes_skipped, needs=needs, uncatalogued_ndcs=uncatalogued, replaces=replaced,
        problems=tuple(problems), problem_count=cms.problem_count + (day is None), cautions=tuple(cautions),
        already_in_force=same, header_line=cms.header_line, title=cms.title,
    )


def _in_force(session: Session, kind: str, day: dt.date) -> ReplacedVersion | None:
    version = in_force_on(all_versions(session, kind), day)
    if version is None:
        return None
    row = session.get(models.ReferenceVersion, version.id)
    assert row is not None
    return ReplacedVersion(row.id, row.quarter, row.effective_from, row.imported_by, row.imported_at, row.file_name)


def _content_of(session: Session, version_id: int) -> str:
    return str(session.execute(select(models.ReferenceVersion.content_sha256)
                               .where(models.ReferenceVersion.id == version_id)).scalar_one())


def apply_import(store: Store, preview: ImportPreview, user: str) -> ImportOutcome:
    """Store the previewed file as a new version, in one transaction with its audit event (administrators).
    Refused when the data in force on its date changed since the preview; a no-op, said, when the file holds
    the data already in force."""
    user = check_text(user, "the user name")
    if preview.problem_count:
        raise ServiceError("Nothing was imported: " + (preview.problems[0] if preview.problems else
                                                         "the file has problems."))
    if preview.effective_from is None:
        raise ServiceError("Nothing was imported: give the date the file is effective from.")
    if preview.already_in_force:
        return ImportOutcome(False, preview.already_in_force, preview.replaces.id if preview.replaces else None,
                             preview.kind, preview.effective_from)
    kind = preview.kind.value
    with store.session_scope() as session:
        lock_chain(session)
        require(session, user, Permission.MANAGE_CATALOG)
        now_in_force = _in_force(session, kind, preview.effective_from)
        if (now_in_force.id if now_in_force else None) != (preview.replaces.id if preview.replaces else None):
            raise ConflictError(f"Another {preview.kind.words} was imported for {preview.quarter} since this preview; "
                                "preview the file again.")
        if now_in_force is not None and _content_of(session, now_in_force.id) == preview.content_sha256:
            return ImportOutcome(False, "This file holds the data already in force: nothing to apply.", now_in_force.id,
                                 preview.kind, preview.effective_from)
        now = dt.datetime.now(dt.UTC)
        counts = {"rows": len(preview.rows), ADDED: preview.count(ADDED), CHANGED: preview.count(CHANGED),
                  REMOVED: preview.count(REMOVED), "unchanged": preview.unchanged}
        version = models.ReferenceVersion(
            kind=kind, effective_from=preview.effective_from, quarter=preview.quarter,
            file_name=preview.file_name[:255], file_sha256=preview.file_sha256,
            content_sha256=preview.content_sha256, row_count=len(preview.rows), summary=json.dumps(counts),
            imported_by=user, imported_at=now)
        session.add(version)
        session.flush()
        _insert_rows(session, version.id, preview)
        append_event(session, actor=user, action="reference_import", entity="reference", entity_id=version.id,
                     before=None if now_in_force is None else {
                         "version": now_in_force.id, "quarter": now_in_force.quarter,
                         "effective_from": now_in_force.effective_from.isoformat()},
                     after={"kind": kind, "effective_from": preview.effective_from.isoformat(),
                            "quarter": preview.quarter, "file_name": preview.file_name,
                            "file_sha256": preview.file_sha256, "content_sha256": preview.content_sha256, **counts},
                     occurred_at=now)
        version_id = version.id
    return ImportOutcome(True, f"Imported {preview.kind.words} effective {preview.quarter} "
                               f"({preview.effective_from.isoformat()}): {len(preview.rows):,} rows, version "
                               f"{version_id}.", version_id, preview.kind, preview.effective_from)


def _insert_rows(session: Session, version_id: int, preview: ImportPreview) -> None:
    """The rows as ORM objects, so the audit chain records each one like every other row of the store (db.audit:
    a Core bulk insert would leave them unproven)."""
    rows: list[models.Base]
    if preview.kind is CmsKind.CROSSWALK:
        rows = [models.ReferenceCrosswalkRow(
            version_id=version_id, hcpcs=r.hcpcs, ndc11=r.ndc11, ndc=r.ndc, short_description=r.short_description[:200],
            labeler=r.labeler[:200], drug_name=r.drug_name[:200], dosage=r.dosage[:60], package_size=r.package_size,
            package_quantity=r.package_quantity, billing_units=r.billing_units, units_per_package=r.units_per_package)
            for r in preview.rows if isinstance(r, CrosswalkRow)]
    elif preview.kind is CmsKind.ASP:
        rows = [models.ReferencePaymentLimit(
            version_id=version_id, hcpcs=r.hcpcs, short_description=r.short_description[:200], dosage=r.dosage[:60],
            payment_limit=r.payment_limit, notes=r.notes[:4000])
            for r in preview.rows if isinstance(r, PriceRow)]
    else:
        rows = [models.ReferenceMueRow(
            version_id=version_id, hcpcs=r.hcpcs, mue_value=r.mue_value, indicator=r.indicator,
            indicator_text=r.indicator_text[:120], rationale=r.rationale[:200])
            for r in preview.rows if isinstance(r, MueRow)]
    session.add_all(rows)
