"""A small queue of visits for the review and Today tests: states, payers, drugs, nurses and findings all differ,
two visits have two drugs (one of them in two states)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from desktop.billing.model import Administration, PayerClass
from desktop.billing.tables import load_rules
from desktop.records import DrugEntry, DrugFacts
from desktop.services import (
    RecordRequest,
    Store,
    mark_ticket_printed,
    record_administration,
    verify_administration,
)
from tests.services.charge_samples import SHA, j9302_request, ofatumumab, record, to_posted
from tests.services.conftest import DOS, EASTERN, least_waste_request, make_request, nivolumab, unaccounted_request


def at(hour: int, minute: int = 0, day: dt.date = DOS) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=EASTERN)


def ipilimumab(day: dt.date = DOS, **changes: Any) -> Administration:
    """Ipilimumab J9228 from one 50 mg vial, all 50 mg given, 10:00-10:30 (after nivolumab's 09:00-09:30)."""
    vial = load_rules().catalog.package("0003-2327-11")
    assert vial is not None
    adm = replace(nivolumab(date_of_service=day), hcpcs="J9228",
                  packages=(vial.opened(1, False, "LOT9", dt.date(2027, 1, 31)),), administered_mg=Decimal(50),
                  discarded_mg=Decimal(0), ordered_dose_mg=Decimal(50), infusion_start=at(10, day=day),
                  infusion_stop=at(10, 30, day=day), infusion_minutes=30)
    return replace(adm, **changes)


def two_drug_request(mrn: str, name: str, day: dt.date = DOS, **changes: Any) -> RecordRequest:
    """Nivolumab 09:00-09:30 then ipilimumab 10:00-10:30: one visit of two drugs (96413 + 96417)."""
    first = make_request(mrn=mrn, name=name, administration=nivolumab(date_of_service=day),
                         infusion_start=at(9, day=day), infusion_stop=at(9, 30, day=day), **changes)
    return replace(first, drugs=(*first.drugs, DrugEntry(ipilimumab(day), DrugFacts())))


def seed_queue(store: Store) -> dict[str, int]:
    """Eight visits (ten drugs) on DOS, one the day before; the values are visit ids."""
    two = record_administration(store, two_drug_request("R1", "Zoe Adams"), "rn")
    ids = {"recorded": two.visit_id}
    warn = least_waste_request(mrn="R2", name="Yuri Baker", acknowledge_all=True, nurse="RN Brooks")
    ids["warned"] = record_administration(store, warn, "rn").visit_id
    ids["held"] = record_administration(
        store, unaccounted_request(mrn="R3", name="Xena Clark", hold_reason="count the vials again"), "rn").visit_id
    ids["yesterday"] = record(store, j9302_request(mrn="R4", name="Will Dunn", day=DOS - dt.timedelta(days=1))).visit_id
    commercial = replace(ofatumumab(acquired_340b=True), payer_class=PayerClass.COMMERCIAL)
    posted = record(store, j9302_request(mrn="R5", name="Vera Evans", administration=commercial))
    to_posted(store, posted.id, posted.version)
    ids["posted"] = posted.visit_id
    printed = record(store, j9302_request(mrn="R6", name="Uma Fox"))
    step = verify_administration(store, printed.id, "biller", printed.version)
    mark_ticket_printed(store, printed.id, SHA, "biller", step.version)
    ids["printed"] = printed.visit_id
    verified = record_administration(store, make_request(mrn="R7", name="Tom Gray"), "rn")
    verify_administration(store, verified.id, "biller", verified.version)
    ids["verified"] = verified.visit_id
    # A visit whose first drug was posted before the second was given: "mixed: 1 posted, 1 recorded".
    first = record_administration(store, make_request(mrn="R8", name="Sam Hill"), "rn")
    to_posted(store, first.id, first.version)
    later = make_request(mrn="R8", name="Sam Hill", administration=ipilimumab())
    ids["mixed"] = record_administration(store, later, "rn").visit_id
    assert ids["mixed"] == first.visit_id
    return ids


__all__ = ["DOS", "at", "ipilimumab", "seed_queue", "two_drug_request"]
