"""What an imported file changes against the version it replaces, per code and NDC, and the content hash that
makes the same data recognisable as such."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from desktop.interop.cms_files import CmsRow, CrosswalkRow, MueRow, PriceRow

ADDED, CHANGED, REMOVED = "added", "changed", "no longer listed"

# The fields compared per kind, with the words the preview uses for them.
CROSSWALK_FIELDS = (("dosage", "HCPCS dosage"), ("package_size", "PKG SIZE"), ("package_quantity", "PKG QTY"),
                    ("billing_units", "BILLUNITS"), ("units_per_package", "BILLUNITSPKG"),
                    ("short_description", "description"), ("labeler", "labeler"), ("drug_name", "drug name"))
PRICE_FIELDS = (("payment_limit", "payment limit"), ("dosage", "dosage"), ("short_description", "description"),
                ("notes", "notes"))
MUE_FIELDS = (("mue_value", "MUE value"), ("indicator", "adjudication indicator"), ("rationale", "rationale"))


@dataclass(frozen=True, slots=True)
class ReferenceChange:
    """One line of the preview's table: a code (and NDC) added, changed or no longer listed, in words."""

    action: str  # added | changed | no longer listed
    hcpcs: str
    ndc: str  # 5-4-2; "" for the pricing file and the MUE tables
    what: str


def fields_of(kind: str) -> tuple[tuple[str, str], ...]:
    if kind == "crosswalk":
        return CROSSWALK_FIELDS
    return PRICE_FIELDS if kind == "asp" else MUE_FIELDS


def _key(row: CmsRow | dict[str, object]) -> tuple[str, str]:
    if isinstance(row, dict):
        return (str(row.get("ndc11", "")), str(row["hcpcs"]))
    return (row.ndc11, row.hcpcs) if isinstance(row, CrosswalkRow) else ("", row.hcpcs)


def _shown(name: str, value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    if name == "payment_limit" and isinstance(value, Decimal):
        return f"${value:,.3f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


def _same(a: object, b: object) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b  # 10 and 10.00 are the same number
    return a == b


def content_sha256(kind: str, rows: Iterable[CmsRow]) -> str:
    """A hash of the rows' values (not of the file's bytes): the same data gives the same hash, whatever the
    file's title lines, line endings or order of rows."""
    names = [name for name, _ in fields_of(kind)]
    lines = sorted("|".join([*_key(row), *(_canonical(getattr(row, n)) for n in names)]) for row in rows)
    return hashlib.sha256("\n".join([kind, *lines]).encode("utf-8")).hexdigest()


def _canonical(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


def stored_rows(session: Session, kind: str, version_id: int) -> list[dict[str, object]]:
    """The rows of a stored version as plain values, for comparing."""
    names = [name for name, _ in fields_of(kind)]
    table: type[models.ReferenceCrosswalkRow | models.ReferencePaymentLimit | models.ReferenceMueRow]
    if kind == "crosswalk":
        table = models.ReferenceCrosswalkRow
        names = ["ndc11", "ndc", *names]
    else:
        table = models.ReferencePaymentLimit if kind == "asp" else models.ReferenceMueRow
    columns = [getattr(table, n) for n in ["hcpcs", *names]]
    query = select(*columns).where(table.version_id == version_id)
    return [dict(zip(["hcpcs", *names], row, strict=True)) for row in session.execute(query)]


def compare(kind: str, rows: Sequence[CmsRow], before: list[dict[str, object]]) -> tuple[list[ReferenceChange], int]:
    """The changes from `before` (a stored version's rows) to `rows`, and how many rows stayed the same."""
    fields = fields_of(kind)
    old = {_key(row): row for row in before}
    changes: list[ReferenceChange] = []
    unchanged = 0
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = _key(row)
        seen.add(key)
        ndc = row.ndc if isinstance(row, CrosswalkRow) else ""
        previous = old.get(key)
        if previous is None:
            changes.append(ReferenceChange(ADDED, row.hcpcs, ndc, _describe_new(row)))
            continue
        differences = [f"{words} {_shown(name, previous[name])} \u2192 {_shown(name, getattr(row, name))}"
                       for name, words in fields if not _same(previous[name], getattr(row, name))]
        if differences:
            changes.append(ReferenceChange(CHANGED, row.hcpcs, ndc, "; ".join(differences)))
        else:
            unchanged += 1
    for key, previous in old.items():
        if key not in seen:
            changes.append(ReferenceChange(REMOVED, str(previous["hcpcs"]), str(previous.get("ndc", "")),
                                           "in the version in force, not in this file"))
    order = {ADDED: 0, CHANGED: 1, REMOVED: 2}
    changes.sort(key=lambda c: (order[c.action], c.hcpcs, c.ndc))
    return changes, unchanged


def _describe_new(row: CmsRow) -> str:
    if isinstance(row, CrosswalkRow):
        units = _shown("units_per_package", row.units_per_package)
        return f"{row.drug_name or row.short_description}: {units} billing units of {row.dosage} per package"
    if isinstance(row, PriceRow):
        limit = _shown("payment_limit", row.payment_limit)
        return f"payment limit {limit} per {row.dosage or 'billing unit'}"
    assert isinstance(row, MueRow)
    return f"MUE value {row.mue_value}, adjudication indicator {row.indicator_text}"
