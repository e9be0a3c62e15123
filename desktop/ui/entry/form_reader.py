"""Reads the entry sections into service values (charge form, record request, draft) and writes drafts back."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from desktop.billing.catalog import Catalog
from desktop.billing.model import Administration, PayerClass
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.services.preview import ChargeForm, opened_mg
from desktop.services.views import PatientInput, RecordRequest
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.fact_fields import raw_value, read_facts, set_widget_value
from desktop.ui.field_checks import check_diagnoses, check_mg
from desktop.ui.widgets import FieldMessages


def parse_time(text: str) -> dt.time | None:
    match = re.fullmatch(r"(\d{1,2}):?(\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return dt.time(int(match[1]), int(match[2]))


def parse_birth_date(text: str) -> dt.date | None:
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            born = dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        return born if dt.date(1900, 1, 1) <= born <= dt.date.today() else None
    return None


@dataclass
class FormReading:
    """The form as the services see it, plus what still stops it from being saved."""

    charge: ChargeForm
    messages: dict[FieldMessages, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    diagnoses: tuple[str, ...] = ()
    ordered_mg: Decimal | None = None
    patient: PatientInput | None = None

    @property
    def complete(self) -> bool:
        return not self.missing and not any(self.messages.values())


def read_form(page: EntryPage, catalog: Catalog) -> FormReading:
    """Every field checked; a bad field yields a message beside it and leaves its value empty."""
    visit, amounts, patient = page.visit, page.amounts, page.patient
    vials = page.drug.vials.entries()
    opened = opened_mg(vials, catalog)
    limit = opened if vials else None
    given = check_mg(amounts.administered.text(), "mg given", required=True, at_most=limit)
    discarded = check_mg(amounts.discarded.text(), "mg discarded", required=False, at_most=limit)
    ordered = check_mg(visit.ordered_dose.text(), "ordered dose", required=False)
    diagnoses = check_diagnoses(visit.diagnoses.text())
    start, stop = parse_time(visit.start.text()), parse_time(visit.stop.text())
    time_message = ""
    if (visit.start.text().strip() and start is None) or (visit.stop.text().strip() and stop is None):
        time_message = "Times must be HH:MM on a 24-hour clock, e.g. 09:30 or 14:05."
    elif start and stop and stop < start:
        time_message = "Stop is before start: check the times."
    born = parse_birth_date(patient.birth_date.text())
    born_message = "Date of birth must be MM/DD/YYYY." if patient.birth_date.text().strip() and not born else ""

    charge = ChargeForm(
        date_of_service=visit.date_of_service.date().toPython(),
        hcpcs=page.drug.drug.hcpcs if page.drug.drug else "",
        payer_class=PayerClass(visit.payer_class.currentData()),
        vials=vials,
        administered_mg=given.value,
        discarded_mg=discarded.value,
        start=start,
        stop=stop if time_message == "" else None,
        route=visit.route.currentText(),
        free_drug=page.documentation.free_drug.isChecked(),
        ordered_dose_mg=ordered.value,
    )
    reading = FormReading(charge, ordered_mg=ordered.value, diagnoses=diagnoses.value or ())
    touched_given = bool(amounts.administered.text().strip())
    reading.messages = {
        amounts.administered_messages: given.message if touched_given else "",
        amounts.discarded_messages: discarded.message,
        visit.ordered_messages: ordered.message,
        visit.diagnoses_messages: diagnoses.message if visit.diagnoses.text().strip() else "",
        visit.time_messages: time_message,
        patient.birth_messages: born_message,
    }
    mrn, name = patient.mrn.text().strip(), patient.name.text().strip()
    if mrn and name and born:
        reading.patient = PatientInput(mrn=mrn, name=name, date_of_birth=born)
    else:
        reading.missing.append("the patient (MRN, name and date of birth)")
    if not diagnoses.ok:
        reading.missing.append("a diagnosis code")
    if not charge.hcpcs:
        reading.missing.append("the drug")
    if not vials:
        reading.missing.append("the vials opened")
    if given.value is None:
        reading.missing.append("the mg given")
    return reading


def _aware(day: dt.date, time: dt.time | None) -> dt.datetime | None:
    return dt.datetime.combine(day, time).astimezone() if time else None


def record_request(page: EntryPage, reading: FormReading, *, nurse: str, acknowledged: frozenset[str],
                   hold_reason: str | None, administration: Administration) -> RecordRequest:
    assert reading.patient is not None
    discarded = reading.charge.discarded_mg
    day = reading.charge.date_of_service
    administration = replace(administration, ordered_dose_mg=reading.ordered_mg,
                             infusion_start=_aware(day, reading.charge.start),
                             infusion_stop=_aware(day, reading.charge.stop))
    visit = read_facts(VisitFacts, visit_fact_widgets(page), {"diagnosis_codes": reading.diagnoses, "nurse": nurse})
    facts = DrugFacts(
        waste_witness=page.amounts.witness.text().strip() or None,
        # Nobody discarded anything when nothing was discarded, whatever the prefilled name says.
        discarded_by=(page.amounts.discarded_by.text().strip() or None) if discarded else None,
    )
    return RecordRequest(
        patient=reading.patient, date_of_service=day, payer_class=reading.charge.payer_class,
        drugs=(DrugEntry(administration, facts),), visit=visit,
        acknowledged_codes=acknowledged, hold_reason=hold_reason,
    )


def visit_fact_widgets(page: EntryPage) -> dict[str, QWidget]:
    """Every widget of a documented visit fact on the form, by field name."""
    return page.visit.fact_fields | page.documentation.fact_fields


# Draft keys written before the visit's facts were saved under their field names.
OLD_DRAFT_KEYS = {"prior_auth": "prior_authorization", "consent": "consent_recorded"}


def draft_fields(page: EntryPage) -> dict[str, Any]:
    """Raw text of every field, so a restored draft shows exactly what was typed, mistakes included."""
    rows = [
        {"ndc": r.package.ndc, "count": r.count.value(), "acquired_340b": r.is_340b.isChecked(),
         "lot": r.lot.text(), "expiry": r.expiry.text(), "serial": r.serial}
        for r in page.drug.vials.rows
    ]
    return {
        "mrn": page.patient.mrn.text(), "name": page.patient.name.text(),
        "birth_date": page.patient.birth_date.text(),
        "patient_label": page.patient.name.text() or page.patient.mrn.text(),
        "date_of_service": page.visit.date_of_service.date().toString("yyyy-MM-dd"),
        "payer_class": page.visit.payer_class.currentData(),
        **{name: raw_value(widget) for name, widget in visit_fact_widgets(page).items()},
        "diagnoses": page.visit.diagnoses.text(), "ordered_dose": page.visit.ordered_dose.text(),
        "route": page.visit.route.currentText(), "start": page.visit.start.text(), "stop": page.visit.stop.text(),
        "discarded_by": page.amounts.discarded_by.text(),
        "hcpcs": page.drug.drug.hcpcs if page.drug.drug else "",
        "vials": rows, "administered": page.amounts.administered.text(),
        "discarded": page.amounts.discarded.text(), "discarded_typed": page.amounts.discarded_typed,
        "witness": page.amounts.witness.text(), "free_drug": page.documentation.free_drug.isChecked(),
    }


def has_content(fields: dict[str, Any]) -> bool:
    keys = ("mrn", "name", "hcpcs", "vials", "administered", "diagnoses", "notes")
    return any(fields.get(k) for k in keys)


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
    for widget, key in ((page.visit.diagnoses, "diagnoses"), (page.visit.ordered_dose, "ordered_dose"),
                        (page.visit.start, "start"), (page.visit.stop, "stop"),
                        (page.amounts.administered, "administered"), (page.amounts.discarded, "discarded"),
                        (page.amounts.witness, "witness")):
        widget.setText(str(fields.get(key, "")))
    if "discarded_by" in fields:  # a draft from before this field keeps what the new form was given
        page.amounts.discarded_by.setText(str(fields["discarded_by"]))
    page.visit.route.setCurrentText(str(fields.get("route", "IV")))
    if fields.get("hcpcs"):
        pick_drug(str(fields["hcpcs"]))
    for row in fields.get("vials", []):
        package = catalog.package(str(row.get("ndc", "")))
        if package is None:
            continue
        added = page.drug.vials.add(package, int(row.get("count", 1)), bool(row.get("acquired_340b")),
                                    str(row.get("lot", "")), None, str(row.get("serial", "")))
        added.expiry.setText(str(row.get("expiry", "")))
    page.amounts.discarded_typed = bool(fields.get("discarded_typed"))
    page.documentation.free_drug.setChecked(bool(fields.get("free_drug")))
