"""Maps a stored visit (every drug and its administration codes) and the facility settings into a ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.billing.catalog import Catalog
from desktop.billing.model import ClaimLine, DoseType, Finding, PackageUse, PlaceOfService, Severity
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.records import DrugFacts, VisitFacts, field_docs
from desktop.records.charge_states import STATE_WORDS
from desktop.records.fields import display
from desktop.records.requests import AdministrationDetail, ChargeState, VisitDetail
from desktop.services.facility.settings import FacilitySettings
from desktop.tickets import text
from desktop.tickets.ticket_data import (
    AcknowledgedFinding,
    Facility,
    PaperSize,
    Patient,
    TicketData,
    TicketDrug,
    TicketFact,
    TicketLine,
    TicketPackage,
    VoidMark,
)

NO_FACILITY_NAME = "Facility name not set (Settings)"
PLACE_WORDS = {PlaceOfService.HOSPITAL_OUTPATIENT: "Hospital (POS 22)", PlaceOfService.OFFICE: "Office (POS 11)"}
VISIT_FACT_DOCS = tuple(doc for doc in field_docs(VisitFacts) if doc.on_ticket)
DRUG_FACT_DOCS = tuple(doc for doc in field_docs(DrugFacts) if doc.on_ticket)

# The expected payer allowance of one claim line on a date of service, or None when no payment limit is known
# (the reference data's ASP payment limits, issue 14); the ticket shows the column only when one is known.
AllowanceFor = Callable[[ClaimLine, dt.date], Decimal | None]


def ticket_number(visit_id: int) -> str:
    """The ticket number printed and barcoded for a visit: T-000123. A visit migrated from a one-drug record
    kept that record's id, so its ticket keeps the number it was printed with."""
    return f"T-{visit_id:06d}"


@dataclass(frozen=True, slots=True)
class TicketContext:
    """What a ticket needs besides the visit: settings, catalog, when and where it is printed, who is who."""

    settings: FacilitySettings
    catalog: Catalog
    printed_at: dt.datetime
    paper: PaperSize
    zone: dt.tzinfo | None = None  # None: this computer's zone
    people: Mapping[str, str] = field(default_factory=dict)  # user name -> display name ("Nora Nurse, RN")
    other_visits: Mapping[int, int] = field(default_factory=dict)  # administration id -> its visit, outside this one
    allowance_for: AllowanceFor | None = None

    def local(self, moment: dt.datetime) -> dt.datetime:
        # astimezone() without a zone follows the computer's DST rules; a fixed offset taken "now" would not.
        return moment.astimezone(self.zone) if self.zone is not None else moment.astimezone()

    def local_or_none(self, moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None else self.local(moment)

    def person(self, user: str) -> str:
        """A user's full name and credentials as their account shows them, else the name as recorded."""
        return self.people.get(user.strip(), user) if user else ""


def visit_ticket_data(visit: VisitDetail, context: TicketContext) -> TicketData:
    """The ticket of one stored visit: every drug (voided ones struck through), the administration codes billed,
    the documented facts as the record's definition lists them, times in the facility's zone."""
    numbers = {adm.id: n for n, adm in enumerate(visit.administrations, start=1)}
    drugs = tuple(_drug(adm, numbers, visit, context) for adm in visit.administrations)
    state = visit.state
    nurse = context.person(visit.facts.nurse or visit.recorded_by)
    witnesses = tuple(dict.fromkeys(w for adm in visit.active if (w := (adm.facts.waste_witness or "").strip())))
    replaced_elsewhere = [adm.replaces_id for adm in visit.administrations
                          if adm.replaces_id is not None and adm.replaces_id not in numbers]
    return TicketData(
        facility=_facility(context.settings),
        ticket_number=ticket_number(visit.id),
        patient=Patient(visit.patient.name, visit.patient.mrn, visit.patient.date_of_birth),
        date_of_service=visit.date_of_service,
        payer_class=visit.payer_class,
        drugs=drugs,
        code_lines=_code_lines(visit, context),
        nurse=nurse,
        printed_at=context.local(context.printed_at),
        facts=_visit_facts(visit.facts, nurse),
        state=STATE_WORDS[state].on_ticket if state is not None else "Differs by drug",
        place_of_service=PLACE_WORDS.get(visit.place_of_service or context.settings.place_of_service, ""),
        code_revision=_code_revision(visit, context),
        witnesses=witnesses,
        findings=tuple(f for adm in visit.administrations if adm.active for f in _acknowledged(adm, numbers, context)),
        notes=" ".join(_replaced_by_notes(visit, numbers, context)),
        void=_visit_void(visit, drugs),
        replaces_ticket=(ticket_number(context.other_visits[replaced_elsewhere[0]])
                         if replaced_elsewhere and replaced_elsewhere[0] in context.other_visits else None),
        reprint=any(adm.ticket_pdf_sha256 is not None for adm in visit.administrations),
        paper=context.paper,
    )


def _visit_facts(facts: VisitFacts, nurse: str) -> tuple[TicketFact, ...]:
    # The nurse is recorded as the signed-in user name; the ticket prints who that is (name and credentials).
    shown = {"nurse": nurse}
    return tuple(TicketFact(doc.label, shown.get(doc.name) or display(doc, getattr(facts, doc.name)))
                 for doc in VISIT_FACT_DOCS)


def _drug(adm: AdministrationDetail, numbers: Mapping[int, int], visit: VisitDetail,
          context: TicketContext) -> TicketDrug:
    engine = adm.administration
    number = numbers[adm.id]
    catalog_drug = context.catalog.drug(engine.hcpcs)
    states_differ = visit.state is None
    return TicketDrug(
        number=number,
        hcpcs=engine.hcpcs,
        name=f"{catalog_drug.generic} ({catalog_drug.brand})" if catalog_drug else "not in the catalog",
        packages=tuple(_package(p, engine.hcpcs, context.catalog) for p in engine.packages),
        administered_mg=engine.administered_mg,
        discarded_mg=engine.discarded_mg,
        lines=tuple(_line(line, number, visit, context) for line in adm.lines),
        route=engine.route or (catalog_drug.route if catalog_drug else ""),
        ordered_dose_mg=engine.ordered_dose_mg,
        infusion_start=context.local_or_none(engine.infusion_start),
        infusion_stop=context.local_or_none(engine.infusion_stop),
        # As documented: a name left empty prints a dash, never a guess, so billing sees what is missing (section 7).
        facts=tuple(TicketFact(doc.label, display(doc, getattr(adm.facts, doc.name))) for doc in DRUG_FACT_DOCS),
        state=STATE_WORDS[adm.state].on_ticket if states_differ and adm.active else "",
        void=_void(adm, context),
        replaces=_where(adm.replaces_id, numbers, context),
        replaced_by=_where(adm.replaced_by_id, numbers, context),
        split_dose_reason=engine.split_dose_reason or "",
    )


def _where(administration_id: int | None, numbers: Mapping[int, int], context: TicketContext) -> str:
    if administration_id is None:
        return ""
    if administration_id in numbers:
        return f"drug {numbers[administration_id]}"
    visit_id = context.other_visits.get(administration_id)
    return f"ticket {ticket_number(visit_id)}" if visit_id is not None else f"record {administration_id}"


def _line(line: ClaimLine, drug: int | None, visit: VisitDetail, context: TicketContext) -> TicketLine:
    allowance = context.allowance_for(line, visit.date_of_service) if context.allowance_for else None
    return TicketLine.from_claim_line(line, context.settings.price_for(line.hcpcs), drug=drug, allowance=allowance)


def _code_lines(visit: VisitDetail, context: TicketContext) -> tuple[TicketLine, ...]:
    return tuple(_line(line, None, visit, context) for line in visit.code_lines)


def _code_revision(visit: VisitDetail, context: TicketContext) -> str:
    if not visit.code_sets:
        return "Administration codes: none computed for this visit."
    billed = visit.code_sets[-1]
    when = text.date_time(context.local(billed.created_at))
    return (f"Administration codes: revision {billed.revision} of this visit (computed {when} by "
            f"{context.person(billed.created_by)}: {billed.reason}).")


def _facility(settings: FacilitySettings) -> Facility:
    facility = settings.ticket_facility()
    if facility.name.strip():
        return facility
    return Facility(NO_FACILITY_NAME, facility.identifiers, facility.address)


def drug_name(use: PackageUse, hcpcs: str, catalog: Catalog) -> str:
    """ "100 mg/5 mL": the strength of a package of the drug's own code; with the drug's name when the package
    belongs to another code (or to none the catalog knows)."""
    strength = text.mg(use.label_mg)
    if use.volume_ml is not None:
        strength += f"/{text.number(use.volume_ml)} mL"
    if use.hcpcs in (None, hcpcs):
        return strength
    drug = catalog.drug(use.hcpcs)
    return f"{drug.generic} ({drug.brand}) {strength}" if drug else f"{use.hcpcs} {strength}"


def _ndc11(ndc: str | None, catalog: Catalog) -> str:
    if not ndc:
        return "none"
    entry = catalog.package(ndc)
    if entry is not None:
        return entry.ndc11
    try:
        return to_ndc11(ndc)
    except NdcFormatError:
        return ndc  # printed as recorded, so the biller sees what the nurse saw


def _package(use: PackageUse, hcpcs: str, catalog: Catalog) -> TicketPackage:
    return TicketPackage(
        description=drug_name(use, hcpcs, catalog),
        ndc11=_ndc11(use.ndc, catalog),
        count=use.count,
        acquired_340b=use.acquired_340b,
        lot=use.lot or "",
        expiry=use.expiry,
        label_mg=use.label_mg,
        multiple_dose=use.dose_type is DoseType.MULTIPLE,
        serial=use.serial or "",
    )


def _acknowledged(adm: AdministrationDetail, numbers: Mapping[int, int],
                  context: TicketContext) -> tuple[AcknowledgedFinding, ...]:
    severities = {f.code: f.severity for f in adm.findings}
    return tuple(
        AcknowledgedFinding(
            Finding(ack.code, severities.get(ack.code, Severity.WARNING), ack.message),
            context.person(ack.acknowledged_by),
            context.local(ack.acknowledged_at),
            drug=numbers[adm.id],
        )
        for ack in adm.acknowledgements
    )


def _void(adm: AdministrationDetail, context: TicketContext) -> VoidMark | None:
    if adm.state is not ChargeState.VOIDED:
        return None
    change = next((h for h in reversed(adm.history) if h.to_state is ChargeState.VOIDED), None)
    reason = (adm.void_reason or (change.reason if change else None) or "").strip()
    return VoidMark(
        reason=reason or "no reason was recorded",
        voided_by=context.person(change.changed_by) if change else "",
        voided_at=context.local(change.changed_at) if change else None,
    )


def _visit_void(visit: VisitDetail, drugs: tuple[TicketDrug, ...]) -> VoidMark | None:
    """The VOID banner of a visit whose every drug is voided: each distinct reason once, the last void's who."""
    marks = [d.void for d in drugs if d.void is not None]
    if not marks or len(marks) != len(drugs):
        return None
    reasons = list(dict.fromkeys(m.reason for m in marks))
    if len(reasons) > 1:
        reasons = [f"drug {d.number}: {d.void.reason}" for d in drugs if d.void is not None]
    last = max(marks, key=lambda m: m.voided_at or dt.datetime.min.replace(tzinfo=dt.UTC))
    return VoidMark("; ".join(reasons), last.voided_by, last.voided_at)


def _replaced_by_notes(visit: VisitDetail, numbers: Mapping[int, int], context: TicketContext) -> list[str]:
    """For drugs corrected on another visit's ticket (records made before visits existed)."""
    return [f"Drug {numbers[adm.id]} was replaced by {_where(adm.replaced_by_id, numbers, context)}; bill from "
            "that ticket." for adm in visit.administrations
            if adm.replaced_by_id is not None and adm.replaced_by_id not in numbers]
