"""Reads the entry sections into service values: the charge form (for the live preview) and the record request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from desktop.billing.catalog import Catalog
from desktop.billing.model import Administration, PayerClass
from desktop.facade.chair_types import ChargeForm, PatientInput, RecordRequest, opened_mg
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.fact_fields import read_facts
from desktop.ui.entry.form_fields import visit_fact_widgets
from desktop.ui.field_checks import Checked, check_diagnoses, check_mg, check_time
from desktop.ui.widgets import FieldMessages

UNANSWERED_340B = "the 340B source of each vial (340B stock or not)"


def parse_birth_date(text: str) -> dt.date | None:
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            born = dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        return born if dt.date(1900, 1, 1) <= born <= dt.date.today() else None
    return None


def local_moment(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The instant the facility's clocks showed `time` on `day`; None for a time the clocks skipped (the hour
    lost when daylight-saving time starts). A repeated hour (autumn) is its first occurrence."""
    moment = dt.datetime.combine(day, time, tzinfo=zone)
    back = moment.astimezone(dt.UTC).astimezone(zone)
    return moment if (back.hour, back.minute) == (time.hour, time.minute) else None


@dataclass
class FormReading:
    """The form as the services see it, plus what still stops it from being saved."""

    charge: ChargeForm
    messages: dict[FieldMessages, str] = field(default_factory=dict)  # problems: a field holding no value
    notes: dict[FieldMessages, str] = field(default_factory=dict)  # how an entry was understood
    missing: list[str] = field(default_factory=list)
    diagnoses: tuple[str, ...] = ()
    ordered_mg: Decimal | None = None
    patient: PatientInput | None = None

    @property
    def complete(self) -> bool:
        return not self.missing and not any(self.messages.values())

    @property
    def problems(self) -> list[str]:
        return [text for text in self.messages.values() if text]


def _times(page: EntryPage, day: dt.date, zone: ZoneInfo, reading: FormReading
           ) -> tuple[dt.datetime | None, dt.datetime | None]:
    amounts = page.amounts
    moments: list[dt.datetime | None] = []
    for widget, messages, words in ((amounts.start, amounts.start_messages, "start time"),
                                    (amounts.stop, amounts.stop_messages, "stop time")):
        checked = check_time(widget.text(), words)
        moment = local_moment(day, checked.value, zone) if checked.value is not None else None
        problem = checked.message
        if checked.value is not None and moment is None:
            problem = f"{checked.value:%H:%M} does not exist on {day:%m/%d/%Y}: the clocks moved forward an hour."
        reading.messages[messages] = problem
        reading.notes[messages] = checked.understood
        moments.append(moment)
    start, stop = moments
    if start and stop and stop < start:
        reading.messages[amounts.stop_messages] = "Stop is before start: check the times."
        stop = None
    return start, stop


def _checked(reading: FormReading, messages: FieldMessages, checked: Checked[Any], shown: bool = True) -> None:
    reading.messages[messages] = checked.message if shown else ""
    reading.notes[messages] = checked.understood


def read_form(page: EntryPage, catalog: Catalog, zone: ZoneInfo, nurse: str = "") -> FormReading:
    """Every field checked; a bad field yields a message beside it and leaves its value empty."""
    visit, amounts, patient = page.visit, page.amounts, page.patient
    vials = page.drug.vials.entries()
    opened = opened_mg(vials, catalog)
    limit = opened if vials else None
    given = check_mg(amounts.administered.text(), "mg given", required=True, at_most=limit)
    discarded = check_mg(amounts.discarded.text(), "mg discarded", required=False, at_most=limit)
    ordered = check_mg(amounts.ordered_dose.text(), "ordered dose", required=False)
    diagnoses = check_diagnoses(visit.diagnoses.text())
    day = visit.day
    born = parse_birth_date(patient.birth_date.text())
    visit_facts = read_facts(VisitFacts, visit_fact_widgets(page),
                             {"diagnosis_codes": diagnoses.value or (), "nurse": nurse or None})
    drug_facts = DrugFacts(
        waste_witness=amounts.witness.text().strip() or None,
        # Nobody discarded anything when nothing was discarded, whatever the prefilled name says.
        discarded_by=(amounts.discarded_by.text().strip() or None) if discarded.value else None,
    )
    reading = FormReading(ChargeForm(day, "", PayerClass(visit.payer_class.currentData())),
                          ordered_mg=ordered.value, diagnoses=diagnoses.value or ())
    start, stop = _times(page, day, zone, reading)
    reading.charge = ChargeForm(
        date_of_service=day, hcpcs=page.drug.drug.hcpcs if page.drug.drug else "",
        payer_class=PayerClass(visit.payer_class.currentData()), vials=vials, administered_mg=given.value,
        discarded_mg=discarded.value, start=start, stop=stop, route=amounts.route.currentText(),
        free_drug=amounts.free_drug.isChecked(), ordered_dose_mg=ordered.value, visit=visit_facts, facts=drug_facts,
    )
    _checked(reading, amounts.administered_messages, given, shown=bool(amounts.administered.text().strip()))
    _checked(reading, amounts.discarded_messages, discarded)
    _checked(reading, amounts.ordered_messages, ordered)
    _checked(reading, visit.diagnoses_messages, diagnoses, shown=bool(visit.diagnoses.text().strip()))
    reading.messages[patient.birth_messages] = (
        "Date of birth must be MM/DD/YYYY." if patient.birth_date.text().strip() and not born else "")
    for row in page.drug.vials.rows:
        reading.messages[row.expiry_messages] = row.expiry_problem()
    mrn, name = patient.mrn.text().strip(), patient.name.text().strip()
    if mrn and name and born:
        reading.patient = PatientInput(mrn=mrn, name=name, date_of_birth=born, sex=patient.sex_code)
    else:
        reading.missing.append("the patient (MRN, name and date of birth)")
    if not reading.charge.hcpcs:
        reading.missing.append("the drug")
    if not vials:
        reading.missing.append("the vials opened")
    elif any(v.acquired_340b is None for v in vials):
        reading.missing.append(UNANSWERED_340B)
    if given.value is None:
        reading.missing.append("the mg given")
    return reading


def record_request(reading: FormReading, *, acknowledged: frozenset[str], hold_reason: str | None,
                   administration: Administration) -> RecordRequest:
    """The request the recording service stores: the visit's facts and this drug, computed as previewed."""
    assert reading.patient is not None
    charge = reading.charge
    return RecordRequest(
        patient=reading.patient, date_of_service=charge.date_of_service, payer_class=charge.payer_class,
        drugs=(DrugEntry(administration, charge.facts),), visit=charge.visit,
        acknowledged_codes=acknowledged, hold_reason=hold_reason,
    )
