"""The entry form as a draft (raw text of every field, mistakes included) and back onto the form."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QDate

from desktop.billing.catalog import Catalog
from desktop.billing.model import PayerClass
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.fact_fields import raw_value, set_widget_value
from desktop.ui.entry.form_reader import visit_fact_widgets

# Draft keys written before the visit's facts were saved under their field names.
OLD_DRAFT_KEYS = {"prior_auth": "prior_authorization", "consent": "consent_recorded"}
DRUG_KEYS = ("hcpcs", "vials", "administered")  # a draft without these holds no drug: nothing unsaved of one


def draft_fields(page: EntryPage) -> dict[str, Any]:
    """Raw text of every field, so a restored draft shows exactly what was typed, mistakes included."""
    rows = [
        {"ndc": r.package.ndc, "count": r.count, "acquired_340b": r.acquired_340b, "lot": r.lot.text(),
         "expiry": r.expiry.text(), "serials": list(r.serials)}
        for r in page.drug.vials.rows
    ]
    amounts = page.amounts
    return {
        "mrn": page.patient.mrn.text(), "name": page.patient.name.text(),
        "birth_date": page.patient.birth_date.text(),
        "patient_label": page.patient.name.text() or page.patient.mrn.text(),
        "date_of_service": page.visit.date_of_service.date().toString("yyyy-MM-dd"),
        "payer_class": page.visit.payer_class.currentData(),
        **{name: raw_value(widget) for name, widget in visit_fact_widgets(page).items()},
        "diagnoses": page.visit.diagnoses.text(), "ordered_dose": amounts.ordered_dose.text(),
        "route": amounts.route.currentText(), "start": amounts.start.text(), "stop": amounts.stop.text(),
        "discarded_by": amounts.discarded_by.text(),
        "hcpcs": page.drug.drug.hcpcs if page.drug.drug else "",
        "vials": rows, "administered": amounts.administered.text(),
        "discarded": amounts.discarded.text(), "discarded_typed": amounts.discarded_typed,
        "witness": amounts.witness.text(), "free_drug": amounts.free_drug.isChecked(),
    }


def has_content(fields: dict[str, Any]) -> bool:
    keys = ("mrn", "name", "hcpcs", "vials", "administered", "diagnoses", "notes")
    return any(fields.get(k) for k in keys)


def has_drug(fields: dict[str, Any]) -> bool:
    """Something typed for a drug (not only the patient and the visit, which a saved drug leaves on screen)."""
    return any(fields.get(k) for k in DRUG_KEYS)


def _answer(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def restore_fields(page: EntryPage, fields: dict[str, Any], catalog: Catalog, pick_drug: Any) -> None:
    """Put a draft back on the form; unknown or damaged entries are skipped, never fatal."""
    page.patient.mrn.setText(str(fields.get("mrn", "")))
    page.patient.name.setText(str(fields.get("name", "")))
    page.patient.birth_date.setText(str(fields.get("birth_date", "")))
    day = QDate.fromString(str(fields.get("date_of_service", "")), "yyyy-MM-dd")
    if day.isValid():
        page.visit.date_of_service.setDate(day)
    with contextlib.suppress(ValueError):
        page.visit.set_payer_class(PayerClass(fields.get("payer_class", "medicare")))
    for old, new in OLD_DRAFT_KEYS.items():
        if old in fields and new not in fields:
            fields = {**fields, new: fields[old]}
    for name, fact in visit_fact_widgets(page).items():
        if name in fields:  # a draft from before a fact existed keeps what the new form was given
            set_widget_value(fact, fields[name])
    amounts = page.amounts
    for widget, key in ((page.visit.diagnoses, "diagnoses"), (amounts.ordered_dose, "ordered_dose"),
                        (amounts.start, "start"), (amounts.stop, "stop"),
                        (amounts.administered, "administered"), (amounts.discarded, "discarded"),
                        (amounts.witness, "witness")):
        widget.setText(str(fields.get(key, "")))
    if "discarded_by" in fields:  # a draft from before this field keeps what the new form was given
        amounts.discarded_by.setText(str(fields["discarded_by"]))
    amounts.route.setCurrentText(str(fields.get("route", "IV")))
    if fields.get("hcpcs"):
        pick_drug(str(fields["hcpcs"]))
    for row in fields.get("vials", []):
        package = catalog.package(str(row.get("ndc", "")))
        if package is None:
            continue
        serials = [str(s) for s in row.get("serials", []) if s] or ([str(row["serial"])] if row.get("serial") else [])
        added = page.drug.vials.add(package, int(row.get("count", 1)), _answer(row.get("acquired_340b")),
                                    str(row.get("lot", "")), None, tuple(serials))
        added.expiry.setText(str(row.get("expiry", "")))
    amounts.discarded_typed = bool(fields.get("discarded_typed"))
    amounts.free_drug.setChecked(bool(fields.get("free_drug")))
