"""Export runs per visit: a visit's codes computed again go out as reversal + replacement of the code lines sent,
a drug not yet posted waits, a re-send says so, older exports are recorded once, incremental runs read only what
changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db import models
from desktop.billing.tables import load_rules
from desktop.services import Store, record_administration, void_administration
from desktop.services.billing_exports.exports import (
    ExportFormat,
    ExportScope,
    export_dates,
    export_runs,
    export_since_last,
    mark_sent_through,
    resend_run,
)
from desktop.services.errors import ServiceError
from desktop.services.visits.visit_queries import get_visit
from tests.interop.spec import read_hl7
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.services.conftest import DOS, EASTERN, make_request, nivolumab

CSV, HL7 = ExportFormat.CSV, ExportFormat.HL7


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 29, hour, minute, tzinfo=EASTERN)


def ipilimumab() -> object:
    """Ipilimumab J9228 10:00-10:30, one 50 mg vial: the visit's second chemotherapy drug (96417, section 8)."""
    vial = load_rules().catalog.package("0003-2327-11")
    assert vial is not None
    return replace(nivolumab(), hcpcs="J9228", packages=(vial.opened(1, False, "LOT9", dt.date(2027, 1, 31)),),
                   administered_mg=Decimal(50), discarded_mg=Decimal(0), ordered_dose_mg=Decimal(50),
                   infusion_start=at(10), infusion_stop=at(10, 30), infusion_minutes=30)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def summary(text: str) -> list[tuple[str, str, str, str]]:
    return [(r["record_type"], r["hcpcs"], r["visit_line_number"], r["reverses_transaction_id"]) for r in rows(text)]


def two_drug_visit(store: Store) -> tuple[int, int, int]:
    """Nivolumab 09:00 then ipilimumab 10:00, both posted: 96413 (nivolumab) and 96417 (ipilimumab)."""
    first = record_administration(store, make_request(), "rn")
    second = record_administration(store, make_request(administration=ipilimumab()), "rn")
    visit = get_visit(store, first.visit_id)
    to_posted(store, first.id, visit.administrations[0].version)
    to_posted(store, second.id, get_visit(store, first.visit_id).administrations[1].version)
    return first.visit_id, first.id, second.id


def test_a_visit_is_one_message_with_its_drug_lines_then_its_codes(store: Store) -> None:
    visit_id, _, _ = two_drug_visit(store)
    text = export_since_last(store, CSV, user="biller").text
    # nivolumab from a 100 mg and a 120 mg vial: a line per NDC and the waste; ipilimumab with JZ; the codes
    assert summary(text) == [("charge", "J9299", "1", ""), ("charge", "J9299", "2", ""),
                             ("charge", "J9299", "3", ""), ("charge", "J9228", "4", ""),
                             ("charge", "96413", "5", ""), ("charge", "96417", "6", "")]
    assert {r["visit_id"] for r in rows(text)} == {str(visit_id)}
    assert len(read_hl7(export_since_last(store, HL7, user="biller").text).messages) == 1


def test_voiding_one_drug_reverses_the_codes_sent_and_charges_the_new_revision(store: Store) -> None:
    _, nivolumab_id, ipilimumab_id = two_drug_visit(store)
    sent = rows(export_since_last(store, CSV, user="biller").text)
    visit = get_visit(store, get_visit_id(store, nivolumab_id))
    void_administration(store, nivolumab_id, "given to the wrong patient", "rn", visit.administrations[0].version)
    after = rows(export_since_last(store, CSV, user="biller").text)
    taken_back = [r for r in sent if r["administration_id"] == str(nivolumab_id) or r["hcpcs"] == "96417"]
    assert [(r["record_type"], r["hcpcs"], r["administration_id"], r["reverses_transaction_id"],
             r["visit_line_number"]) for r in after] == [
        *[("reversal", r["hcpcs"], r["administration_id"], r["transaction_id"], r["visit_line_number"])
          for r in taken_back],  # nivolumab's three drug lines, and both codes of the revision sent before
        ("charge", "96413", str(ipilimumab_id), "", "2"),  # ipilimumab is now the visit's initial infusion
    ]
    assert "given to the wrong patient" in after[0]["reason"] and "computed again" in after[-2]["reason"]


def get_visit_id(store: Store, administration_id: int) -> int:
    with store.session_scope(write=False) as session:
        return int(session.execute(select(models.Administration.visit_id)
                                   .where(models.Administration.id == administration_id)).scalar_one())


def test_a_drug_not_yet_posted_waits_and_its_codes_with_it(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    second = record_administration(store, make_request(administration=ipilimumab()), "rn")
    to_posted(store, first.id, get_visit(store, first.visit_id).administrations[0].version)
    assert [r[1] for r in summary(export_since_last(store, CSV, user="biller").text)] == [
        "J9299", "J9299", "J9299", "96413"]
    to_posted(store, second.id, get_visit(store, first.visit_id).administrations[1].version)
    assert summary(export_since_last(store, CSV, user="biller").text) == [("charge", "J9228", "4", ""),
                                                                        ("charge", "96417", "6", "")]


def test_a_resend_repeats_the_transactions_under_new_control_ids_and_says_so(store: Store) -> None:
    outcome = record(store, j9302_request())
    to_posted(store, outcome.id, outcome.version)
    original = export_since_last(store, HL7, user="biller")
    again = resend_run(store, original.run.id, user="biller")
    first, second = read_hl7(original.text), read_hl7(again.text)
    assert second.headers["FHS"][12] == first.headers["FHS"][11] and second.headers["BHS"][12] == \
        first.headers["BHS"][11]
    assert "Re-send of run" in second.headers["FHS"][10]
    assert second.messages[0].msh.msh_10.to_er7() != first.messages[0].msh.msh_10.to_er7()
    ids = [[s.split("|")[2] for s in m if s.startswith("FT1")] for m in (first.raw[0], second.raw[0])]
    assert ids[0] == ids[1], "the same transactions: a receiver that has them drops them by FT1-2"
    assert (again.run.purpose, again.run.resend_of) == ("resend", original.run.id)
    assert export_since_last(store, HL7, user="biller").run.transaction_count == 0, "a re-send records nothing new"
    assert resend_run(store, again.run.id, user="biller").run.resend_of == original.run.id
    fhir = export_since_last(store, ExportFormat.FHIR, user="biller")
    assert '"resend"' in resend_run(store, fhir.run.id, user="biller").text


def test_a_preview_or_an_unknown_run_cannot_be_sent_again(store: Store) -> None:
    preview = export_dates(store, CSV, DOS, DOS, ExportScope.ALL, user="biller")
    with pytest.raises(ServiceError, match="nothing to send again"):
        resend_run(store, preview.run.id, user="biller")
    with pytest.raises(ServiceError, match="no export run 999"):
        resend_run(store, 999, user="biller")


def test_older_exports_are_recorded_once_without_a_file(store: Store) -> None:
    old = record(store, j9302_request(mrn="OLD", name="Pat Old"))
    to_posted(store, old.id, old.version)
    new = record(store, j9302_request(mrn="NEW", name="Pat New", day=DOS + dt.timedelta(days=1)))
    to_posted(store, new.id, new.version)
    baseline = mark_sent_through(store, CSV, DOS, user="biller")
    assert (baseline.purpose, baseline.transaction_count, baseline.sha256) == ("baseline", 3, None)
    assert {r["patient_mrn"] for r in rows(export_since_last(store, CSV, user="biller").text)} == {"NEW"}
    assert [r.purpose for r in export_runs(store, CSV, user="biller")] == ["billing", "baseline"]


def test_incremental_runs_read_only_the_visits_changed_since_the_last_one(store: Store) -> None:
    """The second run starts from the marks of the first: a visit changed since (voided) is read, and a visit
    whose transactions were all sent is not."""
    one = record(store, j9302_request(mrn="A1", name="Pat One"))
    step = to_posted(store, one.id, one.version)
    two = record(store, j9302_request(mrn="A2", name="Pat Two"))
    to_posted(store, two.id, two.version)
    first = export_since_last(store, CSV, user="biller")
    with store.session_scope(write=False) as session:
        marks = session.execute(select(models.ExportRun.state_change_mark, models.ExportRun.code_set_mark)
                                .where(models.ExportRun.id == first.run.id)).one()
        assert marks == (session.execute(select(func.max(models.StateChange.id))).scalar(),
                         session.execute(select(func.max(models.VisitCodeSet.id))).scalar())
    void_administration(store, one.id, "wrong patient", "biller", step.version)
    second = export_since_last(store, CSV, user="biller")
    assert (second.run.visit_count, {r["patient_mrn"] for r in rows(second.text)}) == (1, {"A1"})
    assert {r["record_type"] for r in rows(second.text)} == {"reversal"}
