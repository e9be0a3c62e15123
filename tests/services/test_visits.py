"""Visits in the store: drugs of one patient and date join one visit, its codes are the visit's, voids recompute."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from db import models
from desktop.billing.model import LineKind, PayerClass
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.records.requests import ChargeState
from desktop.services import (
    ServiceError,
    Store,
    get_administration,
    list_administrations,
    record_administration,
    verify_audit_chain,
    void_administration,
)
from desktop.services.visits.visit_queries import get_visit, open_visit_for
from tests.services.conftest import DOS, EASTERN, make_request, nivolumab


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 29, hour, minute, tzinfo=EASTERN)


def ipilimumab(**changes: object):  # type: ignore[no-untyped-def]
    """Ipilimumab J9228, one 50 mg vial, 50 mg given."""
    from desktop.billing.tables import load_rules

    vial = load_rules().catalog.package("0003-2327-11")
    assert vial is not None
    adm = replace(nivolumab(), hcpcs="J9228", packages=(vial.opened(1, False, "LOT9", dt.date(2027, 1, 31)),),
                  administered_mg=Decimal(50), discarded_mg=Decimal(0), ordered_dose_mg=Decimal(50),
                  infusion_start=at(10), infusion_stop=at(10, 30), infusion_minutes=30)
    return replace(adm, **changes)


def codes(store: Store, visit_id: int) -> list[tuple[str, int]]:
    return [(line.hcpcs, line.units) for line in get_visit(store, visit_id).code_lines]


def test_two_drugs_of_one_patient_and_date_are_one_visit_with_one_initial_code(store: Store) -> None:
    first = record_administration(store, make_request(), "rn.alvarez")
    second = record_administration(store, make_request(administration=ipilimumab()), "rn.alvarez")
    assert first.visit_id == second.visit_id
    visit = get_visit(store, first.visit_id)
    assert [a.administration.hcpcs for a in visit.administrations] == ["J9299", "J9228"]
    initial = [line for line in visit.code_lines if line.hcpcs == "96413"]
    assert len(initial) == 1  # never a second "initial" code on one claim
    assert [line.hcpcs for line in visit.code_lines].count("96417") == 1
    assert all(line.kind is LineKind.ADMINISTRATION for line in visit.code_lines)
    assert [c.revision for c in visit.code_sets] == [1, 2] and "J9228 added" in visit.code_sets[-1].reason
    assert second.visit_lines == visit.code_lines
    assert visit.state is ChargeState.RECORDED
    assert verify_audit_chain(store).ok


def test_another_patient_or_date_is_another_visit(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    other = record_administration(store, make_request(mrn="MRN002", name="John Roe"), "rn")
    later = nivolumab(date_of_service=DOS + dt.timedelta(days=1))
    next_day = record_administration(store, make_request(administration=later, infusion_start=None,
                                                         infusion_stop=None), "rn")
    assert len({first.visit_id, other.visit_id, next_day.visit_id}) == 3


def test_voiding_a_drug_recomputes_the_visit_codes(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    second = record_administration(store, make_request(administration=ipilimumab()), "rn")
    assert ("96417", 1) in codes(store, first.visit_id)
    void_administration(store, first.id, "given to the wrong patient", "rn")
    visit = get_visit(store, first.visit_id)
    assert [(line.hcpcs, visit.administrations[line.administration].id) for line in visit.code_lines] == [
        ("96413", second.id)]  # ipilimumab is now the visit's only, initial, infusion
    assert "voided" in visit.code_sets[-1].reason and len(visit.code_sets) == 3
    assert visit.state is ChargeState.RECORDED  # the voided drug does not count
    void_administration(store, second.id, "not given", "rn")
    assert get_visit(store, first.visit_id).code_lines == ()
    assert get_visit(store, first.visit_id).state is ChargeState.VOIDED


def test_states_that_differ_make_the_visit_state_none(store: Store) -> None:
    from desktop.services import verify_administration

    first = record_administration(store, make_request(), "rn")
    record_administration(store, make_request(administration=ipilimumab()), "rn")
    verify_administration(store, first.id, "biller")
    visit = get_visit(store, first.visit_id)
    assert visit.state is None and {a.state for a in visit.administrations} == {ChargeState.VERIFIED,
                                                                                 ChargeState.RECORDED}


def test_every_change_inside_the_visit_raises_its_version(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    v1 = get_visit(store, first.visit_id).version
    second = record_administration(store, make_request(administration=ipilimumab()), "rn")
    assert second.visit_version > v1
    void_administration(store, second.id, "duplicate", "rn")
    assert get_visit(store, first.visit_id).version > second.visit_version


def test_visit_facts_are_entered_once_and_changes_are_audited(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    record_administration(store, make_request(administration=ipilimumab(), prior_authorization="PA-9",
                                              chair="Chair 4"), "rn")
    visit = get_visit(store, first.visit_id)
    assert (visit.facts.prior_authorization, visit.facts.chair) == ("PA-9", "Chair 4")
    assert get_administration(store, first.id).visit.chair == "Chair 4"  # one visit, one set of facts
    with store.session_scope(write=False) as session:
        updates = session.execute(select(models.AuditEvent).where(
            models.AuditEvent.entity == "visit", models.AuditEvent.action == "update")).scalars().all()
    assert len(updates) == 1
    before, after = json.loads(updates[0].before_json), json.loads(updates[0].after_json)
    assert (before["chair"], after["chair"]) == (None, "Chair 4")


def test_one_visit_has_one_payer(store: Store) -> None:
    record_administration(store, make_request(), "rn")
    with pytest.raises(ServiceError, match="one visit has one payer"):
        record_administration(store, make_request(administration=ipilimumab(payer_class=PayerClass.COMMERCIAL)),
                              "rn")
    assert len(list_administrations(store)) == 1


def test_a_named_visit_must_be_the_patients_on_that_date(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    with pytest.raises(ServiceError, match="nothing was saved"):
        record_administration(store, make_request(mrn="MRN002", name="John Roe", visit_id=first.visit_id), "rn")
    assert len(list_administrations(store)) == 1


def test_several_drugs_in_one_request_are_saved_together_or_not_at_all(store: Store) -> None:
    request = make_request()
    both = replace(request, drugs=(*request.drugs, DrugEntry(ipilimumab(), DrugFacts())))
    outcome = record_administration(store, both, "rn")
    assert len(outcome.administration_ids) == 2
    assert [line.hcpcs for line in outcome.visit_lines].count("96413") == 1
    again = record_administration(store, both, "rn")  # the same request retried
    assert again.administration_ids == outcome.administration_ids
    bad = replace(both, request_id="00000000-0000-4000-8000-0000000000aa", drugs=(
        both.drugs[0], DrugEntry(ipilimumab(), DrugFacts(waste_witness="x" * 121))))
    with pytest.raises(ServiceError, match="drug 2: the waste witness is too long"):
        record_administration(store, replace(bad, patient=replace(bad.patient, mrn="MRN009")), "rn")
    assert len(list_administrations(store)) == 2


def test_a_visit_needs_a_drug(store: Store) -> None:
    with pytest.raises(ServiceError, match="at least one drug"):
        record_administration(store, replace(make_request(), drugs=()), "rn")


def test_open_visit_is_found_for_the_chair_and_not_once_fully_voided(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    found = open_visit_for(store, "MRN001", DOS)
    assert found is not None and found.id == first.visit_id
    void_administration(store, first.id, "wrong patient", "rn")
    assert open_visit_for(store, "MRN001", DOS) is None
    again = record_administration(store, make_request(request_id="00000000-0000-4000-8000-0000000000bb"), "rn")
    assert again.visit_id != first.visit_id  # a fully voided visit is closed: the drug opens a new one


def test_a_bad_npi_or_diagnosis_is_refused_in_words(store: Store) -> None:
    with pytest.raises(ServiceError, match="not an ICD-10-CM code"):
        record_administration(store, make_request(diagnosis_codes=("C34.90", "banana")), "rn")
    with pytest.raises(ServiceError, match="at most 12 diagnosis codes"):
        record_administration(store, make_request(diagnosis_codes=("C34.90",) * 13), "rn")
    facts = replace(VisitFacts(), notes="a\x00b")
    with pytest.raises(ServiceError, match="control characters"):
        record_administration(store, replace(make_request(), visit=facts), "rn")


def test_the_ordering_provider_is_kept_with_the_visit_and_a_bad_npi_refused(store: Store) -> None:
    outcome = record_administration(store, make_request(ordering_provider=" Dr. Maya Chen ",
                                                        ordering_provider_npi="1234567893"), "rn")
    facts = get_visit(store, outcome.visit_id).facts
    assert (facts.ordering_provider, facts.ordering_provider_npi) == ("Dr. Maya Chen", "1234567893")
    with pytest.raises(ServiceError, match="the ordering provider's NPI '1234567890' is not a valid NPI"):
        record_administration(store, make_request(mrn="MRN002", name="Ann Lee",
                                                  ordering_provider_npi="1234567890"), "rn")
    plain = record_administration(store, make_request(mrn="MRN003", name="Bo Ray"), "rn")
    assert get_visit(store, plain.visit_id).facts.ordering_provider is None  # not documented: no guess


def test_a_carrier_bag_is_stored_as_one_and_never_becomes_hydration(store: Store) -> None:
    from desktop.billing.model import DoseType, PackageUse

    bag = PackageUse(label_mg=Decimal(250), count=1, dose_type=DoseType.SINGLE, acquired_340b=False)
    saline = replace(nivolumab(), hcpcs="J7050", packages=(bag,), administered_mg=Decimal(250),
                     discarded_mg=Decimal(0), ordered_dose_mg=None, infusion_start=at(9), infusion_stop=at(10, 30),
                     infusion_minutes=None, carrier=True)
    record_administration(store, make_request(), "rn")
    outcome = record_administration(store, make_request(administration=saline, acknowledge_all=True), "rn")
    stored = get_administration(store, outcome.id).administration
    assert stored.carrier is True and stored.infusion_minutes == 90  # the minutes billed, frozen
    assert "96361" not in [line.hcpcs for line in get_visit(store, outcome.visit_id).code_lines]
