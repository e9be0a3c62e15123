"""Conversions between stored rows and the frozen values the services return."""

from __future__ import annotations

import json
from typing import Any

from db import models
from desktop.billing.model import (
    Administration,
    ClaimLine,
    DoseType,
    FacilityType,
    Finding,
    LineKind,
    NdcDetail,
    PackageUse,
    PayerClass,
    Severity,
)
from desktop.records import DrugFacts, VisitFacts
from desktop.records.fields import FieldKind, field_docs, to_plain
from desktop.records.requests import ChargeState, PatientView, StateChangeView


def patient_view(row: models.Patient) -> PatientView:
    return PatientView(id=row.id, mrn=row.mrn, name=row.name, date_of_birth=row.date_of_birth, sex=row.sex)


def package_row(package: PackageUse, position: int) -> models.PackageOpened:
    return models.PackageOpened(
        position=position, ndc=package.ndc, lot=package.lot, expiry=package.expiry, count=package.count,
        label_mg=package.label_mg, dose_type=package.dose_type.value, acquired_340b=package.acquired_340b,
        volume_ml=package.volume_ml, ndc_unit=package.ndc_unit, hcpcs=package.hcpcs, serial=package.serial,
    )


def package_use(row: models.PackageOpened) -> PackageUse:
    return PackageUse(
        label_mg=row.label_mg, count=row.count, dose_type=DoseType(row.dose_type), acquired_340b=row.acquired_340b,
        ndc=row.ndc, lot=row.lot, expiry=row.expiry, volume_ml=row.volume_ml, ndc_unit=row.ndc_unit, hcpcs=row.hcpcs,
        serial=row.serial,
    )


def line_row(line: ClaimLine, position: int, rule_versions: dict[str, str]) -> models.ChargeLine:
    return models.ChargeLine(
        position=position, hcpcs=line.hcpcs, kind=line.kind.value, units=line.units,
        modifiers=",".join(line.modifiers),
        ndc11=line.ndc.ndc11 if line.ndc else None,
        ndc_qualifier=line.ndc.qualifier if line.ndc else None,
        ndc_unit=line.ndc.unit if line.ndc else None,
        ndc_quantity=line.ndc.quantity if line.ndc else None,
        reason=line.reason, rule_versions=json.dumps(rule_versions, sort_keys=True),
    )


def code_line_row(line: ClaimLine, position: int, administration_id: int | None,
                  rule_versions: dict[str, str]) -> models.VisitCodeLine:
    return models.VisitCodeLine(
        position=position, hcpcs=line.hcpcs, units=line.units, modifiers=",".join(line.modifiers),
        reason=line.reason, administration_id=administration_id,
        rule_versions=json.dumps(rule_versions, sort_keys=True),
    )


def code_line(row: models.VisitCodeLine, index_of: dict[int, int]) -> ClaimLine:
    """A stored administration-code line; `index_of` maps administration ids to their index in the visit."""
    modifiers = tuple(m for m in row.modifiers.split(",") if m)
    index = index_of.get(row.administration_id) if row.administration_id is not None else None
    return ClaimLine(hcpcs=row.hcpcs, kind=LineKind.ADMINISTRATION, units=row.units, modifiers=modifiers,
                     reason=row.reason, administration=index)


def drug_lines(row: models.Administration) -> tuple[ClaimLine, ...]:
    """The drug lines frozen with an administration (records saved before visits also kept their
    administration codes here; those are read from the visit's first code revision now)."""
    return tuple(claim_line(x) for x in row.lines if x.kind != LineKind.ADMINISTRATION.value)


def visit_facts(row: models.Visit) -> VisitFacts:
    """The visit's documented facts, read field by field as `VisitFacts` defines them."""
    values: dict[str, Any] = {}
    for doc in field_docs(VisitFacts):
        value = getattr(row, doc.name)
        values[doc.name] = tuple(json.loads(value)) if doc.kind is FieldKind.DIAGNOSES else value
    return VisitFacts(**values)


def write_visit_facts(row: models.Visit, facts: VisitFacts) -> None:
    for doc in field_docs(VisitFacts):
        value = getattr(facts, doc.name)
        setattr(row, doc.name, json.dumps(list(value)) if doc.kind is FieldKind.DIAGNOSES else value)


def drug_facts(row: models.Administration) -> DrugFacts:
    return DrugFacts(**{doc.name: getattr(row, doc.name) for doc in field_docs(DrugFacts)})


def write_drug_facts(row: models.Administration, facts: DrugFacts) -> None:
    for doc in field_docs(DrugFacts):
        setattr(row, doc.name, getattr(facts, doc.name))


def claim_line(row: models.ChargeLine) -> ClaimLine:
    ndc = None
    if row.ndc11 is not None and row.ndc_quantity is not None:
        ndc = NdcDetail(
            ndc11=row.ndc11, qualifier=row.ndc_qualifier or "N4", unit=row.ndc_unit or "UN", quantity=row.ndc_quantity
        )
    modifiers = tuple(m for m in row.modifiers.split(",") if m)
    return ClaimLine(
        hcpcs=row.hcpcs, kind=LineKind(row.kind), units=row.units, modifiers=modifiers, ndc=ndc, reason=row.reason
    )


def finding_value(row: models.FindingRow) -> Finding:
    return Finding(code=row.code, severity=Severity(row.severity), message=row.message)


def administration_value(row: models.Administration) -> Administration:
    """The engine's input as it was saved (the visit gives the date, payer class and facility type)."""
    visit = row.visit
    return Administration(
        date_of_service=visit.date_of_service, hcpcs=row.hcpcs, payer_class=PayerClass(visit.payer_class),
        facility_type=FacilityType(visit.facility_type), packages=tuple(package_use(p) for p in row.packages),
        administered_mg=row.administered_mg, discarded_mg=row.discarded_mg,
        infusion_minutes=row.infusion_minutes, free_drug=row.free_drug, route=row.route,
        ordered_dose_mg=row.ordered_dose_mg, infusion_start=row.infusion_start, infusion_stop=row.infusion_stop,
        split_dose_reason=row.split_dose_reason, carrier=row.carrier,
    )


def state_change_view(row: models.StateChange) -> StateChangeView:
    return StateChangeView(
        from_state=ChargeState(row.from_state) if row.from_state else None, to_state=ChargeState(row.to_state),
        changed_by=row.changed_by, changed_at=row.changed_at, reason=row.reason,
    )


def state_snapshot(row: models.Administration) -> dict[str, Any]:
    """What an audit event keeps of a record's changeable part (before/after a transition)."""
    return {
        "state": row.state, "version": row.version, "hold_reason": row.hold_reason,
        "void_reason": row.void_reason, "ticket_pdf_sha256": row.ticket_pdf_sha256,
    }


def visit_snapshot(row: models.Visit) -> dict[str, Any]:
    """What an audit event keeps of a visit: who, when, where, and its documented facts."""
    return {
        "patient_id": row.patient_id, "date_of_service": row.date_of_service.isoformat(),
        "place_of_service": row.place_of_service, "payer_class": row.payer_class,
        "facility_type": row.facility_type, **to_plain(visit_facts(row)), "version": row.version,
    }


def record_snapshot(row: models.Administration, lines: list[models.ChargeLine]) -> dict[str, Any]:
    """What the create event keeps: the documented drug and its frozen lines."""
    return {
        "request_id": row.request_id, "visit_id": row.visit_id, "position": row.position, "hcpcs": row.hcpcs,
        "ordered_dose_mg": None if row.ordered_dose_mg is None else str(row.ordered_dose_mg),
        "administered_mg": str(row.administered_mg), "discarded_mg": str(row.discarded_mg),
        "infusion_minutes": row.infusion_minutes, "route": row.route,
        "infusion_start": row.infusion_start.isoformat() if row.infusion_start else None,
        "infusion_stop": row.infusion_stop.isoformat() if row.infusion_stop else None,
        **to_plain(drug_facts(row)), "split_dose_reason": row.split_dose_reason, "free_drug": row.free_drug,
        "carrier": row.carrier,
        "replaces_id": row.replaces_id, "rule_versions": json.loads(row.rule_versions),
        "packages": [
            {"ndc": p.ndc, "count": p.count, "lot": p.lot, "expiry": p.expiry.isoformat() if p.expiry else None,
             "serial": p.serial, "acquired_340b": p.acquired_340b, "label_mg": str(p.label_mg)}
            for p in row.packages
        ],
        "lines": [
            {"hcpcs": x.hcpcs, "kind": x.kind, "units": x.units, "modifiers": x.modifiers, "ndc11": x.ndc11,
             "ndc_unit": x.ndc_unit, "ndc_quantity": None if x.ndc_quantity is None else str(x.ndc_quantity)}
            for x in lines
        ],
        **state_snapshot(row),
    }


def code_set_snapshot(code_set: models.VisitCodeSet) -> dict[str, Any]:
    return {
        "visit_id": code_set.visit_id, "revision": code_set.revision, "reason": code_set.reason,
        "lines": [{"hcpcs": x.hcpcs, "units": x.units, "modifiers": x.modifiers, "administration_id":
                   x.administration_id} for x in code_set.lines],
    }
