"""A small queue for the workstation UI tests: states, payers, drugs, nurses and findings all differ."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from desktop.billing.model import PayerClass
from desktop.services import Store, mark_ticket_printed, record_administration, verify_administration
from tests.services.charge_samples import SHA, j9302_request, ofatumumab, record, to_posted
from tests.services.conftest import DOS, least_waste_request, make_request, unaccounted_request


def seed_queue(store: Store) -> dict[str, int]:
    """Seven administrations on DOS (one the day before)."""
    ids = {"recorded": record_administration(store, make_request(mrn="R1", name="Zoe Adams"), "rn").id}
    warn = least_waste_request(mrn="R2", name="Yuri Baker", acknowledge_all=True, nurse="RN Brooks")
    ids["warned"] = record_administration(store, warn, "rn").id
    ids["held"] = record_administration(
        store, unaccounted_request(mrn="R3", name="Xena Clark", hold_reason="count the vials again"), "rn").id
    ids["yesterday"] = record(store, j9302_request(mrn="R4", name="Will Dunn", day=DOS - dt.timedelta(days=1))).id
    commercial = replace(ofatumumab(acquired_340b=True), payer_class=PayerClass.COMMERCIAL)
    posted = record(store, j9302_request(mrn="R5", name="Vera Evans", administration=commercial))
    to_posted(store, posted.id, posted.version)
    ids["posted"] = posted.id
    printed = record(store, j9302_request(mrn="R6", name="Uma Fox"))
    step = verify_administration(store, printed.id, "biller", printed.version)
    mark_ticket_printed(store, printed.id, SHA, "biller", step.version)
    ids["printed"] = printed.id
    verified = record_administration(store, make_request(mrn="R7", name="Tom Gray"), "rn")
    verify_administration(store, verified.id, "biller", verified.version)
    ids["verified"] = verified.id
    return ids


__all__ = ["DOS", "seed_queue"]
