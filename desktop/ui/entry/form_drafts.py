"""The entry form as a draft (raw text of every field, mistakes included) and back onto the form, by the table
of the form's fields (form_fields)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.billing.catalog import Catalog
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.form_fields import VIALS_KEY, content_keys, drug_keys, form_fields

# Draft keys written before the visit's facts were saved under their field names.
OLD_DRAFT_KEYS = {"prior_auth": "prior_authorization", "consent": "consent_recorded"}


def draft_fields(page: EntryPage) -> dict[str, Any]:
    """Raw text of every field, so a restored draft shows exactly what was typed, mistakes included."""
    rows = [
        {"ndc": r.package.ndc, "count": r.count, "acquired_340b": r.acquired_340b, "lot": r.lot.text(),
         "expiry": r.expiry.text(), "serials": list(r.serials)}
        for r in page.drug.vials.rows
    ]
    return {
        **{field.key: field.raw(page) for field in form_fields(page)},
        "patient_label": page.patient.name.text() or page.patient.mrn.text(),
        VIALS_KEY: rows, "discarded_typed": page.amounts.discarded_typed,
    }


def has_content(page: EntryPage, fields: dict[str, Any]) -> bool:
    return any(fields.get(k) for k in content_keys(page))


def has_drug(page: EntryPage, fields: dict[str, Any]) -> bool:
    """Something typed for a drug (not only the patient and the visit, which a saved drug leaves on screen)."""
    return any(fields.get(k) for k in drug_keys(page))


def _answer(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def restore_fields(page: EntryPage, fields: dict[str, Any], catalog: Catalog,
                   pick_drug: Callable[[str], None]) -> None:
    """Put a draft back on the (cleared) form; a field the draft lacks (a draft from before it existed) keeps what
    the form was given; unknown or damaged entries are skipped, never fatal."""
    for old, new in OLD_DRAFT_KEYS.items():
        if old in fields and new not in fields:
            fields = {**fields, new: fields[old]}
    for field in form_fields(page):
        if field.key in fields:
            field.restore(page, fields[field.key])
    if fields.get("hcpcs"):
        pick_drug(str(fields["hcpcs"]))
    for row in fields.get(VIALS_KEY, []):
        package = catalog.package(str(row.get("ndc", "")))
        if package is None:
            continue
        serials = [str(s) for s in row.get("serials", []) if s] or ([str(row["serial"])] if row.get("serial") else [])
        added = page.drug.vials.add(package, int(row.get("count", 1)), _answer(row.get("acquired_340b")),
                                    str(row.get("lot", "")), None, tuple(serials))
        added.expiry.setText(str(row.get("expiry", "")))
    page.amounts.discarded_typed = bool(fields.get("discarded_typed"))
