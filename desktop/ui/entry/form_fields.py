"""One table of the chair form's fields: for each, its key in a draft, the engine finding's `field` that names
it, where its widget is, and how its raw text is read and put back. Drafts, their restore, "go to the field of a
finding" and the checks for unsaved content all read this table (the vials, a list of rows, are apart)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from desktop.billing.model import PayerClass
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.fact_fields import raw_value, set_widget_value

Widget = Callable[[EntryPage], QWidget]


def _set_payer(page: EntryPage, value: object) -> None:
    with contextlib.suppress(ValueError):  # a damaged draft keeps the form's payer class
        page.visit.set_payer_class(PayerClass(str(value)))


def _set_day(page: EntryPage, value: object) -> None:
    day = QDate.fromString(str(value), "yyyy-MM-dd")
    if day.isValid():
        page.visit.date_of_service.setDate(day)


@dataclass(frozen=True, slots=True)
class FormField:
    key: str  # in a draft
    widget: Widget
    finding: str | None = None  # the `field` of a finding about it (None: no finding names it)
    content: bool = False  # typed in, it makes a form worth keeping as a draft
    drug: bool = False  # it belongs to the drug being entered (a saved drug leaves the patient and visit on screen)
    read: Callable[[EntryPage], Any] | None = None  # the raw value kept in a draft; default: the widget's text
    write: Callable[[EntryPage, Any], None] | None = None  # put a draft's value back; default: set the text

    def raw(self, page: EntryPage) -> Any:
        return self.read(page) if self.read is not None else raw_value(self.widget(page))

    def restore(self, page: EntryPage, value: Any) -> None:
        if self.write is not None:
            self.write(page, value)
        else:
            set_widget_value(self.widget(page), value)


def _fact(name: str) -> FormField:
    return FormField(name, lambda page: visit_fact_widgets(page)[name], finding=name, content=name == "notes")


def visit_fact_widgets(page: EntryPage) -> dict[str, QWidget]:
    """Every widget of a documented visit fact on the form, by field name."""
    return page.visit.fact_fields | page.amounts.fact_fields


def form_fields(page: EntryPage) -> tuple[FormField, ...]:
    """The table, in the order a draft is put back (the drug last: picking it shows its vial sizes)."""
    return (
        FormField("mrn", lambda p: p.patient.mrn, content=True),
        FormField("name", lambda p: p.patient.name, content=True),
        FormField("birth_date", lambda p: p.patient.birth_date),
        FormField("sex", lambda p: p.patient.sex, read=lambda p: p.patient.sex_code,
                  write=lambda p, value: p.patient.set_sex(value)),
        FormField("date_of_service", lambda p: p.visit.date_of_service, finding="date_of_service",
                  read=lambda p: p.visit.date_of_service.date().toString("yyyy-MM-dd"), write=_set_day),
        FormField("payer_class", lambda p: p.visit.payer_class, finding="payer_class",
                  read=lambda p: p.visit.payer_class.currentData(), write=_set_payer),
        *(_fact(name) for name in visit_fact_widgets(page)),
        FormField("diagnoses", lambda p: p.visit.diagnoses, finding="diagnosis_codes", content=True),
        FormField("ordered_dose", lambda p: p.amounts.ordered_dose, finding="ordered_dose_mg"),
        FormField("start", lambda p: p.amounts.start, finding="infusion_start"),
        FormField("stop", lambda p: p.amounts.stop, finding="infusion_stop"),
        FormField("administered", lambda p: p.amounts.administered, finding="administered_mg", content=True,
                  drug=True),
        FormField("discarded", lambda p: p.amounts.discarded, finding="discarded_mg"),
        FormField("witness", lambda p: p.amounts.witness, finding="waste_witness"),
        FormField("discarded_by", lambda p: p.amounts.discarded_by, finding="discarded_by"),
        FormField("route", lambda p: p.amounts.route, finding="route", read=lambda p: p.amounts.route.currentText(),
                  write=lambda p, value: p.amounts.route.setCurrentText(str(value))),
        FormField("free_drug", lambda p: p.amounts.free_drug, finding="free_drug"),
        FormField("hcpcs", lambda p: p.drug.search, finding="hcpcs", content=True, drug=True,
                  read=lambda p: p.drug.drug.hcpcs if p.drug.drug else "", write=lambda _p, _value: None),
    )


# The vials opened: a list of rows in a draft, apart from the table; typed in, they are content of a drug.
VIALS_KEY = "vials"


def content_keys(page: EntryPage) -> frozenset[str]:
    return frozenset({f.key for f in form_fields(page) if f.content} | {VIALS_KEY})


def drug_keys(page: EntryPage) -> frozenset[str]:
    return frozenset({f.key for f in form_fields(page) if f.drug} | {VIALS_KEY})


def finding_widgets(page: EntryPage) -> dict[str, QWidget]:
    """The widget each finding field names, for the fields of the table."""
    return {f.finding: f.widget(page) for f in form_fields(page) if f.finding is not None}
