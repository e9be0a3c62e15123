"""Sample charges for the workstation tests (J9302, 340B, nivolumab) and a helper that walks one to posted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from desktop.billing.model import Administration, FacilityType, PackageUse, PayerClass
from desktop.billing.tables import load_rules
from desktop.services import (
    RecordOutcome,
    RecordRequest,
    Store,
    TransitionOutcome,
    mark_ticket_printed,
    post_administration,
    record_administration,
    verify_administration,
)
from tests.services.conftest import DOS, make_request

SHA = "cd" * 32


def ofatumumab(day: dt.date = DOS, acquired_340b: bool = False, **changes: Any) -> Administration:
    """J9302 from three 100 mg vials, 275 mg given, 25 mg discarded: 28 units and 2 JW units."""
    entry = load_rules().catalog.package("0078-0669-13")
    assert entry is not None
    package = PackageUse(
        label_mg=entry.label_mg, count=3, dose_type=entry.dose_type, acquired_340b=acquired_340b, ndc=entry.ndc,
        lot="OF1", expiry=dt.date(2027, 5, 31), volume_ml=entry.volume_ml, ndc_unit=entry.ndc_unit, hcpcs=entry.hcpcs,
    )
    adm = Administration(
        date_of_service=day, hcpcs="J9302", payer_class=PayerClass.MEDICARE, facility_type=FacilityType.DSH,
        packages=(package,), administered_mg=Decimal("275"), discarded_mg=Decimal("25"), infusion_minutes=90,
        route="IV",
    )
    return replace(adm, **changes)


def j9302_request(mrn: str = "MRN302", name: str = "Ann Ofa", acquired_340b: bool = False,
                  day: dt.date = DOS, **changes: Any) -> RecordRequest:
    changes.setdefault("administration", ofatumumab(day, acquired_340b))
    return make_request(mrn=mrn, name=name, ordered_dose_mg=Decimal("275"), acknowledge_all=True, **changes)


def record(store: Store, request: RecordRequest, user: str = "rn.alvarez") -> RecordOutcome:
    return record_administration(store, request, user)


def to_posted(store: Store, administration_id: int, version: int, user: str = "biller") -> TransitionOutcome:
    step = verify_administration(store, administration_id, user, version)
    step = mark_ticket_printed(store, administration_id, SHA, user, step.version)
    return post_administration(store, administration_id, user, step.version)


__all__ = ["SHA", "j9302_request", "ofatumumab", "record", "to_posted"]
