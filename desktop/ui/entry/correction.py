"""Fills the entry form from a stored record, to view it or to start its correction; times in the facility's zone."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from desktop.billing.catalog import Catalog
from desktop.facade.chair_types import AdministrationDetail
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.fact_fields import write_facts
from desktop.ui.entry.form_fields import visit_fact_widgets
from desktop.ui.entry.vials_table import VialRow

# Records stored before consent was a field of its own kept it as the first line of the notes.
OLD_CONSENT_LINE = "Consent recorded."


def _mg(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def fill_from_record(page: EntryPage, detail: AdministrationDetail, catalog: Catalog,
                     pick_drug: Callable[[str], None], zone: ZoneInfo) -> None:
    adm, visit, facts = detail.administration, detail.visit, detail.facts
    amounts = page.amounts
    page.patient.mrn.setText(detail.patient.mrn)
    page.patient.name.setText(detail.patient.name)
    page.patient.birth_date.setText(f"{detail.patient.date_of_birth:%m/%d/%Y}")
    page.patient.set_sex(detail.patient.sex)
    page.visit.set_day(adm.date_of_service)
    page.visit.set_payer_class(adm.payer_class)
    write_facts(visit, visit_fact_widgets(page))
    page.visit.diagnoses.setText(", ".join(visit.diagnosis_codes))
    amounts.ordered_dose.setText(_mg(adm.ordered_dose_mg))
    if adm.route:
        amounts.route.setCurrentText(adm.route)
    for field, moment in ((amounts.start, adm.infusion_start), (amounts.stop, adm.infusion_stop)):
        field.setText(moment.astimezone(zone).strftime("%H:%M") if moment else "")
    pick_drug(adm.hcpcs)
    rows: dict[tuple[str, str, object, bool | None], VialRow] = {}
    for use in adm.packages:
        package = catalog.package(use.ndc) if use.ndc else None
        if package is None:
            continue
        key = (package.ndc, use.lot or "", use.expiry, use.acquired_340b)
        row = rows.get(key)
        if row is None:  # scanned vials of one lot were one row on the form: they are again
            rows[key] = page.drug.vials.add(package, use.count, use.acquired_340b, use.lot or "", use.expiry,
                                            (use.serial,) if use.serial else ())
        elif use.serial:
            row.serials.append(use.serial)
            row.set_count(row.count + use.count)
        else:
            row.set_count(row.count + use.count)
    amounts.administered.setText(_mg(adm.administered_mg))
    amounts.discarded.setText(_mg(adm.discarded_mg))
    amounts.discarded_typed = True
    amounts.discarded_by.setText(facts.discarded_by or "")  # as recorded: no guess for older records
    amounts.witness.setText(facts.waste_witness or "")
    notes = visit.notes or ""
    old_consent = notes.startswith(OLD_CONSENT_LINE)
    amounts.consent.setChecked(visit.consent_recorded or old_consent)
    page.visit.notes.setPlainText(notes.removeprefix(OLD_CONSENT_LINE).strip()
                                  if old_consent else notes)
    amounts.free_drug.setChecked(adm.free_drug)
