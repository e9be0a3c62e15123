"""Loads, off the GUI thread and once per patient and date, the visit the chair continues (or the last visit's
facts to start from) and puts it on the form: facts filled in, the saved drugs listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from desktop.billing.catalog import Catalog
from desktop.facade.chair_types import VisitDetail, drug_words
from desktop.records import VisitFacts
from desktop.records.fields import field_docs
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.fact_fields import widget_value, write_facts
from desktop.ui.entry.form_fields import visit_fact_widgets
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade import AppFacade
    from desktop.facade.chair_types import ChairVisit

VisitKey = tuple[str, dt.date]


class VisitLoader(QObject):
    """Holds what was loaded for the patient and date on the form; `visit` is the open visit (or None)."""

    loaded = Signal()  # the form shows the visit (or the last visit's facts) for its patient and date
    failed = Signal(str)

    def __init__(self, page: EntryPage, facade: Callable[[], AppFacade], catalog: Callable[[], Catalog],
                 zone: Callable[[], ZoneInfo]) -> None:
        super().__init__(page)
        self.page = page
        self.facade = facade
        self.catalog = catalog
        self.zone = zone
        self.chair: ChairVisit | None = None
        self.leaving_out: int | None = None  # the drug being corrected: not part of the visit it will join
        self.query = BackgroundQuery(self)
        self._asked: VisitKey | None = None

    @property
    def visit(self) -> VisitDetail | None:
        return self.chair.open if self.chair is not None else None

    def key(self) -> VisitKey | None:
        mrn = self.page.patient.mrn.text().strip()
        return (mrn, self.page.visit.day) if mrn else None

    def visit_for_preview(self) -> VisitDetail | None:
        """The stored visit the drug on the form joins (the corrected drug left out), for the current key."""
        visit = self.visit
        if visit is None or self.chair is None or (self.chair.mrn, self.chair.date_of_service) != self.key():
            return None
        if self.leaving_out is not None:
            visit = replace(visit, administrations=tuple(a for a in visit.administrations if a.id != self.leaving_out))
        return visit

    def drug_names(self) -> list[str]:
        """The names of the drugs the preview's visit holds, by index, and the one on the form after them."""
        visit = self.visit_for_preview()
        names = [drug_words(self.catalog(), a.administration.hcpcs) for a in (visit.active if visit else ())]
        drug = self.page.drug.drug
        return [*names, drug_words(self.catalog(), drug.hcpcs) if drug else "this drug"]

    def load(self, fill: bool = True, force: bool = False) -> None:
        """Ask for the visit of the form's patient and date (unless it was asked for already)."""
        key = self.key()
        if key is None:
            self.forget()
            return
        if key == self._asked and not force:
            return
        self._asked = key
        mrn, day = key
        chair = self.facade().chair
        self.query.run(lambda: chair.chair_visit(mrn, day), lambda found: self._arrived(found, fill),
                       self._failed)

    def forget(self) -> None:
        self.query.cancel()
        self.chair, self._asked, self.leaving_out = None, None, None
        self.page.visit.show_origin("")
        self.page.visit_drugs.show_visit(None, [], self.zone())

    def _failed(self, exc: Exception) -> None:
        self._asked = None
        self.failed.emit(f"\u26a0 The patient's visits could not be read ({exc}); the claim shows this drug only.")
        self.loaded.emit()

    def _arrived(self, found: ChairVisit, fill: bool) -> None:
        if (found.mrn, found.date_of_service) != self.key():
            return  # the form moved on to another patient or date; its own load answers for it
        self.chair = found
        if fill and found.open is not None:
            self._continue(found.open)
        elif fill and found.last_facts is not None:
            self._start_from_last(found)
        else:
            self.page.visit.show_origin("")
        names = [drug_words(self.catalog(), a.administration.hcpcs) for a in (found.open.administrations
                                                                               if found.open else ())]
        self.page.visit_drugs.show_visit(found.open, names, self.zone())
        self.loaded.emit()

    def _continue(self, visit: VisitDetail) -> None:
        """Today's visit: its facts are the visit's, entered once; the form shows them (a change applies to it)."""
        self.page.visit.set_payer_class(visit.payer_class)
        write_facts(replace(visit.facts, nurse=None), visit_fact_widgets(self.page))
        self.page.visit.diagnoses.setText(", ".join(visit.facts.diagnosis_codes))
        self.page.visit.show_origin(f"Continuing today's visit #{visit.id}: its facts are filled in; a change "
                                    "applies to the whole visit.")

    def _start_from_last(self, found: ChairVisit) -> None:
        """A new visit: what the last one carries over fills the fields still empty (the nurse checks them)."""
        assert found.last_facts is not None
        widgets = visit_fact_widgets(self.page)
        filled: list[str] = []
        labels = {doc.name: doc.label.lower() for doc in field_docs(VisitFacts)}
        if found.last_payer_class is not None:
            self.page.visit.set_payer_class(found.last_payer_class)
        for doc in field_docs(VisitFacts):  # the last visit's facts hold only what carries over to a new one
            name, value = doc.name, getattr(found.last_facts, doc.name)
            if not value:
                continue
            if name == "diagnosis_codes":
                if not self.page.visit.diagnoses.text().strip():
                    self.page.visit.diagnoses.setText(", ".join(value))
                    filled.append("diagnoses")
            elif name in widgets and widget_value(widgets[name]) is None:
                write_facts(replace(VisitFacts(), **{name: value}), {name: widgets[name]})
                filled.append(labels[name])
        when = f"{found.last_date:%m/%d/%Y}" if found.last_date else "last"
        self.page.visit.show_origin(f"From the {when} visit: check the payer and diagnoses." if filled else "")
        self.page.visit.origin.setToolTip("Filled in from the last visit: payer class, " + ", ".join(filled))
