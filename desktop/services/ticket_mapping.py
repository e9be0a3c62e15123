"""Maps a stored administration and the facility settings into the TicketData a charge ticket prints."""

from __future__ import annotations

import datetime as dt

from desktop.billing.catalog import Catalog
from desktop.billing.model import ClaimLine, DoseType, Finding, PackageUse, Severity
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.services.settings import FacilitySettings
from desktop.services.views import AdministrationDetail, ChargeState
from desktop.tickets import text
from desktop.tickets.model import (
    AcknowledgedFinding,
    Facility,
    PaperSize,
    Patient,
    TicketData,
    TicketLine,
    TicketPackage,
    VoidMark,
)

NO_FACILITY_NAME = "Facility name not set (Settings)"
NOT_DOCUMENTED = "not documented"


def ticket_number(administration_id: int) -> str:
    """The ticket number printed and barcoded for an administration: T-000123."""
    return f"T-{administration_id:06d}"


def ticket_data(
    detail: AdministrationDetail,
    settings: FacilitySettings,
    catalog: Catalog,
    *,
    printed_at: dt.datetime,
    paper: PaperSize,
    zone: dt.tzinfo | None = None,
    code_lines: tuple[ClaimLine, ...] = (),
) -> TicketData:
    """The ticket for one stored administration with the visit's codes that bill it; times are shown in `zone`
    (None: this computer's zone)."""
    adm = detail.administration
    visit = detail.visit
    nurse = visit.nurse or detail.recorded_by
    notes = [visit.notes or ""]
    if detail.replaced_by_id is not None:
        notes.insert(0, f"Replaced by ticket {ticket_number(detail.replaced_by_id)}; bill from that ticket.")
    drug = catalog.drug(adm.hcpcs)
    return TicketData(
        facility=_facility(settings),
        ticket_number=ticket_number(detail.id),
        patient=Patient(detail.patient.name, detail.patient.mrn, detail.patient.date_of_birth),
        date_of_service=adm.date_of_service,
        payer=visit.payer or NOT_DOCUMENTED,
        payer_class=adm.payer_class,
        diagnosis_codes=visit.diagnosis_codes,
        ordered_dose_mg=adm.ordered_dose_mg,
        route=adm.route or (drug.route if drug else ""),
        packages=tuple(_package(p, adm.hcpcs, catalog) for p in adm.packages),
        administered_mg=adm.administered_mg,
        discarded_mg=adm.discarded_mg,
        lines=tuple(TicketLine.from_claim_line(line, settings.price_for(line.hcpcs))
                    for line in detail.lines + code_lines),
        nurse=nurse,
        printed_at=_local_time(printed_at, zone),
        prior_auth=visit.prior_authorization or "",
        infusion_start=_local(adm.infusion_start, zone),
        infusion_stop=_local(adm.infusion_stop, zone),
        # As documented: a record without the name (older ones, or the field left empty) prints a dash
        # rather than a guess, so billing sees what is missing (billing-rules section 7).
        discarded_by=(detail.facts.discarded_by or "") if adm.discarded_mg > 0 else "",
        witness=detail.facts.waste_witness or "",
        chair=visit.chair or "",
        findings=_acknowledged(detail, zone),
        notes=" ".join(n for n in notes if n.strip()),
        void=_void(detail, zone),
        replaces_ticket=ticket_number(detail.replaces_id) if detail.replaces_id is not None else None,
        reprint=detail.ticket_pdf_sha256 is not None,
        paper=paper,
    )


def _facility(settings: FacilitySettings) -> Facility:
    facility = settings.ticket_facility()
    if facility.name.strip():
        return facility
    return Facility(NO_FACILITY_NAME, facility.identifiers, facility.address)


def _local_time(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    # astimezone() without a zone follows the computer's DST rules; a fixed offset taken "now" would not.
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def _local(moment: dt.datetime | None, zone: dt.tzinfo | None) -> dt.datetime | None:
    return None if moment is None else _local_time(moment, zone)


def drug_name(use: PackageUse, hcpcs: str, catalog: Catalog) -> str:
    """ "ofatumumab (Arzerra) 100 mg/5 mL": generic and brand from the catalog, strength from the package."""
    strength = text.mg(use.label_mg)
    if use.volume_ml is not None:
        strength += f"/{text.number(use.volume_ml)} mL"
    drug = catalog.drug(use.hcpcs or hcpcs)
    if drug is None:
        return f"{hcpcs} (not in the catalog) {strength}"
    return f"{drug.generic} ({drug.brand}) {strength}"


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
        drug=drug_name(use, hcpcs, catalog),
        ndc11=_ndc11(use.ndc, catalog),
        count=use.count,
        acquired_340b=use.acquired_340b,
        lot=use.lot or "",
        expiry=use.expiry,
        label_mg=use.label_mg,
        multiple_dose=use.dose_type is DoseType.MULTIPLE,
    )


def _acknowledged(detail: AdministrationDetail, zone: dt.tzinfo | None) -> tuple[AcknowledgedFinding, ...]:
    severities = {f.code: f.severity for f in detail.findings}
    return tuple(
        AcknowledgedFinding(
            Finding(ack.code, severities.get(ack.code, Severity.WARNING), ack.message),
            ack.acknowledged_by,
            _local_time(ack.acknowledged_at, zone),
        )
        for ack in detail.acknowledgements
    )


def _void(detail: AdministrationDetail, zone: dt.tzinfo | None) -> VoidMark | None:
    if detail.state is not ChargeState.VOIDED:
        return None
    change = next((h for h in reversed(detail.history) if h.to_state is ChargeState.VOIDED), None)
    reason = (detail.void_reason or (change.reason if change else None) or "").strip()
    return VoidMark(
        reason=reason or "no reason was recorded",
        voided_by=change.changed_by if change else "",
        voided_at=_local_time(change.changed_at, zone) if change else None,
    )
