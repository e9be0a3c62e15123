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
from desktop.services.views import ChargeState, PatientView, StateChangeView


def patient_view(row: models.Patient) -> PatientView:
    return PatientView(id=row.id, mrn=row.mrn, name=row.name, date_of_birth=row.date_of_birth)


def package_row(package: PackageUse, position: int) -> models.PackageOpened:
    return models.PackageOpened(
        position=position, ndc=package.ndc, lot=package.lot, expiry=package.expiry, count=package.count,
        label_mg=package.label_mg, dose_type=package.dose_type.value, acquired_340b=package.acquired_340b,
        volume_ml=package.volume_ml, ndc_unit=package.ndc_unit, hcpcs=package.hcpcs,
    )


def package_use(row: models.PackageOpened) -> PackageUse:
    return PackageUse(
        label_mg=row.label_mg, count=row.count, dose_type=DoseType(row.dose_type), acquired_340b=row.acquired_340b,
        ndc=row.ndc, lot=row.lot, expiry=row.expiry, volume_ml=row.volume_ml, ndc_unit=row.ndc_unit, hcpcs=row.hcpcs,
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
    return Administration(
        date_of_service=row.date_of_service, hcpcs=row.hcpcs, payer_class=PayerClass(row.payer_class),
        facility_type=FacilityType(row.facility_type), packages=tuple(package_use(p) for p in row.packages),
        administered_mg=row.administered_mg, discarded_mg=row.discarded_mg,
        infusion_minutes=row.infusion_minutes, free_drug=row.free_drug, route=row.route,
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


def record_snapshot(row: models.Administration, lines: list[models.ChargeLine]) -> dict[str, Any]:
    """What the create event keeps: the documented record and the frozen lines."""
    return {
        "request_id": row.request_id, "patient_id": row.patient_id, "date_of_service": row.date_of_service.isoformat(),
        "hcpcs": row.hcpcs, "payer": row.payer, "payer_class": row.payer_class, "facility_type": row.facility_type,
        "prior_authorization": row.prior_authorization, "diagnosis_codes": json.loads(row.diagnosis_codes),
        "ordered_dose_mg": None if row.ordered_dose_mg is None else str(row.ordered_dose_mg),
        "administered_mg": str(row.administered_mg), "discarded_mg": str(row.discarded_mg),
        "infusion_minutes": row.infusion_minutes, "route": row.route,
        "infusion_start": row.infusion_start.isoformat() if row.infusion_start else None,
        "infusion_stop": row.infusion_stop.isoformat() if row.infusion_stop else None,
        "nurse": row.nurse, "waste_witness": row.waste_witness, "discarded_by": row.discarded_by, "chair": row.chair,
        "consent_recorded": row.consent_recorded, "notes": row.notes, "free_drug": row.free_drug,
        "replaces_id": row.replaces_id, "rule_versions": json.loads(row.rule_versions),
        "lines": [
            {"hcpcs": x.hcpcs, "kind": x.kind, "units": x.units, "modifiers": x.modifiers, "ndc11": x.ndc11,
             "ndc_unit": x.ndc_unit, "ndc_quantity": None if x.ndc_quantity is None else str(x.ndc_quantity)}
            for x in lines
        ],
        **state_snapshot(row),
    }
